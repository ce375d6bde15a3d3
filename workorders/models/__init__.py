"""Work orders (core: statuses, work orders, jobs, lines, appointments) and digital vehicle
inspections (inspections)."""

from workorders.models.approvals import JobApproval
from workorders.models.core import *  # noqa: F403
from workorders.models.core import (
    SHOP_RECORDED_METHODS,
    ZERO,
    Appointment,
    ApprovalMethod,
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
    "SHOP_RECORDED_METHODS",
    "ZERO",
    "Appointment",
    "ApprovalMethod",
    "Inspection",
    "InspectionPhoto",
    "InspectionPoint",
    "InspectionResult",
    "InspectionSection",
    "InspectionSheet",
    "InspectionVideo",
    "Job",
    "JobApproval",
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
