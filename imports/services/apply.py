"""Apply an import: a background job that writes the plan in batches, restartable.

- One import at a time: starting sets `ImportRun.applying`, which is unique, so a second
  start is refused by the database however the two requests interleave.
- The job claims its row (queued -> running) with one conditional UPDATE, so a task
  delivered twice runs once.
- Every batch of rows is written in one transaction together with the watermark (the phase
  and the row reached) and the counts, so a worker that dies leaves whole batches only; the
  reaper marks a run whose heartbeat stopped as stopped part-way, and the owner resumes it
  (it carries on after the watermark) or undoes what it wrote.
- Historical invoices are written straight to the tables in bulk, not through the work
  orders' services: no status texts, follow-ups or webhooks for visits years old, and no
  recomputed totals (the old system's printed totals are kept). The report figures and the
  vehicles' mileage are written here instead, and one `import_completed` event is sent.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from imports.models import ImportRun
from imports.services.writer import PHASES, ImportWriter, Stopped
from shop.errors import ServiceError
from shop.models import User
from workorders.models import Status
from workorders.selectors import workorder_settings_get

logger = logging.getLogger(__name__)
State = ImportRun.State
Phase = ImportRun.Phase
STOPPED_MESSAGE = (
    "The import stopped part-way: its background worker stopped. Everything written so far "
    "is whole; resume it to carry on from where it stopped, or undo what it wrote."
)


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=getattr(settings, "IMPORTS_HEARTBEAT_TIMEOUT", 300))


@transaction.atomic
def import_apply_start(*, by: User, run_id: int) -> ImportRun:
    """Queue the apply job of a checked import (or resume a stopped one)."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    if run.state not in {State.CHECKED, State.STOPPED}:
        if run.state == State.UPLOADED:
            raise ServiceError("Run the dry run first: apply writes what it shows.")
        raise ServiceError(
            f"This import is {run.get_state_display().lower()}: it cannot be applied again.",
            code="conflict",
        )
    summary = run.dry_run
    if summary.get("file_errors"):
        raise ServiceError(
            "The dry run found problems with whole files (a required column is not mapped): "
            "fix the mapping and run the dry run again. Nothing was written."
        )
    if summary.get("row_errors") and not run.decisions.get("skip_bad_rows"):
        raise ServiceError(
            f"The dry run found {summary['row_errors']} problem(s) in rows. Fix the file and "
            "upload it again, or tick “Skip the rows with errors” to import the rest. Nothing "
            "was written."
        )
    invoice_from = workorder_settings_get().invoice_from
    if not Status.objects.filter(number=invoice_from).exists():
        raise ServiceError(
            f"There is no status {invoice_from} (the invoice stage) to file the "
            "old invoices under: add it under Statuses."
        )
    fields = {
        "state": State.QUEUED,
        "applying": True,
        "error": "",
        "applied_by": by,
        # Queued now: a run no worker picks up is stopped by the reaper like a dead one.
        "heartbeat_at": timezone.now(),
    }
    if run.state == State.CHECKED:
        fields.update(phase=PHASES[0], position=0, done=0, counts={})
    try:
        with transaction.atomic():
            ImportRun.objects.filter(pk=run.pk).update(**fields)
    except IntegrityError:
        other = ImportRun.objects.filter(applying=True).exclude(pk=run.pk).first()
        raise ServiceError(
            f"Another import (“{other}”) is being applied: one import at a time. Wait for it to "
            "finish, then start this one.",
            code="conflict",
        ) from None
    transaction.on_commit(partial(_dispatch, run.pk), robust=True)
    run.refresh_from_db()
    return run


def _dispatch(run_id: int) -> None:
    from imports.tasks import run_import

    queue = getattr(settings, "IMPORTS_TASK_QUEUE", None)
    try:
        run_import.apply_async((run_id,), **({"queue": queue} if queue else {}))
    except Exception:
        logger.exception("Could not queue import %s", run_id)
        ImportRun.objects.filter(pk=run_id, state=State.QUEUED).update(
            state=State.STOPPED,
            applying=None,
            error="The background worker could not be reached. Start the import again.",
        )


NOT_STARTED_MESSAGE = (
    "The import did not start: no background worker picked it up. Nothing was written; start "
    "it again once the worker runs."
)


def import_runs_reap(*, now=None) -> list[int]:
    """Stop the runs whose worker stopped beating (resumable), and the queued runs no worker
    picked up, so that they do not hold the one-import-at-a-time lock for ever."""
    now = now or timezone.now()
    stale = now - heartbeat_timeout()
    reaped = []
    for state, message in [(State.RUNNING, STOPPED_MESSAGE), (State.QUEUED, NOT_STARTED_MESSAGE)]:
        for run_id in list(
            ImportRun.objects.filter(state=state, heartbeat_at__lt=stale).values_list(
                "pk", flat=True
            )
        ):
            # Conditional: a run that moved on meanwhile is left alone.
            if ImportRun.objects.filter(pk=run_id, state=state, heartbeat_at__lt=stale).update(
                state=State.STOPPED, applying=None, error=message
            ):
                logger.warning("Import %s stopped: %s", run_id, message)
                reaped.append(run_id)
    return reaped


def import_apply_run(run_id: int) -> None:
    """Run a queued import to the end, from its watermark. Safe to call twice."""
    now = timezone.now()
    claimed = ImportRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, heartbeat_at=now, started_at=now
    )
    if not claimed:
        return
    run = ImportRun.objects.get(pk=run_id)
    try:
        ImportWriter(run).apply()
    except Stopped:
        logger.info("Import %s was stopped; it can be resumed.", run_id)
    except Exception as error:
        logger.exception("Import %s failed", run_id)
        message = error.message if isinstance(error, ServiceError) else str(error)
        ImportRun.objects.filter(pk=run_id, state=State.RUNNING).update(
            state=State.STOPPED,
            applying=None,
            error=f"The import stopped part-way: {message[:500]}. Resume it, or undo it.",
        )
        if not isinstance(error, ServiceError):
            raise
