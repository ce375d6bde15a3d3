"""Work orders (core: statuses, work orders, jobs, lines, appointments) and digital vehicle
inspections (inspections)."""

from workorders.models.core import *  # noqa: F403
from workorders.models.core import (
    ZERO,
    Appointment,
    Job,
    Line,
    LineKind,
    Package,
    PackageLine,
    Stage,
    Status,
    StatusChange,
    WorkOrder,
    WorkOrderSettings,
    colour_validator,
    money_field,
    money_validators,
)
from workorders.models.inspections import (
    Inspection,
    InspectionPhoto,
    InspectionPoint,
    InspectionResult,
    InspectionSection,
    InspectionSheet,
    InspectionVideo,
)

__all__ = [
    "ZERO",
    "Appointment",
    "Inspection",
    "InspectionPhoto",
    "InspectionPoint",
    "InspectionResult",
    "InspectionSection",
    "InspectionSheet",
    "InspectionVideo",
    "Job",
    "Line",
    "LineKind",
    "Package",
    "PackageLine",
    "Stage",
    "Status",
    "StatusChange",
    "WorkOrder",
    "WorkOrderSettings",
    "colour_validator",
    "money_field",
    "money_validators",
]
