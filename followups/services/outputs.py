"""Output jobs: a query or a follow-up list to a report, a file, labels, postcards, letters
or e-mail, run by a Celery task with its progress on the row.

The rules that keep a mailing honest:
- the job claims its row (queued -> running) with one conditional UPDATE, so a task
  delivered twice runs once;
- files are written to a private work folder and only saved to storage, follow-ups
  marked sent, mailings recorded and e-mails put in messaging's outbox in the one
  transaction that marks the job done, after checking it was not cancelled;
- a cancelled job (checked between batches) removes its work folder: no partial file
  is left, nothing is marked sent and no e-mail is queued;
- a running job moves its heartbeat at every step; a job whose worker died (killed out
  of memory, or by the task time limit) stops moving it, and the reaper (a beat task)
  marks it failed, removes its partial files and lets the shop run it again. A worker
  that was only slow finds its job no longer running at its next step and stops.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from followups.criteria import DEFAULT_FIELDS, criteria_clean, fields_clean
from followups.merge import merge, shop_values
from followups.models import (
    MAILING_KINDS,
    TEMPLATE_KINDS,
    Collect,
    FollowUp,
    FollowUpList,
    LetterTemplate,
    Mailing,
    OutputJob,
    OutputKind,
    SavedQuery,
)
from followups.outputs import documents
from followups.outputs.pdf import JobCancelled, render_batches
from followups.selectors.pages import pending_follow_ups
from followups.selectors.rows import follow_up_rows, search_rows
from followups.selectors.settings import followup_settings_get
from shop.errors import ServiceError
from shop.models import User
from shop.selectors import shop_profile_get

logger = logging.getLogger(__name__)
State = OutputJob.State


def _check_template(kind: str, template: LetterTemplate | None) -> None:
    if kind not in TEMPLATE_KINDS:
        return
    if template is None:
        raise ServiceError("Choose the saved letter or e-mail to send.", field="template")
    wanted = LetterTemplate.Kind.EMAIL if kind == OutputKind.EMAIL else LetterTemplate.Kind.LETTER
    if template.kind != wanted:
        raise ServiceError(
            "E-mail needs a saved e-mail; letters and postcards a saved letter.", field="template"
        )


@transaction.atomic
def output_job_start(
    *,
    by: User | None,
    kind: str,
    template: LetterTemplate | None = None,
    query: SavedQuery | None = None,
    follow_up_list: FollowUpList | None = None,
    criteria: dict | None = None,
    collect: str = Collect.CUSTOMER,
    fields: list[str] | None = None,
    title: str = "",
) -> OutputJob:
    """Queue an output of a saved query, of unsaved criteria, or of a follow-up list's
    due follow-ups; the task starts after commit."""
    if kind not in OutputKind.values:
        raise ServiceError("Choose what to output.", field="kind")
    _check_template(kind, template)
    if follow_up_list is not None:
        if not followup_settings_get().enabled:
            raise ServiceError("Follow Ups are not enabled in the follow-up settings.")
        criteria, collect = {}, Collect.CUSTOMER
        fields = ["name", "address_line1", "city", "state", "postcode", "vehicle", "last_visit"]
        title = title or follow_up_list.name
    elif query is not None:
        criteria, collect, fields = query.criteria, query.collect, query.fields
        title = title or query.name
    return _queue(
        by=by,
        kind=kind,
        template=template,
        query=query,
        follow_up_list=follow_up_list,
        criteria=criteria_clean(criteria or {}),
        collect=collect,
        fields=fields_clean(fields or DEFAULT_FIELDS, collect),
        title=(title or "Data Search")[:200],
    )


def _queue(*, by: User | None, **values) -> OutputJob:
    job = OutputJob.objects.create(created_by=by, **values)
    transaction.on_commit(partial(_dispatch, job.pk), robust=True)
    return job


def _dispatch(job_id: int) -> None:
    from followups.tasks import run_output_job

    # A queue of its own only when set (tests with a real worker); Celery's default otherwise.
    queue = getattr(settings, "FOLLOWUPS_TASK_QUEUE", None)
    try:
        run_output_job.apply_async((job_id,), **({"queue": queue} if queue else {}))
    except Exception:
        logger.exception("Could not queue output job %s", job_id)
        OutputJob.objects.filter(pk=job_id, state=State.QUEUED).update(
            state=State.FAILED,
            error="The background worker could not be reached. Start the output again.",
            finished_at=timezone.now(),
        )


def output_job_cancel(*, job: OutputJob) -> bool:
    """Stop a job that has not finished; it cleans up after itself at its next batch."""
    return bool(
        OutputJob.objects.filter(pk=job.pk, state__in=[State.QUEUED, State.RUNNING]).update(
            state=State.CANCELLED, finished_at=timezone.now()
        )
    )


def _beat(job_id: int, **values) -> None:
    """Move the job's heartbeat (and save `values`); stop when it is no longer running:
    cancelled, or failed by the reaper while this worker was too slow."""
    updated = OutputJob.objects.filter(pk=job_id, state=State.RUNNING).update(
        heartbeat_at=timezone.now(), **values
    )
    if not updated:
        raise JobCancelled


class _Progress:
    """Counts rows done on the job row, and stops the job when it was cancelled."""

    def __init__(self, job: OutputJob, total: int, steps: int):
        self.job, self.total, self.steps, self.done_steps = job, total, max(steps, 1), 0

    def step(self, *_args) -> None:
        self.done_steps += 1
        done = min(self.total, round(self.total * self.done_steps / self.steps))
        # Leave the last row for the final transaction: 100 % means the file is there.
        if self.done_steps < self.steps:
            _beat(self.job.pk, done=done)
        else:
            _beat(self.job.pk)


def _rows(job: OutputJob) -> list[dict]:
    if job.follow_up_list_id:
        follow_ups = pending_follow_ups(job.follow_up_list)
        return list(follow_up_rows(follow_ups))
    return list(search_rows(job.criteria, job.collect))


def output_job_run(job_id: int, *, on_step: Callable[[OutputJob], None] | None = None) -> None:
    """Run a queued job to its files. Safe to call twice: only one call claims the row."""
    _remove_orphaned_work_dirs()
    # The process id in the name tells a later sweep whether the folder's owner is alive.
    work_dir = tempfile.mkdtemp(prefix=f"followups-job-{job_id}-{os.getpid()}-")
    now = timezone.now()
    claimed = OutputJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=now, heartbeat_at=now, work_dir=work_dir
    )
    if not claimed:
        shutil.rmtree(work_dir, ignore_errors=True)
        return
    job = OutputJob.objects.select_related("template", "follow_up_list").get(pk=job_id)
    try:
        rows = _rows(job)
        _beat(job.pk, total=len(rows))
        files, emails = _produce(job, rows, work_dir, on_step)
        _finish(job, rows, files, emails)
    except JobCancelled:
        logger.info("Output job %s was stopped; its partial files are removed.", job.pk)
    except ServiceError as error:
        OutputJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.FAILED, error=error.message, finished_at=timezone.now()
        )
    except SoftTimeLimitExceeded:
        # Celery's warning before the hard limit kills the task: end it in words.
        logger.warning("Output job %s reached the soft time limit.", job.pk)
        minutes = round(settings.CELERY_TASK_SOFT_TIME_LIMIT / 60)
        OutputJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.FAILED, error=TIME_LIMIT.format(minutes=minutes),
            finished_at=timezone.now(),
        )  # fmt: skip
    except Exception as error:
        logger.exception("Output job %s failed", job.pk)
        OutputJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.FAILED, error=f"The output failed: {error}", finished_at=timezone.now()
        )
        raise
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _produce(job, rows, work_dir, on_step) -> tuple[dict[str, Path], list[dict]]:
    """Write the job's files in work_dir; return them by role, and the e-mails to queue."""
    shop = shop_profile_get()
    today = timezone.localdate()
    extra = shop_values(shop, today)
    kind = job.kind
    work = Path(work_dir)
    stem = f"{kind.replace('_', '-')}-{job.pk}"

    def run(batches: list[str], out: Path, progress: _Progress) -> Path:
        def on_batch(index: int) -> None:
            if on_step:
                on_step(job)
            progress.step(index)

        render_batches(batches, str(out), work_dir=work_dir, on_batch=on_batch)
        return out

    if kind == OutputKind.CSV:
        out = work / f"{stem}.csv"
        out.write_bytes(documents.csv_bytes(rows, job.fields))
        return {"file": out}, []
    if kind == OutputKind.REPORT:
        html = documents.report_html(rows, job.fields, title=job.title, shop=shop, today=today)
        (work / f"{stem}.html").write_text(html, encoding="utf-8")
        progress = _Progress(job, len(rows), 1)
        run([html], work / f"{stem}.pdf", progress)
        return {"file": work / f"{stem}.pdf", "second_file": work / f"{stem}.html"}, []
    if kind == OutputKind.EMAIL:
        emails = _emails(job, rows, extra)
        progress = _Progress(job, len(rows), 1)
        if on_step:
            on_step(job)
        progress.step()
        return {}, emails

    batches: list[str] = []
    labels: list[str] = []
    if kind in (OutputKind.LETTERS, OutputKind.LETTERS_LABELS):
        batches = documents.letters_batches(rows, job.template, shop=shop, today=today, extra=extra)
    elif kind in (OutputKind.POSTCARDS, OutputKind.POSTCARDS_LABELS, OutputKind.POSTCARD_SINGLE):
        batches = documents.postcards_batches(
            rows, job.template, shop=shop, extra=extra, single=kind == OutputKind.POSTCARD_SINGLE
        )
    if kind in (OutputKind.LABELS, OutputKind.LETTERS_LABELS, OutputKind.POSTCARDS_LABELS):
        labels = documents.labels_batches(rows)
    if not rows:
        raise ServiceError("Nothing matched: there is nothing to print.")
    progress = _Progress(job, len(rows), len(batches) + len(labels))
    files: dict[str, Path] = {}
    if batches:
        files["file"] = run(batches, work / f"{stem}.pdf", progress)
    if labels:
        key = "second_file" if batches else "file"
        files[key] = run(labels, work / f"{stem}-labels.pdf", progress)
    return files, []


