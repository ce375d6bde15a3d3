"""The shop's statuses and the stage ranges that give their numbers a meaning."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shop.errors import ServiceError
from shop.models import User
from workorders.models import Stage, Status, StatusChange, WorkOrder, WorkOrderSettings
from workorders.selectors import workorder_settings_get

STATUS_FIELDS = {
    "number",
    "name",
    "colour",
    "time_display",
    "default_minutes",
    "send_customer_update",
    "message_template",
}
SETTINGS_FIELDS = {
    "estimate_from",
    "estimate_to",
    "repair_order_from",
    "repair_order_to",
    "invoice_from",
    "invoice_to",
    "labor_part_number",
    "labor_description",
    "labor_hours",
    "labor_rate",
    "board_warning_minutes",
}


def _ranges_text(row: WorkOrderSettings) -> str:
    return "; ".join(f"{Stage(stage).label} {low}-{high}" for stage, low, high in row.ranges)


def stage_for_number(number: int, row: WorkOrderSettings | None = None) -> str:
    """The stage a status number belongs to, or a ServiceError naming the ranges."""
    row = row or workorder_settings_get()
    stage = row.stage_for(number)
    if stage is None:
        raise ServiceError(
            f"Status number {number} is in no stage range ({_ranges_text(row)}). "
            "Choose a number inside one, or change the ranges in the work-order settings.",
            field="number",
            code="no_stage",
        )
    return stage


def _clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from None


def _check_number(number: int, *, status: Status | None = None) -> str:
    stage = stage_for_number(number)
    duplicate = Status.objects.filter(number=number)
    if status is not None:
        duplicate = duplicate.exclude(pk=status.pk)
    if duplicate.exists():
        raise ServiceError(f"Status number {number} is already used.", field="number")
    return stage


def _check_time_display(fields: dict[str, Any]) -> None:
    if fields.get("time_display") == Status.TimeDisplay.COUNT_DOWN and not fields.get(
        "default_minutes"
    ):
        raise ServiceError(
            "A Count Down status needs its default number of minutes.", field="default_minutes"
        )


@transaction.atomic
def status_create(*, by: User, number: int, name: str, **fields: Any) -> Status:
    unknown = set(fields) - STATUS_FIELDS
    if unknown:
        raise ServiceError(f"Unknown status fields: {', '.join(sorted(unknown))}.")
    _check_number(number)
    _check_time_display(fields)
    status = Status(number=number, name=name, **fields)
    _clean(status, exclude=["number"])
    status.save()
    return status


@transaction.atomic
def status_update(*, by: User, status: Status, **fields: Any) -> Status:
    unknown = set(fields) - STATUS_FIELDS
    if unknown:
        raise ServiceError(f"Unknown status fields: {', '.join(sorted(unknown))}.")
    status = Status.objects.select_for_update().get(pk=status.pk)
    if "number" in fields and fields["number"] != status.number:
        row = workorder_settings_get()
        new_stage = _check_number(fields["number"], status=status)
        if (
            new_stage != row.stage_for(status.number)
            and WorkOrder.objects.filter(status=status).exists()
        ):
            raise ServiceError(
                f"“{status.name}” is used by work orders; its new number would move them to "
                f"another stage. Keep it within the {Stage(row.stage_for(status.number)).label} "
                "range.",
                field="number",
            )
    merged = {
        "time_display": status.time_display,
        "default_minutes": status.default_minutes,
        **fields,
    }
    _check_time_display(merged)
    for name, value in fields.items():
        setattr(status, name, value)
    _clean(status, exclude=["number"])
    status.save()
    return status


@transaction.atomic
def status_delete(*, by: User, status: Status) -> None:
    in_use = WorkOrder.objects.filter(status=status).count()
    if in_use:
        raise ServiceError(
            f"“{status}” is the status of {in_use} work order{'s' if in_use != 1 else ''}; "
            "move them to another status before deleting it.",
            code="in_use",
        )
    if (
        StatusChange.objects.filter(to_status=status).exists()
        or StatusChange.objects.filter(from_status=status).exists()
    ):
        raise ServiceError(
            f"“{status}” appears in work orders' status history and cannot be deleted. "
            "Rename it instead.",
            code="in_use",
        )
    status.delete()


@transaction.atomic
def workorder_settings_update(*, by: User, **fields: Any) -> WorkOrderSettings:
    """Change the stage ranges or the default labor line.

    Ranges may not overlap, every status must stay inside one, and no status in
    use may change stage (its work orders would silently become something else).
    """
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise ServiceError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    row = WorkOrderSettings.objects.select_for_update().get(pk=workorder_settings_get().pk)
    before = WorkOrderSettings(**{f.attname: getattr(row, f.attname) for f in row._meta.fields})
    for name, value in fields.items():
        setattr(row, name, value)
    _clean(row)
    ranges = sorted(row.ranges, key=lambda r: r[1])
    for stage, low, high in ranges:
        if low < 1 or low > high:
            raise ServiceError(
                f"The {Stage(stage).label} range must run from a number to a larger or equal one.",
                field=f"{stage}_from",
            )
    for (first, _, first_high), (second, second_low, _) in itertools.pairwise(ranges):
        if second_low <= first_high:
            raise ServiceError(
                f"The {Stage(first).label} and {Stage(second).label} ranges overlap.",
                field=f"{second}_from",
            )
    used = set(WorkOrder.objects.values_list("status_id", flat=True).distinct())
    for status in Status.objects.all():
        new_stage = row.stage_for(status.number)
        if new_stage is None:
            raise ServiceError(
                f"Status {status} would be in no range. Renumber it first, or widen a range."
            )
        if status.pk in used and new_stage != before.stage_for(status.number):
            raise ServiceError(
                f"Status {status} is used by work orders and would move from "
                f"{Stage(before.stage_for(status.number)).label} to {Stage(new_stage).label}."
            )
    row.save()
    return row
