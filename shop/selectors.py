"""Reads of the shop app."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from shop.models import User, WorkerHeartbeat


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
