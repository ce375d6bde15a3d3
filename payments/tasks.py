"""Thin tasks: load by id, call a service."""

from __future__ import annotations

from celery import shared_task

from payments.services.statements import statement_run_execute


@shared_task(acks_late=True)
def run_statements(run_id: int) -> None:
    statement_run_execute(run_id)
