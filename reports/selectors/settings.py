"""The reports' settings row."""

from __future__ import annotations

from reports.models import ReportSettings
from shop.selectors import single_row_get


def report_settings_get() -> ReportSettings:
    """The reports' settings: the Vehicle Analysis mileage bands."""
    return single_row_get(ReportSettings)
