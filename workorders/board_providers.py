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

MARKS = ("replied", "unknown_source")


@dataclass(frozen=True)
class BoardProvider:
    mark: str
    app: str
    customers: Callable[[Iterable[int]], set[int]]
    url_name: str
    fingerprint_sql: tuple[str, ...] = ()


_registry: dict[str, BoardProvider] = {}


def register(
    mark: str,
    *,
    app: str,
    customers: Callable[[Iterable[int]], set[int]],
    url_name: str,
    fingerprint_sql: tuple[str, ...] = (),
) -> None:
    """Provide `mark` (registering again replaces the provider: harmless)."""
    if mark not in MARKS:
        raise ValueError(f"No mark {mark!r} on the board's cards; the marks are {MARKS}.")
    _registry[mark] = BoardProvider(mark, app, customers, url_name, tuple(fingerprint_sql))


def provider_for(mark: str) -> BoardProvider | None:
    return _registry.get(mark)


def fingerprint_sql() -> list[str]:
    """Every provider's sub-selects, in the order of MARKS."""
    return [sql for mark in MARKS if mark in _registry for sql in _registry[mark].fingerprint_sql]
