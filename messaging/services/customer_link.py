"""The customer's link: a signed, expiring URL to their work order, where they decide on jobs.

Customers never log in. The link carries the work order's id, signed with the
project's secret key and a timestamp (django.core.signing); it stops working
after MESSAGING_CUSTOMER_LINK_DAYS. Anyone holding the link may approve or
decline the jobs, as with a paper estimate handed over the counter; each
decision records when, from which address and which browser.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from messaging.models import ApprovalDecision
from shop.errors import ServiceError
from workorders.models import ApprovalMethod, Job, WorkOrder
from workorders.services import job_approval_set

LINK_SALT = "messaging.customer-link"


def customer_link_token_make(work_order: WorkOrder) -> str:
    return signing.dumps({"w": work_order.pk}, salt=LINK_SALT, compress=True)


def customer_link_url_make(work_order: WorkOrder) -> str:
    return settings.SHOP_BASE_URL + reverse(
        "messaging:customer_link", args=[customer_link_token_make(work_order)]
    )


def customer_link_work_order_id_read(token: str) -> int:
    """The work order a link opens; ServiceError(code="expired" or "invalid") otherwise."""
    try:
        payload = signing.loads(
            token,
            salt=LINK_SALT,
            max_age=timedelta(days=settings.MESSAGING_CUSTOMER_LINK_DAYS),
        )
    except signing.SignatureExpired:
        raise ServiceError(
            "This link has expired. Ask the shop to send you a new one.", code="expired"
        ) from None
    except signing.BadSignature:
        raise ServiceError(
            "This link is not valid. Check that it was copied whole.", code="invalid"
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("w"), int):
        raise ServiceError("This link is not valid.", code="invalid")
    return payload["w"]


@transaction.atomic
def customer_job_decide(
    *, token: str, job_id: int, decision: str, ip_address: str | None, user_agent: str
) -> ApprovalDecision:
    """The customer approves or declines one job from their link.

    The job's approval is set through the work orders' own service (which refuses a
    billed-out work order and writes the approval trail, method "customer link"), and the
    decision is kept with its time, address and browser. A job that is done or approved
    (by any means) cannot be declined from the link; what is pending or declined can be
    approved, and what is pending declined.
    """
    if decision not in ApprovalDecision.Decision.values:
        raise ServiceError("Choose approve or decline.", field="decision")
    work_order_id = customer_link_work_order_id_read(token)
    job = (
        Job.objects.select_related("work_order__customer")
        .filter(pk=job_id, work_order_id=work_order_id)
        .first()
    )
    if job is None:
        raise ServiceError("This job is not on your work order.", code="invalid")
    if decision == ApprovalDecision.Decision.APPROVED and not job.lines.exists():
        raise ServiceError(
            f"“{job.title}” is not priced yet: we will text you when it is, so you know what "
            "you approve."
        )
    if decision == ApprovalDecision.Decision.DECLINED:
        # The link never undoes finished or already-approved work: the customer calls the
        # shop about it instead.
        if job.done_at is not None:
            raise ServiceError(
                f"“{job.title}” is already done, so it cannot be declined here. Call the shop "
                "if something is wrong with it.",
                code="done",
            )
        if job.approval == Job.Approval.APPROVED:
            how = job.get_approval_method_display().lower()
            raise ServiceError(
                f"“{job.title}” is already approved{f' ({how})' if how else ''}, so the shop "
                "may have started it. Call the shop to change it.",
                code="approved",
            )
    customer = job.work_order.customer
    job_approval_set(
        job=job,
        version=None,
        approval=decision,
        method=ApprovalMethod.LINK,
        by_name=customer.display_name,
    )
    return ApprovalDecision.objects.create(
        work_order_id=work_order_id,
        job=job,
        decision=decision,
        decided_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:400],
    )
