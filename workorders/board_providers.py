"""What apps above workorders mark on the cards of Today's Vehicles Page, without
workorders importing them.

A card shows that its customer texted a reply nobody has read (messaging) and that the
reports do not know where the customer came from (reports). Workorders sits below both,
so each registers a provider for a named mark in its `AppConfig.ready()`:

    from workorders import board_providers
    board_providers.register(
        "replied",
        app="messaging",
        customers=customers_with_unread_replies,
        url_name="messaging:conversation",
        fingerprint_sql=("(SELECT COUNT(*) FROM messaging_inboundmessage m WHERE ...)",),
    )

The marks (a mark not listed here is refused at registration, so a typo fails at
start-up, not silently on the board):

- "replied": the customer has an unread reply; the card's Text button turns orange.
  Its link (for every card whose customer receives texts) opens the conversation.
- "unknown_source": the customer's source is unknown to the reports; the name flashes
  and a click on it asks for the source (its link).
- "parts_arrived": a part ordered for this repair order came in; the card says so and
  links to its purchase orders. A mark of the work order, not of the customer: its
  provider gives `work_orders(work_order_ids) -> set[int]` instead of `customers`, and its
  link is reversed with the work order's id.

A provider gives, for the board's customers:
- `customers(customer_ids) -> set[int]`: those that carry the mark, in ONE query, so the
  board's query count does not grow with its cards;
- `url_name`: the page a card's mark links to, reversed with the customer's id;
- `fingerprint_sql`: scalar SQL sub-selects without parameters whose values change
  whenever the mark changes on any card (the board's one fingerprint query adds them,
  so a refresh sees the change); empty when the cards' own rows already show it.

A mark nobody provides is off on every card, with no link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

MARKS = ("replied", "unknown_source", "parts_arrived")
# Marks of a card's work order rather than of its customer.
WORK_ORDER_MARKS = ("parts_arrived",)


@dataclass(frozen=True)
class BoardProvider:
    mark: str
    app: str
    customers: Callable[[Iterable[int]], set[int]]
    url_name: str
    fingerprint_sql: tuple[str, ...] = ()
    work_orders: Callable[[Iterable[int]], set[int]] | None = None


_registry: dict[str, BoardProvider] = {}


def register(
    mark: str,
    *,
    app: str,
    customers: Callable[[Iterable[int]], set[int]] | None = None,
    url_name: str,
    fingerprint_sql: tuple[str, ...] = (),
    work_orders: Callable[[Iterable[int]], set[int]] | None = None,
) -> None:
    """Provide `mark` (registering again replaces the provider: harmless)."""
    if mark not in MARKS:
        raise ValueError(f"No mark {mark!r} on the board's cards; the marks are {MARKS}.")
    if (work_orders is None) == (mark in WORK_ORDER_MARKS) or (customers is None) == (
        mark not in WORK_ORDER_MARKS
    ):
        raise ValueError(
            f"The mark {mark!r} is given by "
            + ("`work_orders`" if mark in WORK_ORDER_MARKS else "`customers`")
            + " only."
        )
    _registry[mark] = BoardProvider(
        mark, app, customers or (lambda ids: set()), url_name, tuple(fingerprint_sql), work_orders
    )


def provider_for(mark: str) -> BoardProvider | None:
    return _registry.get(mark)


def fingerprint_sql() -> list[str]:
    """Every provider's sub-selects, in the order of MARKS."""
    return [sql for mark in MARKS if mark in _registry for sql in _registry[mark].fingerprint_sql]
