"""Thin tasks: load by id, call a service."""

from __future__ import annotations

from celery import shared_task

from followups.services import follow_ups_generate, output_job_run, output_jobs_reap


@shared_task(acks_late=True)
def run_output_job(job_id: int) -> None:
    output_job_run(job_id)


@shared_task(acks_late=True)
def generate_follow_ups() -> int:
    return follow_ups_generate()


@shared_task
def reap_output_jobs() -> list[int]:
    """Scheduled by beat: fail the output jobs whose worker died."""
    return output_jobs_reap()
