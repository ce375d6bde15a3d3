"""Thin tasks: load by id, call a service."""

from __future__ import annotations

from celery import shared_task

from imports.services.apply import import_apply_run, import_runs_reap


@shared_task(acks_late=True)
def run_import(run_id: int) -> None:
    import_apply_run(run_id)


@shared_task
def reap_imports() -> list[int]:
    """Scheduled by beat: an import whose worker died is marked stopped part-way."""
    return import_runs_reap()
