"""Thin tasks: load by id, call a service."""

from __future__ import annotations

from celery import shared_task

from imports.services.apply import import_apply_run, import_runs_reap
from imports.services.checking import import_dry_run_job, import_dry_runs_reap


@shared_task(acks_late=True)
def run_import(run_id: int) -> None:
    import_apply_run(run_id)


@shared_task
def reap_imports() -> list[int]:
    """Scheduled by beat: an import whose worker died is marked stopped part-way."""
    return import_runs_reap() + import_dry_runs_reap()


@shared_task(acks_late=True)
def check_import(run_id: int) -> None:
    """The dry run of an import's files (started from its page)."""
    import_dry_run_job(run_id)
