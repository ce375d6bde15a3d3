"""Thin tasks: ids in, call a service."""

from __future__ import annotations

from celery import shared_task

from parts.services.price_files import price_file_apply_run


@shared_task(acks_late=True)
def apply_price_file(run_id: int) -> None:
    price_file_apply_run(run_id)
