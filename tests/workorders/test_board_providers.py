"""The marks apps above workorders put on the board's cards (workorders/board_providers.py)."""

import pytest

from workorders import board_providers


def test_it_has_messaging_and_reports_provide_the_cards_marks():
    replied = board_providers.provider_for("replied")
    unknown = board_providers.provider_for("unknown_source")
    assert (replied.app, replied.url_name) == ("messaging", "messaging:conversation")
    assert (unknown.app, unknown.url_name) == ("reports", "reports:customer_source")
    # Messaging's unread replies and parts' receipts are in the board's one fingerprint query.
    assert len(board_providers.fingerprint_sql()) == 4
    arrived = board_providers.provider_for("parts_arrived")
    assert (arrived.app, arrived.url_name) == ("parts", "parts:work_order_orders")
    assert arrived.work_orders is not None


def test_it_refuses_a_mark_the_cards_do_not_have():
    with pytest.raises(ValueError, match="No mark 'replyed'"):
        board_providers.register(
            "replyed", app="x", customers=lambda ids: set(), url_name="messaging:conversation"
        )
    assert board_providers.provider_for("replyed") is None


def test_a_work_order_mark_is_given_by_work_orders_only():
    with pytest.raises(ValueError, match="given by `work_orders` only"):
        board_providers.register(
            "parts_arrived", app="x", customers=lambda ids: set(), url_name="parts:list"
        )
    with pytest.raises(ValueError, match="given by `customers` only"):
        board_providers.register(
            "replied", app="x", work_orders=lambda ids: set(), url_name="parts:list"
        )
    assert board_providers.provider_for("parts_arrived").app == "parts"
