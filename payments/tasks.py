"""Thin tasks: load by id, call a service."""

from __future__ import annotations

from celery import shared_task

from payments.services.statements import statement_run_execute, statement_runs_reap


@shared_task(acks_late=True)
def run_statements(run_id: int) -> None:
    statement_run_execute(run_id)


@shared_task
def reap_statement_runs() -> list[int]:
    """Scheduled by beat: fail the statement runs whose worker died."""
    return statement_runs_reap()
