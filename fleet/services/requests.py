"""Send to Fleet (Submit Repair Order), the fleet's decisions, notes and cancelling.

A submit freezes a new version; the fleet decides the lines of the current
version only. Deciding a line the same way twice changes nothing the second
time, so a retried approval gives the same result once.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fleet import events, selectors
from fleet.models import (
    Decision,
    FleetNote,
    FleetRequest,
    FleetRequestLine,
    FleetRequestVersion,
    RequestState,
)
from fleet.snapshots import changes_since, snapshot_lines, work_order_snapshot
from outbox.models import Channel, OutboundMessage
from outbox.services import outbound_message_enqueue
from shop.errors import ServiceError
from shop.models import User
from workorders.models import ApprovalMethod, Job, WorkOrder
from workorders.services import job_approval_set

NOTE_MAX = 2000


def _note_text(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise ServiceError(f"A note is at most {NOTE_MAX} characters.", field="note")
    return text


def webhook_enqueue(request: FleetRequest, event: str, payload: dict) -> None:
    """Write the outbound webhook to the outbox with the change; it is posted after commit.

    The outbox sends it, retries it and relays it when the broker was down; it is signed
    at each try in the fleet's format (fleet/services/webhooks.py).
    """
    company = request.company
    if not company.webhook_url:
        return
    body = json.dumps(
        {"event": event, "fleet_company_id": company.fleet_company_id, **payload},
        sort_keys=True,
        default=str,
    )
    outbound_message_enqueue(
        channel=Channel.WEBHOOK,
        to=company.webhook_url,
        subject=event,
        body=body,
        idempotency_key=f"fleet:{company.pk}:{uuid.uuid4().hex}",
        kind=OutboundMessage.Kind.SYSTEM,
        # The company is the cause: its secret signs each try.
        cause=company,
        check_consent=False,
    )


def fleet_request_payload_build(request: FleetRequest, version: FleetRequestVersion) -> dict:
    return {
        "request": request.pk,
        "version": version.number,
        "state": request.state,
        "repair_order": version.snapshot,
        "lines": [
            {"line": line.line_key, "decision": line.decision, "reason": line.reason}
            for line in version.lines.all()
        ],
        "notes": [
            {"line": note.line_key, "side": note.side, "author": note.author, "body": note.body}
            for note in request.notes.filter(version_number=version.number)
        ],
    }


def _lock_request(work_order: WorkOrder, company) -> FleetRequest:
    request, _ = FleetRequest.objects.get_or_create(
        work_order=work_order, defaults={"company": company}
    )
    return FleetRequest.objects.select_for_update().select_related("company").get(pk=request.pk)


@transaction.atomic
def fleet_request_submit(
    *,
    by: User,
    work_order: WorkOrder,
    note: str = "",
    line_notes: dict[int, str] | None = None,
) -> FleetRequest:
    """Submit Repair Order: freeze what is on the work order now as the next version.

    Pressing it again with nothing changed and no new note keeps the version the
    fleet is deciding (a double click sends once).
    """
    work_order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("customer", "vehicle")
        .get(pk=work_order.pk)
    )
    account = selectors.fleet_account_for(work_order)
    if account is None:
        raise ServiceError(
            f"{work_order.customer} is not a fleet-approval account; there is no fleet to send to."
        )
    if not account.company.is_active:
        raise ServiceError(f"{account.company.name} is no longer active.")
    if work_order.is_closed:
        raise ServiceError(f"{work_order} is billed out; reopen it to send it to the fleet.")
    note = _note_text(note)
    line_notes = {int(k): _note_text(v) for k, v in (line_notes or {}).items() if (v or "").strip()}
    snapshot = work_order_snapshot(work_order)
    lines = snapshot_lines(snapshot)
    if not lines:
        raise ServiceError("Add the jobs and lines the fleet should approve before sending.")
    unknown = set(line_notes) - set(lines)
    if unknown:
        raise ServiceError("A note names a line that is not on this work order.", field="note")

    request = _lock_request(work_order, account.company)
    previous = selectors.current_version(request)
    if (
        previous is not None
        and request.state == RequestState.AWAITING
        and not changes_since(previous.snapshot, snapshot)
        and not note
        and not line_notes
    ):
        return request

    now = timezone.now()
    number = request.current_version + 1
    total = Decimal(snapshot["total"])
    version = FleetRequestVersion.objects.create(
        request=request,
        number=number,
        snapshot=snapshot,
        total=total,
        state=RequestState.AWAITING,
        submitted_by=by,
        submitted_at=now,
    )
    FleetRequestLine.objects.bulk_create(
        FleetRequestLine(
            version=version,
            line_id=key,
            line_key=key,
            job_title=next(j["title"] for j in snapshot["jobs"] if j["id"] == line["job_id"]),
            description=line["description"],
            amount=Decimal(line["net_amount"]),
        )
        for key, line in lines.items()
    )
    author = str(by)
    if note:
        FleetNote.objects.create(
            request=request,
            version_number=number,
            side=FleetNote.Side.SHOP,
            author=author,
            body=note,
        )
    for key, text in line_notes.items():
        FleetNote.objects.create(
            request=request,
            version_number=number,
            line_key=key,
            line_description=lines[key]["description"],
            side=FleetNote.Side.SHOP,
            author=author,
            body=text,
        )
    request.current_version = number
    request.invoice_approved_at = None
    limit = account.company.auto_approve_limit
    if limit > 0 and total <= limit:
        version.lines.update(
            decision=Decision.APPROVED,
            decided_by=f"Auto-approve (at or under ${limit})",
            decided_at=now,
        )
        request.state = version.state = RequestState.AUTO_APPROVED
        version.decided_at = now
        version.save(update_fields=["state", "decided_at"])
    else:
        request.state = RequestState.AWAITING
    request.save(update_fields=["current_version", "state", "invoice_approved_at", "updated_at"])
    payload = fleet_request_payload_build(request, version)
    webhook_enqueue(request, "repair_order.submitted", payload)
    if request.state == RequestState.AUTO_APPROVED:
        _jobs_decide(request, version, f"Auto-approve (at or under ${limit})")
        # Approved under the company's limit: a decision as much as the fleet's own.
        events.fleet_request_decided.send(
            sender=FleetRequest,
            request=request,
            version=version,
            state=request.state,
            decided_at=now,
            by=f"Auto-approve (at or under ${limit})",
        )
    return request


def _jobs_decide(request: FleetRequest, version: FleetRequestVersion, by_name: str) -> None:
    """The fleet's decisions reach the jobs' approval trail (method "fleet"): a job whose
    lines in this version are all approved is approved, all denied is declined; a job with
    lines both ways (or undecided) keeps waiting, for the shop to change and send again."""
    work_order = request.work_order
    if work_order.closed_at is not None:
        return  # billed out meanwhile: the decision stays with the request
    decided = {line.line_key: line.decision for line in version.lines.all()}
    for job in version.snapshot["jobs"]:
        decisions = {decided.get(line["id"], Decision.PENDING) for line in job["lines"]}
        if decisions == {Decision.APPROVED}:
            approval = Job.Approval.APPROVED
        elif decisions == {Decision.DENIED}:
            approval = Job.Approval.DECLINED
        else:
            continue
        current = Job.objects.filter(pk=job["id"], work_order=work_order).first()
        if current is None or current.approval == approval:
            continue  # removed since, or already so
        job_approval_set(
            job=current,
            version=None,
            approval=approval,
            method=ApprovalMethod.FLEET,
            by_name=f"{by_name} ({request.company.name})",
        )


def _state_from(decisions: list[str]) -> str:
    if Decision.PENDING in decisions:
        return RequestState.AWAITING
    if all(d == Decision.APPROVED for d in decisions):
        return RequestState.APPROVED
    if all(d == Decision.DENIED for d in decisions):
        return RequestState.DENIED
    return RequestState.PARTIAL


def superseded_error_build(request: FleetRequest, version: int) -> ServiceError:
    return ServiceError(
        f"Version {version} of this repair order was replaced by version "
        f"{request.current_version}; nothing was decided. Reload it and decide on version "
        f"{request.current_version}.",
        code="conflict",
    )


@transaction.atomic
def fleet_request_decide(
    *,
    request: FleetRequest,
    version: int,
    decisions: list[dict],
    by_name: str,
    note: str = "",
) -> FleetRequest:
    """The fleet approves or denies lines of the current version, a reason with each denial.

    `decisions`: [{"line": line id, "decision": "approved" | "denied", "reason": "..."}].
    When a decision was written, `events.fleet_request_decided` is sent in this transaction.
    """
    request = FleetRequest.objects.select_for_update().select_related("company").get(pk=request.pk)
    if request.state == RequestState.CANCELLED:
        raise ServiceError("The shop cancelled this request; there is nothing to decide.")
    if request.state == RequestState.DRAFT or not request.current_version:
        raise ServiceError("This request has not been submitted yet.")
    if int(version) != request.current_version:
        raise superseded_error_build(request, int(version))
    if request.state == RequestState.AUTO_APPROVED:
        raise ServiceError("This version approved itself (under the auto-approve limit).")
    note = _note_text(note)
    current = selectors.current_version(request)
    lines = {line.line_key: line for line in current.lines.select_for_update()}
    if not decisions and not note:
        raise ServiceError("Approve or deny at least one line, or write a note.")
    now = timezone.now()
    wanted: dict[int, tuple[str, str]] = {}
    for item in decisions:
        try:
            key = int(item.get("line"))
        except (TypeError, ValueError):
            raise ServiceError("Each decision names a line.", field="decisions") from None
        if key not in lines:
            raise ServiceError(f"Line {key} is not part of version {version}.", field="decisions")
        decision = item.get("decision")
        if decision not in (Decision.APPROVED, Decision.DENIED):
            raise ServiceError("Each line is approved or denied.", field="decisions")
        reason = _note_text(item.get("reason"))[:500]
        if decision == Decision.DENIED and not reason:
            raise ServiceError(f"Say why “{lines[key].description}” is denied.", field="reason")
        line = lines[key]
        if line.decision not in (Decision.PENDING, decision):
            raise ServiceError(
                f"“{line.description}” is already {line.get_decision_display().lower()} "
                f"in version {version}; the shop must send a new version to change it.",
                code="conflict",
            )
        wanted[key] = (decision, reason)
    decided = False
    for key, (decision, reason) in wanted.items():
        line = lines[key]
        if line.decision == decision:
            continue  # the same decision again: already recorded, once
        decided = True
        line.decision, line.reason, line.decided_by, line.decided_at = (
            decision,
            reason,
            by_name,
            now,
        )
        line.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        if reason:
            FleetNote.objects.create(
                request=request,
                version_number=request.current_version,
                line_key=key,
                line_description=line.description,
                side=FleetNote.Side.FLEET,
                author=by_name,
                body=f"{line.get_decision_display()}: {reason}",
            )
    noted = False
    if (
        note
        and not request.notes.filter(
            version_number=request.current_version, side=FleetNote.Side.FLEET, body=note
        ).exists()
    ):
        FleetNote.objects.create(
            request=request,
            version_number=request.current_version,
            side=FleetNote.Side.FLEET,
            author=by_name,
            body=note,
        )
        noted = True
    state = _state_from([line.decision for line in lines.values()])
    if state != request.state:
        request.state = current.state = state
        current.decided_at = None if state == RequestState.AWAITING else now
        current.save(update_fields=["state", "decided_at"])
        request.save(update_fields=["state", "updated_at"])
    elif decided or noted:
        # Still awaiting, but changed: pollers of updated_since must see it.
        request.save(update_fields=["updated_at"])
    if decided:
        _jobs_decide(request, current, by_name)
        events.fleet_request_decided.send(
            sender=FleetRequest,
            request=request,
            version=current,
            state=request.state,
            decided_at=now,
            by=by_name,
        )
    return request


@transaction.atomic
def fleet_note_add(
    *,
    request: FleetRequest,
    side: str,
    author: str,
    body: str,
    line_key: int | None = None,
) -> FleetNote:
    """A note in Fleet Communication, on the whole request or on one line of it."""
    body = _note_text(body)
    if not body:
        raise ServiceError("Write the note first.", field="body")
    description = ""
    if line_key is not None:
        version = selectors.current_version(request)
        sent = snapshot_lines(version.snapshot) if version else {}
        line = sent.get(line_key)
        if line is None:  # added since the version was sent: only then read the work order
            line = snapshot_lines(work_order_snapshot(request.work_order)).get(line_key)
        if line is None:
            raise ServiceError("That line is not on this repair order.", field="line")
        description = line["description"]
    note = FleetNote.objects.create(
        request=request,
        version_number=request.current_version,
        line_key=line_key,
        line_description=description,
        side=side,
        author=author,
        body=body,
    )
    FleetRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
    return note


@transaction.atomic
def fleet_request_cancel(*, by: User, work_order: WorkOrder, reason: str = "") -> FleetRequest:
    request = (
        FleetRequest.objects.select_for_update()
        .select_related("company")
        .filter(work_order=work_order)
        .first()
    )
    if request is None or request.state in (RequestState.DRAFT, RequestState.CANCELLED):
        raise ServiceError("There is no request with the fleet to cancel.")
    request.state = RequestState.CANCELLED
    request.invoice_approved_at = None
    request.save(update_fields=["state", "invoice_approved_at", "updated_at"])
    reason = _note_text(reason)
    if reason:
        FleetNote.objects.create(
            request=request,
            version_number=request.current_version,
            side=FleetNote.Side.SHOP,
            author=str(by),
            body=f"Cancelled: {reason}",
        )
    webhook_enqueue(
        request,
        "repair_order.cancelled",
        {"request": request.pk, "version": request.current_version, "state": request.state},
    )
    return request


@transaction.atomic
def fleet_request_save_and_send(
    *, by: User, work_order: WorkOrder, version: int, fields: dict
) -> FleetRequest:
    """The editor's "Save and Send to Fleet": the details saved and the next version sent,
    together or not at all."""
    from workorders import services as workorder_services

    work_order = workorder_services.workorder_update(
        by=by, work_order=work_order, version=version, **fields
    )
    return fleet_request_submit(by=by, work_order=work_order)
