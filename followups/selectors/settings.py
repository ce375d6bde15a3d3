"""The follow-up settings row."""

from __future__ import annotations

from followups.models import FollowUpSettings
from shop.selectors import single_row_get


def followup_settings_get() -> FollowUpSettings:
    """The follow-up switches; Follow Ups are off until the owner turns them on."""
    return single_row_get(FollowUpSettings)
