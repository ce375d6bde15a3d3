"""What reports marks on the cards of Today's Vehicles Page (workorders.board_providers):
a customer whose source the reports do not know flashes, and a click asks for it."""

from __future__ import annotations

from reports.selectors import customers_with_unknown_source
from workorders import board_providers


def register() -> None:
    # No fingerprint of its own: setting a customer's source changes the customer's
    # `updated_at`, which the board's fingerprint already reads.
    board_providers.register(
        "unknown_source",
        app="reports",
        customers=customers_with_unknown_source,
        url_name="reports:customer_source",
    )
