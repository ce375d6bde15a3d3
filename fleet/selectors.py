"""Reads of the fleet app: which work orders are fleet work, a request's state as the
work order stands now, Fleet Communication, and the portal's lists (one fleet only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, QuerySet, When

from fleet.models import (
    Decision,
    FleetAccount,
    FleetNote,
    FleetRequest,
    FleetRequestLine,
    FleetRequestVersion,
    FleetUser,
    RequestState,
    UnapprovedBillOut,
)
from fleet.snapshots import (
    Changes,
    changes_since,
    line_fingerprint,
    snapshot_lines,
    work_order_snapshot,
)
from workorders.models import WorkOrder

APPROVED_STATES = {RequestState.APPROVED, RequestState.PARTIAL, RequestState.AUTO_APPROVED}


def fleet_account_for(work_order: WorkOrder) -> FleetAccount | None:
    """The work order's fleet account, if its invoice method is fleet approval."""
    return (
        FleetAccount.objects.select_related("company")
        .filter(
            customer_id=work_order.customer_id,
            invoice_method=FleetAccount.InvoiceMethod.FLEET_APPROVAL,
        )
        .first()
    )


def current_version(request: FleetRequest) -> FleetRequestVersion | None:
    if not request.current_version:
        return None
    return request.versions.filter(number=request.current_version).first()


@dataclass
class FleetStatus:
    """A fleet work order's request as the work order stands now."""

    account: FleetAccount
    request: FleetRequest | None
    version: FleetRequestVersion | None
    lines: list[FleetRequestLine] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    # The work order as it would be sent now (work_order_snapshot), and its lines' ids.
    snapshot: dict = field(default_factory=dict)
    current_keys: set[int] = field(default_factory=set)

    @property
    def state(self) -> str:
        return self.request.state if self.request else RequestState.DRAFT

    @property
    def state_label(self) -> str:
        return RequestState(self.state).label

    @property
    def approval_voided(self) -> bool:
        """An approved line changed or went, or a line was added, since the approval."""
        if self.state not in APPROVED_STATES:
            return False
        approved = {line.line_key for line in self.lines if line.decision == Decision.APPROVED}
        touched = {line["id"] for line in self.changes.changed + self.changes.removed}
        return bool(self.changes.added) or bool(approved & touched)

    @property
    def needs_approval(self) -> bool:
        """Shown on the work order: the fleet must (again) approve before billing out."""
        return not self.approved_for_billing

    @property
    def approved_for_billing(self) -> bool:
        """Every line on the work order is a line the fleet approved, unchanged."""
        if self.state not in APPROVED_STATES or self.version is None or self.approval_voided:
            return False
        decided = {line.line_key: line.decision for line in self.lines}
        current = self.current_keys
        return bool(current) and all(decided.get(key) == Decision.APPROVED for key in current)

    @property
    def resubmits_on_save(self) -> bool:
        """The editor's save button reads "Save and Send to Fleet"."""
        if self.request is None or self.state in (RequestState.DRAFT, RequestState.CANCELLED):
            return False
        return self.state in (RequestState.DENIED, RequestState.PARTIAL) or bool(self.changes)


def fleet_status(work_order: WorkOrder) -> FleetStatus | None:
    """None for a work order that is not fleet work."""
    account = fleet_account_for(work_order)
    if account is None:
        return None
    request = FleetRequest.objects.filter(work_order=work_order).first()
    current = work_order_snapshot(work_order)
    status = FleetStatus(account=account, request=request, version=None, snapshot=current)
    status.current_keys = set(snapshot_lines(current))
    if request is not None:
        status.version = current_version(request)
        if status.version is not None:
            status.lines = list(status.version.lines.all())
            status.changes = changes_since(status.version.snapshot, current)
    return status


@dataclass(frozen=True)
class InvoiceApproval:
    """What the printed invoice says about the fleet: approved (by whom, when, which version)
    or billed out without its approval (by whom, when)."""

    company_name: str
    fleet_company_id: str
    approved: bool
    at: datetime
    # Approved: the request, the version the fleet decided, who decided it and when.
    request_id: int | None = None
    version_number: int | None = None
    state_label: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    # Billed out without approval: who did it ("": the system) and the request's state then.
    billed_out_by: str = ""
    request_state: str = ""