def _emails(job: OutputJob, rows: list[dict], extra: dict) -> list[dict]:
    emails = []
    for row in rows:
        if not row.get("email"):
            continue
        values = {**extra, **row}
        emails.append(
            {
                "row": row,
                "subject": merge(job.template.subject, values),
                "body": merge(job.template.body, values),
            }
        )
    return emails


@transaction.atomic
def _finish(job: OutputJob, rows: list[dict], files: dict[str, Path], emails: list[dict]) -> None:
    from customers.models import Customer
    from messaging.services.outbox import message_enqueue
    from outbox.models import Channel

    locked = OutputJob.objects.select_for_update().get(pk=job.pk)
    if locked.state != State.RUNNING:
        raise JobCancelled
    for role, path in files.items():
        with path.open("rb") as handle:
            getattr(locked, role).save(path.name, File(handle), save=False)
    today = timezone.localdate()
    reached = rows
    if job.kind == OutputKind.EMAIL:
        customers = Customer.objects.in_bulk({e["row"]["customer_id"] for e in emails})
        reached = []
        for email in emails:
            row = email["row"]
            key = f"followups-job-{job.pk}-" + (
                f"follow-up-{row['follow_up_id']}" if row.get("follow_up_id") else
                f"customer-{row['customer_id']}-{row.get('work_order_id') or 0}"
            )  # fmt: skip
            try:
                message_enqueue(
                    channel=Channel.EMAIL,
                    to=row["email"],
                    subject=email["subject"],
                    body=email["body"],
                    idempotency_key=key,
                    customer=customers.get(row["customer_id"]),
                    cause=locked,
                )
            except ServiceError:
                continue  # no consent, or an address that is not one: not reached
            reached.append(row)
    if job.kind in MAILING_KINDS:
        _record_mailings(locked, reached, today)
    locked.state = State.DONE
    locked.done = locked.total = len(rows)
    locked.finished_at = timezone.now()
    if job.kind == OutputKind.EMAIL:
        locked.error = (
            f"{len(reached)} of {len(rows)} e-mails queued; the others have no e-mail address "
            "or no consent to e-mail."
            if len(reached) < len(rows)
            else ""
        )
    locked.save()


