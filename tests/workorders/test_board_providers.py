"""The marks apps above workorders put on the board's cards (workorders/board_providers.py)."""

import pytest

from workorders import board_providers


def test_it_has_messaging_and_reports_provide_the_cards_marks():
    replied = board_providers.provider_for("replied")
    unknown = board_providers.provider_for("unknown_source")
    assert (replied.app, replied.url_name) == ("messaging", "messaging:conversation")
    assert (unknown.app, unknown.url_name) == ("reports", "reports:customer_source")
    # Messaging's unread replies are in the board's one fingerprint query.
    assert len(board_providers.fingerprint_sql()) == 3


def test_it_refuses_a_mark_the_cards_do_not_have():
    with pytest.raises(ValueError, match="No mark 'replyed'"):
        board_providers.register(
            "replyed", app="x", customers=lambda ids: set(), url_name="messaging:conversation"
        )
    assert board_providers.provider_for("replyed") is None
