"""The module menu. Each app adds its entries in its own navigation.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

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
