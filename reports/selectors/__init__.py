"""Reads of the reports app: every figure is added up by the database; Python only shapes
the handful of grouped rows that come back."""

from reports.selectors.dashboard import Dashboard, dashboard
from reports.selectors.fleet_activity import FleetActivity, fleet_activity, fleet_customers
from reports.selectors.mapping import (
    customers_with_unknown_source,
    marketing_spend_for_month,
    source_mapping_rows,
    source_mapping_warning_for,
)
from reports.selectors.settings import report_settings_get
from reports.selectors.source_report import SourceReport, source_report
from reports.selectors.vehicle_analysis import VehicleAnalysis, vehicle_analysis

__all__ = [
    "Dashboard",
    "FleetActivity",
    "SourceReport",
    "VehicleAnalysis",
    "customers_with_unknown_source",
    "dashboard",
    "fleet_activity",
    "fleet_customers",
    "marketing_spend_for_month",
    "report_settings_get",
    "source_mapping_rows",
    "source_mapping_warning_for",
    "source_report",
    "vehicle_analysis",
]
