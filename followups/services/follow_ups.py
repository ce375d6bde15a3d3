"""The daily generation of follow-ups from the lists' rules, and Follow Up Maintenance.

A visit is the invoice that starts a follow-up. The rules, in one place:
- never the same follow-up twice for the same visit: a unique constraint on (list, visit),
  and a visit whose follow-up was sent (a Mailing row, kept when Follow Up Maintenance
  deletes the follow-up) is skipped, so running the generation twice adds nothing;
- none when the customer came back since that visit (a later invoice);
- none while the vehicle is in the shop (an open repair order): the advisor has the
  customer at the counter, and the visit that ends it starts the next reminder;
- none for a disabled vehicle;
- none to a revoked contact: an e-mail list needs the customer's e-mail consent and an
  address; a mail list needs a postal address;
- none within the settings' minimum days of the last mailing to that customer.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from customers.models import CustomerEmail
from followups.criteria import months_after
from followups.models import FollowUp, FollowUpList, Mailing
from followups.selectors.settings import followup_settings_get
from shop.dates import day_end, day_start
from workorders.models import Job, Stage, WorkOrder

# Visits older than this are not reminded of any more.
SERVICE_DUE_HORIZON_DAYS = 3 * 365
# A thank-you missed on its day (the scheduler was down) still goes out within this.
THANK_YOU_GRACE_DAYS = 7


def _eligible_visits(follow_up_list: FollowUpList, today: date, min_days: int) -> QuerySet:
    later_visit = WorkOrder.objects.filter(
        stage=Stage.INVOICE,
        customer_id=OuterRef("customer_id"),
        closed_at__gt=OuterRef("closed_at"),
    )
    in_the_shop = WorkOrder.objects.filter(
        stage=Stage.REPAIR_ORDER, vehicle_id=OuterRef("vehicle_id")
    )
    already = FollowUp.objects.filter(follow_up_list=follow_up_list, work_order_id=OuterRef("pk"))
    sent = Mailing.objects.filter(follow_up_list=follow_up_list, work_order_id=OuterRef("pk"))
    recently_mailed = Mailing.objects.filter(
        customer_id=OuterRef("customer_id"), sent_on__gt=today - timedelta(days=min_days)
    )
    if follow_up_list.by_email:
        contact = Q(customer__email_consent=True) & Q(
            Exists(CustomerEmail.objects.filter(customer_id=OuterRef("customer_id")))
        )
    else:
        contact = ~Q(customer__address_line1="")
    return (
        WorkOrder.objects.filter(
            stage=Stage.INVOICE, vehicle__is_active=True, closed_at__isnull=False
        )
        .filter(contact)
        .filter(~Exists(later_visit), ~Exists(in_the_shop), ~Exists(already), ~Exists(sent))
        .filter(~Exists(recently_mailed) if min_days else Q())
        .order_by()
    )


def _service_due_rows(follow_up_list: FollowUpList, today: date, min_days: int) -> list[FollowUp]:
    visits = _eligible_visits(follow_up_list, today, min_days).filter(
        closed_at__gte=day_start(today - timedelta(days=SERVICE_DUE_HORIZON_DAYS)),
        closed_at__lt=day_end(today),
    )
    visits = visits.filter(
        Exists(Job.objects.filter(work_order_id=OuterRef("pk"), category=follow_up_list.category))
    )
    rows = []
    for pk, customer_id, vehicle_id, closed_at, annual in visits.values_list(
        "pk", "customer_id", "vehicle_id", "closed_at", "vehicle__annual_mileage"
    ).iterator(chunk_size=5000):
        visit_on = timezone.localtime(closed_at).date()
        dues = []
        if follow_up_list.due_months:
            dues.append(months_after(visit_on, follow_up_list.due_months))
        if follow_up_list.due_miles and annual:
            # Due when the vehicle has driven the miles at its estimated annual mileage.
            dues.append(visit_on + timedelta(days=round(follow_up_list.due_miles * 365 / annual)))
        due_on = min(dues) if dues else None
        if due_on is None or due_on > today:
            continue
        rows.append(
            FollowUp(
                follow_up_list=follow_up_list,
                customer_id=customer_id,
                vehicle_id=vehicle_id,
                work_order_id=pk,
                visit_on=visit_on,
                due_on=due_on,
            )
        )
    return rows


def _thank_you_rows(follow_up_list: FollowUpList, today: date, min_days: int) -> list[FollowUp]:
    days = follow_up_list.days_after or 0
    last_day = today - timedelta(days=days)
    visits = _eligible_visits(follow_up_list, today, min_days).filter(
        closed_at__gte=day_start(last_day - timedelta(days=THANK_YOU_GRACE_DAYS)),
        closed_at__lt=day_end(last_day),
    )
    rows = []
    for pk, customer_id, vehicle_id, closed_at in visits.values_list(
        "pk", "customer_id", "vehicle_id", "closed_at"
    ).iterator(chunk_size=5000):
        visit_on = timezone.localtime(closed_at).date()
        rows.append(
            FollowUp(
                follow_up_list=follow_up_list,
                customer_id=customer_id,
                vehicle_id=vehicle_id,
                work_order_id=pk,
                visit_on=visit_on,
                due_on=visit_on + timedelta(days=days),
            )
        )
    return rows


def follow_ups_generate(*, today: date | None = None) -> int:
    """Generate the follow-ups due today from every active list; returns how many are new.

    Idempotent: a second run the same day (or a re-delivered task) adds nothing.
    """
    settings_row = followup_settings_get()
    if not settings_row.enabled:
        return 0
    today = today or timezone.localdate()
    created = 0
    for follow_up_list in FollowUpList.objects.filter(is_active=True).order_by("id"):
        with transaction.atomic():
            if follow_up_list.rule == FollowUpList.Rule.THANK_YOU:
                rows = _thank_you_rows(
                    follow_up_list, today, settings_row.min_days_between_mailings
                )
            else:
                rows = _service_due_rows(
                    follow_up_list, today, settings_row.min_days_between_mailings
                )
            before = FollowUp.objects.filter(follow_up_list=follow_up_list).count()
            FollowUp.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
            created += FollowUp.objects.filter(follow_up_list=follow_up_list).count() - before
    return created


@transaction.atomic
def follow_ups_delete_sent() -> int:
    """Follow Up Maintenance: delete the follow-ups that have a Date Sent.

    What was sent stays in the mailings, so those visits are never followed up again.
    """
    deleted, _ = FollowUp.objects.filter(date_sent__isnull=False).delete()
    return deleted