def _record_mailings(job: OutputJob, rows: list[dict], today) -> None:
    follow_up_ids = [r["follow_up_id"] for r in rows if r.get("follow_up_id")]
    if follow_up_ids:
        FollowUp.objects.filter(pk__in=follow_up_ids, date_sent__isnull=True).update(
            date_sent=today, sent_by_job=job
        )
    Mailing.objects.bulk_create(
        [
            Mailing(
                customer_id=row["customer_id"],
                job=job,
                follow_up_list_id=job.follow_up_list_id if row.get("follow_up_id") else None,
                work_order_id=row.get("work_order_id") if row.get("follow_up_id") else None,
                sent_on=today,
            )
            for row in rows
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


# --- Jobs whose worker died -------------------------------------------------------------------

WORKER_GONE = (
    "The worker running this output stopped without finishing (it was restarted or ran "
    "out of memory). Nothing was sent or marked sent and its partial files were removed: "
    "run it again."
)
TIME_LIMIT = (
    "This output ran past the {minutes}-minute limit and was stopped. Nothing was sent or "
    "marked sent and its partial files were removed: run it again, or split it into "
    "smaller runs."
)
# The hard time limit kills the task; give the worker this long to have written its end.
TIME_LIMIT_GRACE = timedelta(minutes=1)
_WORK_DIR = re.compile(r"followups-job-\d+-(\d+)-")


def output_jobs_reap(*, now: datetime | None = None) -> list[int]:
    """Fail the running jobs whose worker is gone: heartbeat older than
    FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT, or started longer ago than the task time limit.
    Removes their partial files; returns the ids failed. Run by beat every two minutes."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT)
    limit_seconds = settings.CELERY_TASK_TIME_LIMIT
    over_limit = now - timedelta(seconds=limit_seconds) - TIME_LIMIT_GRACE
    candidates = OutputJob.objects.filter(state=State.RUNNING).filter(
        Q(heartbeat_at__lt=stale)
        | Q(heartbeat_at__isnull=True, started_at__lt=stale)
        | Q(started_at__lt=over_limit)
    )
    reaped = []
    for job in candidates.only("id", "started_at", "work_dir"):
        timed_out = job.started_at is not None and job.started_at < over_limit
        message = TIME_LIMIT.format(minutes=round(limit_seconds / 60)) if timed_out else WORKER_GONE
        # Conditional: a job that finished (or was cancelled) meanwhile is left alone.
        if OutputJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.FAILED, error=message, finished_at=now
        ):
            logger.warning("Output job %s failed: its worker is gone (%s).", job.pk,
                           "time limit" if timed_out else "no heartbeat")  # fmt: skip
            if job.work_dir:
                shutil.rmtree(job.work_dir, ignore_errors=True)
            reaped.append(job.pk)
    _remove_orphaned_work_dirs()
    return reaped


def _remove_orphaned_work_dirs() -> None:
    """Partial files left in this host's temporary folder by a worker process that died.

    The reaper may run on another host than the dead worker; the next job or reaper on
    the dead worker's host removes what it left. Only folders whose process is gone are
    touched, so a job running in another worker (or another shop's) keeps its files."""
    for folder in Path(tempfile.gettempdir()).glob("followups-job-*"):
        match = _WORK_DIR.match(folder.name)
        if match and folder.is_dir() and not _process_alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


@transaction.atomic
def output_job_rerun(*, by: User | None, job: OutputJob) -> OutputJob:
    """Run a failed or cancelled output again as it was asked: the same output and letter,
    and the query's criteria and fields of that run (or the follow-up list's follow-ups
    due now)."""
    if not job.may_run_again:
        raise ServiceError("Only a failed or cancelled output can be run again.")
    if job.follow_up_list_id:
        return output_job_start(
            by=by, kind=job.kind, template=job.template, follow_up_list=job.follow_up_list
        )
    if job.query_id is None:
        raise ServiceError(
            "The saved query of this output was deleted: start it again from Data Search."
        )
    _check_template(job.kind, job.template)
    return _queue(
        by=by,
        kind=job.kind,
        template=job.template,
        query=job.query,
        follow_up_list=None,
        criteria=criteria_clean(job.criteria),
        collect=job.collect,
        fields=fields_clean(job.fields, job.collect),
        title=job.title,
    )
