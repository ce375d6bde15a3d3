"""What messaging marks on the cards of Today's Vehicles Page (workorders.board_providers):
a customer's unread reply turns the card's Text button orange; the button opens the
conversation."""

from __future__ import annotations

from messaging.models import InboundMessage
from messaging.selectors import customers_with_unread_replies
from workorders import board_providers


def register() -> None:
    inbound = InboundMessage._meta.db_table
    unread = f"FROM {inbound} m WHERE m.read_at IS NULL"
    board_providers.register(
        "replied",
        app="messaging",
        customers=customers_with_unread_replies,
        url_name="messaging:conversation",
        # The unread replies' count, and the sums of their ids and customers: one read
        # plus one new reply (same count) still differs, as the new reply's id is higher
        # than any read one's.
        fingerprint_sql=(
            f"(SELECT COUNT(*) {unread})",
            f"(SELECT SUM(m.id) {unread})",
            f"(SELECT SUM(m.customer_id) {unread})",
        ),
    )
