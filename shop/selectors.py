"""Reads of the shop app."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
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
