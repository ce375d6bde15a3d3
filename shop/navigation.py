"""The module menu, where a login lands and the notices it sees there. Each app adds
its own in its navigation.py (shop's AppConfig.ready() loads them all), so shop, at the
bottom of the layers, names no page of the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from shop.security import can, user_level


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    security_function: str | None  # None: every employee
    description: str
    section: str
    order: int = 100


_entries: list[MenuEntry] = []


def add_menu_entry(entry: MenuEntry) -> None:
    if entry not in _entries:
        _entries.append(entry)


def menu_for(request: HttpRequest) -> list[tuple[str, list[dict]]]:
    """The entries this user may open, grouped by section, in menu order."""
    if user_level(request.user) is None:
        return []
    sections: dict[str, list[dict]] = {}
    for entry in sorted(_entries, key=lambda e: (e.order, e.label)):
        if entry.security_function and not can(request.user, entry.security_function, request):
            continue
        sections.setdefault(entry.section, []).append(
            {"label": entry.label, "url": reverse(entry.url_name), "description": entry.description}
        )
    return list(sections.items())


@dataclass(frozen=True)
class LandingPage:
    """Where a login lands instead of the menu: the first entry (by order) that applies."""

    url_name: str
    applies: Callable[[HttpRequest], bool]
    order: int = 100


_landing_pages: list[LandingPage] = []


def add_landing_page(page: LandingPage) -> None:
    if page not in _landing_pages:
        _landing_pages.append(page)
        _landing_pages.sort(key=lambda p: p.order)


def landing_page_for(request: HttpRequest) -> str | None:
    """The URL name this login lands on, or None for the module menu."""
    for page in _landing_pages:
        if page.applies(request):
            return page.url_name
    return None


# Notices at the top of the pages a login lands on (the module menu, Today's Vehicles
# Page), drawn by `{% load shop %}{% notices %}`: each app's render(request) returns safe
# HTML, or "" when it has nothing to say to this employee.
Notice = Callable[[HttpRequest], str]
_notices: dict[str, tuple[int, Notice]] = {}


def add_notice(app: str, render: Notice, *, order: int = 100) -> None:
    """Add (or replace: adding twice is harmless) `app`'s notice."""
    _notices[app] = (order, render)


def notices_for(request: HttpRequest) -> SafeString:
    entries = sorted(_notices.items(), key=lambda item: (item[1][0], item[0]))
    return mark_safe("".join(str(render(request) or "") for _app, (_order, render) in entries))


SECTION = "Office"
add_menu_entry(
    MenuEntry(
        "Manage Administrators",
        "shop:administrators",
        "manage_administrators",
        "Who can log in, their roles and security levels.",
        SECTION,
        900,
    )
)
add_menu_entry(
    MenuEntry(
        "Employees",
        "shop:employees",
        "view_employees",
        "The shop's staff and how to reach them.",
        SECTION,
        910,
    )
)
add_menu_entry(
    MenuEntry(
        "Locked-out logins",
        "shop:login_lockouts",
        "unlock_logins",
        "Logins locked after too many wrong passwords: unlock them.",
        SECTION,
        915,
    )
)
add_menu_entry(
    MenuEntry(
        "Shop settings",
        "shop:settings",
        "edit_shop_settings",
        "Name, address, hours, tax and labor rates.",
        SECTION,
        920,
    )
)
add_menu_entry(
    MenuEntry(
        "Set Security",
        "admin:shop_securityfunctionlevel_changelist",
        "set_security",
        "The level each function requires.",
        SECTION,
        930,
    )
)
add_menu_entry(
    MenuEntry(
        "System status",
        "shop:system_status",
        "view_system_status",
        "Background worker, scheduler and database.",
        SECTION,
        940,
    )
)
