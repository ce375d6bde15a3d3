"""Sync by external id: an outside system sends its records under its own ids.

Each write is one transaction with its children: a bad child line rolls back
the whole record, and the error names the field by its path in the payload
(e.g. `jobs[0].lines[1].quantity`). All writes go through the owning apps'
services, so the same rules hold as at the counter: work orders sent by status
number follow the stage ranges (an estimate never reaches technicians and its
jobs wait for approval; a repair order does, and its jobs, like an invoice's, are
approved as the outside system's record, in the integration's name; the invoice
stage closes it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from customers.models import Vehicle
from integrations.models import ExternalKey, Integration
from shop.errors import ServiceError
from shop.models import User
from workorders import services as workorder_services
from workorders.models import Appointment, ApprovalMethod, Job, Stage, Status, WorkOrder
from workorders.services import first_status_get


def _nested(error: ServiceError, prefix: str) -> ServiceError:
    field = f"{prefix}.{error.field}" if error.field else prefix
    return ServiceError(error.message, field=field, code=error.code)


def _created_meanwhile(external_id: str) -> ServiceError:
    """Two requests created the same record at once: the later one is refused (409)."""
    return ServiceError(
        f"“{external_id}” was being created by another request at the same moment; "
        "send it again to update it.",
        code="conflict",
    )


def key_find(integration: Integration, model: type, external_id: str):
    """The object this integration calls `external_id`, or None (one query)."""
    object_ids = ExternalKey.objects.filter(
        integration=integration,
        content_type=ContentType.objects.get_for_model(model),
        external_id=external_id,
    ).values("object_id")
    return model._default_manager.filter(pk__in=object_ids).first()


def key_remember(
    integration: Integration, obj: Any, external_id: str, *, replacing: Any = None
) -> None:
    """Remember that this integration calls the new `obj` `external_id`.

    Two requests creating the same record at the same moment both find no key and
    both make a record; the second to remember its key meets the first's (the unique
    index makes it wait for the first to commit) and is refused as a conflict, so
    its record is rolled back instead of left behind as a duplicate. A key whose
    record was deleted, or the record named in `replacing`, is taken over.
    """
    model = type(obj)
    lookup = {
        "integration": integration,
        "content_type": ContentType.objects.get_for_model(model),
        "external_id": external_id,
    }
    try:
        with transaction.atomic():
            ExternalKey.objects.create(**lookup, object_id=obj.pk)
        return
    except IntegrityError:
        pass
    key = ExternalKey.objects.select_for_update().get(**lookup)
    taken_over = replacing is not None and key.object_id == replacing.pk
    if (
        key.object_id != obj.pk
        and not taken_over
        and model._default_manager.filter(pk=key.object_id).exists()
    ):
        raise _created_meanwhile(external_id)
    key.object_id = obj.pk
    key.save(update_fields=["object_id"])


def _check_external_id(external_id: str, field: str = "external_id") -> str:
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > 100:
        raise ServiceError("An external id is 1 to 100 characters.", field=field)
    return external_id


def employee_for(
    integration: Integration,
    external_id: str | None,
    field: str,
    known: dict[str, User] | None = None,
) -> User | None:
    """The employee synced under `external_id`; `known` remembers them within one request."""
    if not external_id:
        return None
    if known is not None and external_id in known:
        return known[external_id]
    employee = key_find(integration, User, external_id)
    if employee is None:
        raise ServiceError(f"No employee was synced with the id “{external_id}”.", field=field)
    if known is not None:
        known[external_id] = employee
    return employee


# --- Employees ------------------------------------------------------------------------


@transaction.atomic
def employee_upsert(
    *,
    integration: Integration,
    external_id: str,
    first_name: str,
    last_name: str,
    role: str,
    security_level: int,
    email: str = "",
    is_active: bool = True,
) -> tuple[User, bool]:
    """Create or change an employee. A synced employee has no password until invited."""
    external_id = _check_external_id(external_id)
    if role not in User.Role.values:
        raise ServiceError(f"Role is one of {', '.join(User.Role.values)}.", field="role")
    if security_level not in (1, 2, 3, 4, 5):
        raise ServiceError("The security level is 1 to 5.", field="security_level")
    if security_level < integration.security_level:
        raise ServiceError(
            f"This integration (level {integration.security_level}) cannot give a higher level.",
            field="security_level",
        )
    if not (first_name or "").strip() and not (last_name or "").strip():
        raise ServiceError("Give the employee's name.", field="first_name")
    employee = key_find(integration, User, external_id)
    created = employee is None
    if created:
        employee = User(username=f"sync-{integration.pk}-{external_id}"[:150])
        employee.set_unusable_password()
    employee.first_name = first_name.strip()[:150]
    employee.last_name = last_name.strip()[:150]
    employee.email = (email or "").strip()[:254]
    employee.role = role
    employee.security_level = security_level
    employee.is_active = is_active
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:  # the same new employee sent twice at once: the login exists
        raise _created_meanwhile(external_id) from None
    key_remember(integration, employee, external_id)
    return employee, created


@transaction.atomic
def employee_deactivate(*, integration: Integration, external_id: str) -> User:
    """An employee deleted in the outside system: deactivated here (history keeps them)."""
    employee = key_find(integration, User, external_id)
    if employee is None:
        raise ServiceError(f"No employee was synced with the id “{external_id}”.", code="not_found")
    employee.is_active = False
    employee.save(update_fields=["is_active", "updated_at"])
    return employee


# --- Appointments -----------------------------------------------------------------------


@transaction.atomic
def appointment_upsert(
    *,
    integration: Integration,
    external_id: str,
    vehicle: Vehicle,
    starts_at: datetime,
    concern: str,
    advisor_external_id: str | None = None,
) -> tuple[Appointment, bool]:
    external_id = _check_external_id(external_id)
    advisor = employee_for(integration, advisor_external_id, "advisor_external_id")
    appointment = key_find(integration, Appointment, external_id)
    if appointment is None:
        appointment = workorder_services.appointment_create(
            by=integration.user,
            vehicle=vehicle,
            starts_at=starts_at,
            concern=concern,
            advisor=advisor,
        )
        key_remember(integration, appointment, external_id)
        return appointment, True
    if appointment.work_order_id is not None:
        raise ServiceError("This appointment became a work order; change the work order instead.")
    appointment = workorder_services.appointment_update(
        by=integration.user,
        appointment=appointment,
        starts_at=starts_at,
        concern=concern,
        advisor=advisor,
        vehicle=vehicle,
    )
    return appointment, False


@transaction.atomic
def appointment_cancel(
    *, integration: Integration, external_id: str, reason: str = ""
) -> Appointment:
    """An appointment deleted in the outside system: cancelled here (the day's list keeps it)."""
    appointment = key_find(integration, Appointment, external_id)
    if appointment is None:
        raise ServiceError(
            f"No appointment was synced with the id “{external_id}”.", code="not_found"
        )
    try:
        return workorder_services.appointment_cancel(
            by=integration.user,
            appointment=appointment,
            reason=reason or f"Cancelled in {integration.name}",
        )
    except ServiceError as error:
        if error.code == "cancelled":  # deleted twice (or twice at once): the same as once
            return Appointment.objects.get(pk=appointment.pk)
        raise


# --- Work orders ------------------------------------------------------------------------


def _status(number: int | None) -> Status | None:
    if number is None:
        return None
    status = Status.objects.filter(number=number).first()
    if status is None:
        raise ServiceError(f"There is no status {number}.", field="status_number")
    return status


def _sync_lines(
    integration: Integration, job: Job, lines: list[dict], prefix: str, known: dict[str, User]
) -> None:
    """The job's lines become the ones sent (the labor-line rule may add labor)."""
    resolved = []
    for index, line in enumerate(lines):
        fields = dict(line)
        try:
            fields["technician"] = employee_for(
                integration,
                fields.pop("technician_external_id", None),
                "technician_external_id",
                known,
            )
        except ServiceError as error:
            raise _nested(error, f"{prefix}.lines[{index}]") from None
        resolved.append(fields)
    try:
        workorder_services.job_lines_replace(
            by=integration.user, job=job, version=None, lines=resolved
        )
    except ServiceError as error:
        raise _nested(error, prefix) from None


def _sync_job(
    integration: Integration,
    work_order: WorkOrder,
    data: dict,
    prefix: str,
    known: dict[str, User],
    stage: str,
) -> Job:
    external_id = _check_external_id(data.get("external_id", ""), f"{prefix}.external_id")
    try:
        technician = employee_for(
            integration, data.get("technician_external_id"), "technician_external_id", known
        )
    except ServiceError as error:
        raise _nested(error, prefix) from None
    fields = {
        "title": data.get("title", ""),
        "technician": technician,
        "customer_notes": data.get("customer_notes", ""),
        "internal_notes": data.get("internal_notes", ""),
    }
    job = key_find(integration, Job, external_id)
    try:
        if job is None or job.work_order_id != work_order.pk:
            elsewhere = job  # the same id on another work order: this one's job now
            job = workorder_services.job_add(
                by=integration.user,
                work_order=work_order,
                version=None,
                category=data.get("category", ""),
                **fields,
            )
            key_remember(integration, job, external_id, replacing=elsewhere)
        else:
            changed = {
                name: value
                for name, value in fields.items()
                if name != "technician" and value.strip() != getattr(job, name)
            }
            if (technician.pk if technician else None) != job.technician_id:
                changed["technician"] = technician
            if changed:
                job = workorder_services.job_update(
                    by=integration.user, job=job, version=None, **changed
                )
        if stage in (Stage.REPAIR_ORDER, Stage.INVOICE) and job.approval == Job.Approval.PENDING:
            # Sent as a repair order or an invoice: the outside system (the shop's point of
            # sale) holds the approval; recorded as its record, in its name.
            job = workorder_services.job_approval_set(
                job=job,
                version=None,
                approval=Job.Approval.APPROVED,
                method=ApprovalMethod.INTEGRATION,
                by=integration.user,
                by_name=integration.name,
            )
    except ServiceError as error:
        raise _nested(error, prefix) from None
    if "lines" in data:
        _sync_lines(integration, job, data["lines"], prefix, known)
    return job


@transaction.atomic
def work_order_upsert(
    *,
    integration: Integration,
    external_id: str,
    vehicle: Vehicle,
    status_number: int | None = None,
    concern: str | None = None,
    odometer_in: int | None = None,
    odometer_out: int | None = None,
    advisor_external_id: str | None = None,
    jobs: list[dict] | None = None,
) -> tuple[WorkOrder, bool]:
    """Create or change a work order with its jobs and lines; then move it to its status.

    Jobs are matched by their own external ids; a job's lines are replaced by the
    ones sent. The status comes last, so a work order sent straight at the invoice
    stage is closed with its lines in it.
    """
    external_id = _check_external_id(external_id)
    status = _status(status_number)
    known: dict[str, User] = {}
    advisor = employee_for(integration, advisor_external_id, "advisor_external_id", known)
    work_order = key_find(integration, WorkOrder, external_id)
    created = work_order is None
    by = integration.user
    if created:
        first = status
        if (
            status is not None
            and workorder_services.stage_for_number(status.number) == Stage.INVOICE
        ):
            # Written as a repair order (the outside system's invoice was never an estimate
            # here), closed below once its lines are in.
            first = first_status_get(Stage.REPAIR_ORDER)
        work_order = workorder_services.workorder_create(
            by=by,
            vehicle=vehicle,
            status=first,
            advisor=advisor,
            concern=concern or "",
            odometer_in=odometer_in,
        )
        key_remember(integration, work_order, external_id)
        if odometer_out is not None:
            work_order = workorder_services.workorder_update(
                by=by, work_order=work_order, version=None, odometer_out=odometer_out
            )
    else:
        if work_order.vehicle_id != vehicle.pk:
            raise ServiceError("A work order's vehicle cannot change.", field="vehicle")
        sent: dict[str, Any] = {
            "concern": concern,
            "odometer_in": odometer_in,
            "odometer_out": odometer_out,
            "advisor": advisor,
        }
        # Only what differs is written: a record sent again unchanged writes nothing.
        fields = {
            name: value
            for name, value in sent.items()
            if value is not None
            and (value.pk if name == "advisor" else value)
            != getattr(work_order, "advisor_id" if name == "advisor" else name)
        }
        if fields and work_order.closed_at is None:
            work_order = workorder_services.workorder_update(
                by=by, work_order=work_order, version=None, **fields
            )
    if jobs and work_order.closed_at is not None:
        raise ServiceError("This work order is closed: its jobs cannot change.", field="jobs")
    # The stage the jobs are sent for: a repair order's or an invoice's jobs count as approved.
    stage = workorder_services.stage_for_number(status.number) if status else work_order.stage
    for index, job in enumerate(jobs or []):
        _sync_job(integration, work_order, job, f"jobs[{index}]", known, stage)
    if status is not None and status.pk != work_order.status_id:
        work_order = workorder_services.workorder_status_set(
            by=by, work_order=work_order, version=None, status=status
        )
    return work_order, created
