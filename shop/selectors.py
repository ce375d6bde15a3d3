"""Reads of the shop app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.db.models import Max, Model, QuerySet, Sum
from django.utils import timezone

from shop.models import ShopProfile, User, WorkerHeartbeat

M = TypeVar("M", bound=Model)


def single_row_get(model: type[M], **defaults: Any) -> M:
    """The one row (pk=1) of a settings model, created with `defaults` on the first read.

    Every single-row settings model is read this way, through one getter in its app's
    selectors: `shop_profile_get`, `workorders.selectors.workorder_settings_get`,
    `followups.selectors.followup_settings_get`, `reports.selectors.report_settings_get`.
    Not cached: each call is one primary-key query, so a change saved earlier in the same
    request is always seen; a reader that needs the row many times takes it once and
    passes it on. The first read of a new shop inserts the defaults with ON CONFLICT DO
    NOTHING: no savepoint, and two requests racing both end up with the same default row.
    """
    row = model.objects.filter(pk=1).first()
    if row is None:
        row = model(pk=1, **defaults)
        model.objects.bulk_create([row], ignore_conflicts=True)
    return row


def shop_profile_get() -> ShopProfile:
    """The shop's profile (name, address, tax and labor rates, area code)."""
    return single_row_get(ShopProfile, name="Our Shop")


def employee_list() -> QuerySet[User]:
    return User.objects.exclude(role="").select_related("invited_by")


def system_status() -> dict:
    """What the System status page shows: can background work run?"""
    heartbeats = list(WorkerHeartbeat.objects.order_by("-seen_at")[:10])
    recent = timezone.now() - timedelta(minutes=3)
    return {
        "database": connection.vendor,
        "in_process_tasks": settings.CELERY_TASK_ALWAYS_EAGER,
        "heartbeats": heartbeats,
        "worker_alive": any(h.seen_at >= recent for h in heartbeats),
    }


def login_lockouts() -> list[dict]:
    """Logins locked out now: the username and address pairs (AXES_LOCKOUT_PARAMETERS) with
    AXES_FAILURE_LIMIT wrong passwords within AXES_COOLOFF_TIME, latest first. Two queries."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = list(
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt", "username")
    )
    employees = User.objects.in_bulk([row["username"] for row in rows], field_name="username")
    for row in rows:
        row["employee"] = employees.get(row["username"])
        row["unlocks_at"] = row["last_attempt"] + settings.AXES_COOLOFF_TIME
    return rows