def invoice_approval(work_order: WorkOrder) -> InvoiceApproval | None:
    """The fleet's word on a billed-out work order; None when it is not fleet work (or was
    billed out before it became fleet work). Bill-outs of an earlier closing, before a
    reopen, do not count."""
    if work_order.closed_at is None:
        return None
    request = (
        FleetRequest.objects.select_related("company")
        .filter(work_order=work_order, invoice_approved_at__isnull=False)
        .first()
    )
    if request is not None:
        version = current_version(request)
        approvers: list[str] = []
        if version is not None:
            for name in version.lines.filter(decision=Decision.APPROVED).values_list(
                "decided_by", flat=True
            ):
                if name and name not in approvers:
                    approvers.append(name)
        return InvoiceApproval(
            company_name=request.company.name,
            fleet_company_id=request.company.fleet_company_id,
            approved=True,
            at=request.invoice_approved_at,
            request_id=request.pk,
            version_number=request.current_version or None,
            state_label=request.get_state_display(),
            decided_by=", ".join(approvers),
            decided_at=version.decided_at if version is not None else None,
        )
    unapproved = (
        UnapprovedBillOut.objects.select_related("company", "by")
        .filter(work_order=work_order, at__gte=work_order.closed_at)
        .order_by("-at", "-id")
        .first()
    )
    if unapproved is None:
        return None
    return InvoiceApproval(
        company_name=unapproved.company.name,
        fleet_company_id=unapproved.company.fleet_company_id,
        approved=False,
        at=unapproved.at,
        billed_out_by=str(unapproved.by) if unapproved.by else "",
        request_state=unapproved.request_state,
    )


def notes_for(request: FleetRequest, line_key: int | None = None) -> QuerySet[FleetNote]:
    """Fleet Communication: every note, or only one line's notes."""
    notes = FleetNote.objects.filter(request=request)
    if line_key is not None:
        notes = notes.filter(line_key=line_key)
    return notes.order_by("created_at", "id")


def fleet_user_company_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    # An employee tied to a fleet by mistake is still not a fleet user.
    return (
        FleetUser.objects.filter(
            user=user, user__role="", user__security_level__isnull=True, company__is_active=True
        )
        .values_list("company_id", flat=True)
        .first()
    )


def portal_requests(company_id: int) -> QuerySet[FleetRequest]:
    """A fleet's requests (never another fleet's), the ones waiting on it first."""
    return (
        FleetRequest.objects.filter(company_id=company_id)
        .exclude(state=RequestState.DRAFT)
        .select_related("work_order__vehicle", "work_order__customer", "company")
        .order_by(Case(When(state=RequestState.AWAITING, then=0), default=1), "-updated_at", "-id")
    )


def portal_request(company_id: int, request_id: int) -> FleetRequest:
    """Raises FleetRequest.DoesNotExist for another fleet's request (a 404, never a 403)."""
    return portal_requests(company_id).get(pk=request_id)


def request_as_dict(request: FleetRequest) -> dict:
    """A request as the API and the fleet network read it: what was sent, and the decisions."""
    version = current_version(request)
    notes = notes_for(request)
    return {
        "id": request.pk,
        "work_order": request.work_order_id,
        "fleet_company_id": request.company.fleet_company_id,
        "state": request.state,
        "state_label": request.get_state_display(),
        "version": request.current_version,
        "repair_order": version.snapshot if version else None,
        "total": str(version.total) if version else None,
        "lines": [
            {
                "line": line.line_key,
                "job": line.job_title,
                "description": line.description,
                "amount": str(line.amount),
                "decision": line.decision,
                "reason": line.reason,
                "decided_by": line.decided_by,
            }
            for line in (version.lines.all() if version else [])
        ],
        "notes": [
            {
                "line": note.line_key,
                "side": note.side,
                "author": note.author,
                "body": note.body,
                "version": note.version_number,
                "created_at": note.created_at.isoformat(),
            }
            for note in notes
        ],
        "updated_at": request.updated_at.isoformat(),
    }


__all__ = [
    "FleetStatus",
    "InvoiceApproval",
    "current_version",
    "fleet_account_for",
    "fleet_status",
    "invoice_approval",
    "line_fingerprint",
    "notes_for",
    "portal_request",
    "portal_requests",
    "request_as_dict",
]
