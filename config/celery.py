"""The Celery app. Its settings live in config/settings.py under CELERY_."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    # With CELERY_DB_REUSE_MAX set, connections live across tasks: check them as
    # Django checks them per request (CONN_MAX_AGE, CONN_HEALTH_CHECKS). Not for
    # a task run in-process, which shares its caller's connection and transaction.
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_init.connect
def _refuse_to_start_on_errors(**kwargs) -> None:
    # A worker deployed without its broker would take tasks from nowhere: say so at start.
    # Celery logs and swallows a receiver's exceptions, so leave with the message instead.
    from django.core.exceptions import ImproperlyConfigured

    from config.checks import refuse_to_start_on_errors

    try:
        refuse_to_start_on_errors()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None
