"""The dry run as a background job, with the progress bar, so a big shop's files (hundreds of
thousands of rows) are never read inside a request.

- Starting it moves the run to `checking` (refused while it is applied, or checking already)
  and queues the job after commit; the page polls the progress and shows the findings when
  the run is `checked`.
- The job claims the run (phase "" -> reading) with one conditional UPDATE, so a task
  delivered twice reads the files once; it beats while it reads (rows read so far).
- A job that fails leaves the run `uploaded` with the reason; one whose worker died is put
  back the same way by the reaper. The dry run writes nothing but its findings, so there is
  nothing to resume: it is run again.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from imports.models import ImportRun
from imports.services.apply import heartbeat_timeout
from imports.services.dry_run import import_dry_run
from shop.errors import ServiceError
from shop.models import User

logger = logging.getLogger(__name__)
State = ImportRun.State
NOT_REACHED = "The background worker could not be reached. Run the dry run again."
DIED = "The dry run stopped: its background worker stopped. Run it again."


@transaction.atomic
def import_dry_run_start(*, by: User | None, run_id: int) -> ImportRun:
    """Queue the dry run of an import's files (run after commit by a worker)."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    if run.state == State.CHECKING:
        raise ServiceError("The dry run is running already: wait for it.", code="conflict")
    if run.state not in {State.UPLOADED, State.CHECKED}:
        raise ServiceError(
            f"This import is {run.get_state_display().lower()}: the dry run is for files not "
            "applied yet.",
            code="conflict",
        )
    if not run.files.exists():
        raise ServiceError("Upload at least one file first.")
    total = run.files.aggregate(rows=Sum("rows"))["rows"] or 0
    ImportRun.objects.filter(pk=run.pk).update(
        state=State.CHECKING,
        phase="",
        done=0,
        total=total,
        error="",
        heartbeat_at=timezone.now(),
    )
    transaction.on_commit(partial(_dispatch, run.pk), robust=True)
    run.refresh_from_db()
    return run


def _dispatch(run_id: int) -> None:
    from imports.tasks import check_import

    queue = getattr(settings, "IMPORTS_TASK_QUEUE", None)
    try:
        check_import.apply_async((run_id,), **({"queue": queue} if queue else {}))
    except Exception:
        logger.exception("Could not queue the dry run of import %s", run_id)
        ImportRun.objects.filter(pk=run_id, state=State.CHECKING).update(
            state=State.UPLOADED, error=NOT_REACHED
        )


def import_dry_run_job(run_id: int) -> None:
    """The job: claim the run, read its files with progress, write the findings."""
    claimed = ImportRun.objects.filter(pk=run_id, state=State.CHECKING, phase="").update(
        phase=ImportRun.Phase.READING, heartbeat_at=timezone.now()
    )
    if not claimed:
        return

    def progress(rows: int) -> None:
        ImportRun.objects.filter(pk=run_id, state=State.CHECKING).update(
            done=rows, heartbeat_at=timezone.now()
        )

    try:
        import_dry_run(run_id=run_id, progress=progress)
    except Exception as error:
        logger.exception("The dry run of import %s failed", run_id)
        message = error.message if isinstance(error, ServiceError) else str(error)
        ImportRun.objects.filter(pk=run_id, state=State.CHECKING).update(
            state=State.UPLOADED, phase="", error=f"The dry run stopped: {message[:500]}"
        )
        if not isinstance(error, ServiceError):
            raise


def import_dry_runs_reap(*, now=None) -> list[int]:
    """Put back the dry runs whose worker stopped beating (or never started them)."""
    stale = (now or timezone.now()) - heartbeat_timeout()
    reaped = []
    for run_id in list(
        ImportRun.objects.filter(state=State.CHECKING, heartbeat_at__lt=stale).values_list(
            "pk", flat=True
        )
    ):
        if ImportRun.objects.filter(pk=run_id, state=State.CHECKING, heartbeat_at__lt=stale).update(
            state=State.UPLOADED, phase="", error=DIED
        ):
            reaped.append(run_id)
    return reaped
