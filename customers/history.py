"""A customer's and a vehicle's history: each app contributes its own rows.

The customer and vehicle pages show what other apps keep about them (work orders,
appointments, messages, follow-ups, fleet requests). This app imports none of them:
each registers a `HistorySource` here from its AppConfig.ready(), naming the security
function that guards its rows, and reads its own rows in one query (or a fixed few),
so the pages' query count does not grow with the history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

from shop.security import can

if TYPE_CHECKING:
    from customers.models import Customer, Vehicle

HISTORY_LIMIT = 10


@dataclass(frozen=True)
class HistoryRow:
    """One line of a customer's or vehicle's history, as the page shows it."""

    text: str
    url: str = ""
    label: str = ""  # the link's accessible name, when its text alone does not say which
    details: tuple[str, ...] = ()
    # A short state shown as a badge after the details (e.g. "Partly paid"), and its tone:
    # "ok", "warn", "danger" or "info" (app.css's badge colours), or "" for a grey one.
    badge: str = ""
    badge_tone: str = ""


@dataclass(frozen=True)
class HistoryRows:
    """What a source read: up to the limit of rows, whether there are more, and where
    to see them all (when the app has such a page and the employee may open it)."""

    rows: list[HistoryRow]
    more: bool = False
    more_url: str = ""


@dataclass(frozen=True)
class HistorySection:
    title: str
    rows: list[HistoryRow]
    more: bool = False
    more_url: str = ""


# A reader takes the request (for links and the employee's levels), the customer or
# vehicle and the limit, and reads limit + 1 rows to know whether there are more.
Reader = Callable[[HttpRequest, "Customer | Vehicle", int], HistoryRows]


@dataclass(frozen=True)
class HistorySource:
    key: str
    title: str
    security_function: str
    order: int = 100
    customer_rows: Reader | None = None
    vehicle_rows: Reader | None = None


_sources: dict[str, HistorySource] = {}


def history_source_register(
    *,
    key: str,
    title: str,
    security_function: str,
    order: int = 100,
    customer_rows: Reader | None = None,
    vehicle_rows: Reader | None = None,
) -> None:
    """Add (or replace, by key: ready() may run twice in tests) a kind of history."""
    _sources[key] = HistorySource(
        key=key,
        title=title,
        security_function=security_function,
        order=order,
        customer_rows=customer_rows,
        vehicle_rows=vehicle_rows,
    )


def history_sources() -> list[HistorySource]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


def split_more(rows: list, limit: int) -> tuple[list, bool]:
    """Rows read with limit + 1: the rows to show, and whether there were more."""
    return rows[:limit], len(rows) > limit


def record_history(
    request: HttpRequest, instance: Customer | Vehicle, *, limit: int = HISTORY_LIMIT
) -> list[HistorySection]:
    """The sections of history this employee may see, each from the app that keeps it.
    A kind the employee's level does not open is left out, not shown empty."""
    from customers.models import Customer

    sections = []
    for source in history_sources():
        reader = source.customer_rows if isinstance(instance, Customer) else source.vehicle_rows
        if reader is None or not can(request.user, source.security_function, request):
            continue
        found = reader(request, instance, limit)
        if found.rows:
            sections.append(
                HistorySection(
                    title=source.title, rows=found.rows, more=found.more, more_url=found.more_url
                )
            )
    return sections
