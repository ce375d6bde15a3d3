"""What the follow-up pages list: saved queries, templates, lists, follow-ups, outputs."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from followups.models import FollowUp, FollowUpList, LetterTemplate, OutputJob, SavedQuery
from workorders.models import Job, Package


def saved_query_list() -> QuerySet[SavedQuery]:
    return SavedQuery.objects.order_by("name")


def letter_template_list() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.order_by("name")


def follow_up_list_list() -> QuerySet[FollowUpList]:
    return FollowUpList.objects.select_related("template").order_by("name")


def pending_follow_ups(follow_up_list: FollowUpList, *, today: date | None = None):
    """Due and not sent; a vehicle disabled since the follow-up was generated is left out."""
    today = today or timezone.localdate()
    return FollowUp.objects.filter(
        follow_up_list=follow_up_list,
        date_sent__isnull=True,
        due_on__lte=today,
        vehicle__is_active=True,
    )


def follow_up_list_overview() -> QuerySet[FollowUpList]:
    """The lists with how many follow-ups are due and not sent: one query."""
    today = timezone.localdate()
    return follow_up_list_list().annotate(
        pending=Count(
            "follow_ups",
            filter=Q(
                follow_ups__date_sent__isnull=True,
                follow_ups__due_on__lte=today,
                follow_ups__vehicle__is_active=True,
            ),
        )
    )


def follow_up_maintenance_list() -> QuerySet[FollowUp]:
    return FollowUp.objects.select_related("follow_up_list", "customer", "vehicle").order_by(
        "-generated_at", "-id"
    )


def recent_jobs() -> QuerySet[OutputJob]:
    return OutputJob.objects.select_related("created_by").order_by("-created_at", "-id")


def last_job(kinds: set[str]) -> OutputJob | None:
    """The last finished output of these kinds: View/Print Last."""
    return (
        OutputJob.objects.filter(kind__in=kinds, state=OutputJob.State.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-id")
        .first()
    )


def service_categories() -> list[str]:
    """The job categories in use: the package categories and those on recent jobs."""
    names = set(Package.objects.values_list("category", flat=True))
    since = timezone.now() - timedelta(days=365)
    names.update(
        Job.objects.filter(work_order__created_at__gte=since)
        .order_by()
        .values_list("category", flat=True)
        .distinct()[:200]
    )
    return sorted(n for n in names if n)
