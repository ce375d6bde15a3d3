"""Monthly statements and finance charges.

A statement run is an output job like the follow-ups' (followups.services.outputs): it
claims its row (queued -> running) with one conditional UPDATE so a task delivered twice
runs once, moves its progress on the row as it goes, renders its PDF in batches with the
follow-ups' batch renderer (followups.outputs.pdf), and saves the file, the Statement rows
and the e-mails in the one transaction that marks it done. Each Statement keeps its
figures and lines, so a re-print is the statement that was sent.

Finance charges (off by default, FinanceChargeSettings) are finance-charge ledger entries,
one per customer and month (FinanceCharge is unique on both): applying them twice for a
month writes nothing the second time.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from customers.models import Customer
from payments.models import (
    ZERO,
    FinanceCharge,
    FinanceChargeSettings,
    LedgerEntry,
    Statement,
    StatementRun,
)
from payments.services.ledger import entry_write
from payments.services.taking import money_read
from payments.statement_selectors import (
    AGING_LABELS,
    StatementFigures,
    finance_charge_settings_get,
    month_first,
    month_last,
    net_days_by_customer,
    past_due,
    statement_customer_ids,
    statement_customers,
    statement_figures,
)
from shop.errors import ServiceError
from shop.models import ShopProfile, User
from shop.selectors import shop_profile_get

logger = logging.getLogger(__name__)
State = StatementRun.State
CENT = Decimal("0.01")
STATEMENTS_PER_BATCH = 100


# --- Finance charges --------------------------------------------------------------------------


@transaction.atomic
def finance_charge_settings_update(
    *, by: User, enabled: bool, rate: Any, minimum: Any
) -> FinanceChargeSettings:
    rate = money_read(rate, field="rate", label="The rate")
    if not ZERO <= rate <= Decimal("25"):
        raise ServiceError("The monthly rate runs from 0 to 25 %.", field="rate")
    minimum = money_read(minimum, field="minimum", label="The minimum charge")
    if minimum < 0:
        raise ServiceError("The minimum charge cannot be negative.", field="minimum")
    if enabled and rate == 0 and minimum == 0:
        raise ServiceError(
            "A finance charge of 0 % with no minimum charges nothing: set a rate or a minimum.",
            field="rate",
        )
    row = FinanceChargeSettings.objects.select_for_update().order_by("id").first()
    row = row or FinanceChargeSettings()
    row.enabled, row.rate, row.minimum = bool(enabled), rate, minimum
    row.save()
    return row


def _period_check(period: date) -> date:
    period = month_first(period)
    if period > month_first(timezone.localdate()):
        raise ServiceError("That month has not started yet.", field="period")
    return period


def finance_charge_amount(past_due_amount: Decimal, row: FinanceChargeSettings) -> Decimal:
    if past_due_amount <= 0:
        return ZERO
    charge = (past_due_amount * row.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(charge, row.minimum)


@transaction.atomic
def finance_charges_apply(
    *, by: User | None, period: date, customer_ids: list[int] | None = None
) -> list[FinanceCharge]:
    """The month's finance charge on each A/R customer's past-due balance (invoices open at
    the end of the month past their terms): rate percent, at least the minimum. Once per
    customer and month: customers charged for the month already are skipped."""
    row = finance_charge_settings_get()
    if not row.enabled:
        raise ServiceError(
            "Finance charges are off: turn them on in Statements and finance charges first.",
            code="disabled",
        )
    period = _period_check(period)
    if customer_ids is None:
        customer_ids = statement_customer_ids(period)
    ar_ids = list(
        Customer.objects.select_for_update()
        .filter(pk__in=customer_ids, is_ar=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    done = set(
        FinanceCharge.objects.filter(customer_id__in=ar_ids, period=period).values_list(
            "customer_id", flat=True
        )
    )
    todo = [pk for pk in ar_ids if pk not in done]
    figures = statement_figures(todo, period)
    terms = net_days_by_customer(todo)
    business_date = min(month_last(period), timezone.localdate())
    now = timezone.now()
    charges = []
    for pk in todo:
        due = past_due(figures[pk], terms[pk])
        amount = finance_charge_amount(due, row)
        if amount <= 0:
            continue
        entry = entry_write(
            kind=LedgerEntry.Kind.FINANCE_CHARGE,
            customer_id=pk,
            amount=amount,
            by=by,
            at=now,
            business_date=business_date,
        )
        charges.append(
            FinanceCharge(
                customer_id=pk,
                period=period,
                past_due=due,
                amount=amount,
                entry=entry,
                created_at=now,
            )
        )
    return FinanceCharge.objects.bulk_create(charges)


# --- Statements -------------------------------------------------------------------------------


def _customer_email(customer: Customer) -> str:
    emails = list(customer.emails.all())
    return emails[0].address if emails else ""


@transaction.atomic
def statement_run_start(
    *,
    by: User | None,
    period: date,
    customer: Customer | None = None,
    delivery: str = StatementRun.Delivery.PRINT,
    with_finance_charges: bool = False,
) -> StatementRun:
    """Queue the statements of a month: one customer's, or every A/R customer's with a
    balance; the task starts after commit."""
    period = _period_check(period)
    if delivery not in StatementRun.Delivery.values:
        raise ServiceError("Choose to print or to e-mail the statements.", field="delivery")
    if customer is not None:
        if not customer.is_ar:
            raise ServiceError(
                f"{customer} is not an A/R customer: statements are for A/R accounts.",
                code="not_ar",
            )
        if delivery == StatementRun.Delivery.EMAIL and not customer.emails.exists():
            raise ServiceError(
                f"{customer} has no e-mail address: print the statement instead.",
                field="delivery",
            )
    if with_finance_charges and not finance_charge_settings_get().enabled:
        raise ServiceError(
            "Finance charges are off: turn them on in Statements and finance charges first.",
            field="with_finance_charges",
        )
    run = StatementRun.objects.create(
        period=period,
        customer=customer,
        delivery=delivery,
        with_finance_charges=with_finance_charges,
        created_by=by,
    )
    transaction.on_commit(partial(_dispatch, run.pk), robust=True)
    return run


def _dispatch(run_id: int) -> None:
    from payments.tasks import run_statements

    try:
        run_statements.delay(run_id)
    except Exception:
        logger.exception("Could not queue statement run %s", run_id)
        StatementRun.objects.filter(pk=run_id, state=State.QUEUED).update(
            state=State.FAILED,
            error="The background worker could not be reached. Start the statements again.",
            finished_at=timezone.now(),
        )


class _Stopped(Exception):
    """The run is no longer running (failed meanwhile)."""


def _beat(run_id: int, **values) -> None:
    if not StatementRun.objects.filter(pk=run_id, state=State.RUNNING).update(
        heartbeat_at=timezone.now(), **values
    ):
        raise _Stopped


def statement_context(statement: Statement | StatementFigures, customer: Customer) -> dict:
    """What the statement template shows, from a saved Statement or fresh figures."""
    if isinstance(statement, StatementFigures):
        lines = [_line_json(line) for line in statement.lines]
        aging = {key: str(amount) for key, amount in statement.aging.items()}
    else:
        lines, aging = statement.lines, statement.aging
    return {
        "customer": customer,
        "period": statement.period,
        "period_end": month_last(statement.period),
        "opening_balance": Decimal(str(statement.opening_balance)),
        "charges": Decimal(str(statement.charges)),
        "payments": Decimal(str(statement.payments)),
        "closing_balance": Decimal(str(statement.closing_balance)),
        "lines": [
            {
                "date": date.fromisoformat(line["date"]),
                "text": line["text"],
                "amount": Decimal(line["amount"]),
            }
            for line in lines
        ],
        "aging": [
            (label, Decimal(aging.get(key, "0")))
            for key, label in AGING_LABELS
            if key != "other" or Decimal(aging.get(key, "0"))
        ],
    }


def _line_json(line: dict) -> dict:
    return {"date": line["date"].isoformat(), "text": line["text"], "amount": str(line["amount"])}


def statements_html(items: list[dict], *, shop: ShopProfile | None = None) -> str:
    """One HTML document of statements (each on its own pages), on the shop's letterhead."""
    return render_to_string(
        "payments/pdf/statements.html",
        {"statements": items, "shop": shop or shop_profile_get()},
    )


class StatementBatches(Sequence[str]):
    """A run's statements as batches of HTML for the batch renderer, each batch drawn when
    it is asked for. With several PDF workers, render_batches asks in the worker processes
    (after forking them), so the templates are drawn there in parallel, not one after the
    other in this process before the first page is laid out. Everything a batch needs is
    read before: drawing one asks the database nothing."""

    def __init__(
        self,
        ids: list[int],
        figures: dict[int, StatementFigures],
        customers: dict[int, Customer],
        shop: ShopProfile,
        size: int = STATEMENTS_PER_BATCH,
    ):
        self.ids, self.figures, self.customers, self.shop, self.size = (
            ids, figures, customers, shop, size
        )  # fmt: skip

    def __len__(self) -> int:
        return -(-len(self.ids) // self.size)

    def chunk(self, index: int) -> list[int]:
        return self.ids[index * self.size : (index + 1) * self.size]

    def __getitem__(self, index):  # type: ignore[override]
        if not 0 <= index < len(self):
            raise IndexError(index)
        items = [
            statement_context(self.figures[pk], self.customers[pk]) for pk in self.chunk(index)
        ]
        return statements_html(items, shop=self.shop)


def statements_pdf(statements: list[Statement]) -> bytes:
    """Saved statements printed again, as they were sent (one PDF)."""
    from followups.outputs.pdf_worker import html_document

    if not statements:
        raise ServiceError("There is no statement to print.")
    items = [statement_context(s, s.customer) for s in statements]
    return html_document(statements_html(items), lean=True).write_pdf()


def statement_attachments(statement: Statement) -> list[tuple[str, bytes, str]]:
    """The PDF an e-mailed statement carries (outbox.attachments): the statement as saved."""
    name = f"statement-{statement.customer_id}-{statement.period:%Y-%m}.pdf"
    return [(name, statements_pdf([statement]), "application/pdf")]


def statement_run_execute(run_id: int) -> None:
    """Run a queued statement run to its PDF or e-mails. Safe to call twice: only one call
    claims the row."""
    now = timezone.now()
    if not StatementRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=now, heartbeat_at=now
    ):
        return
    run = StatementRun.objects.select_related("customer").get(pk=run_id)
    work_dir = tempfile.mkdtemp(prefix=f"statements-run-{run_id}-")
    try:
        _produce(run, Path(work_dir))
    except _Stopped:
        logger.info("Statement run %s was stopped.", run_id)
    except ServiceError as error:
        StatementRun.objects.filter(pk=run_id, state=State.RUNNING).update(
            state=State.FAILED, error=error.message, finished_at=timezone.now()
        )
    except Exception as error:
        logger.exception("Statement run %s failed", run_id)
        StatementRun.objects.filter(pk=run_id, state=State.RUNNING).update(
            state=State.FAILED,
            error=f"The statements failed: {error}",
            finished_at=timezone.now(),
        )
        raise
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _produce(run: StatementRun, work_dir: Path) -> None:
    from followups.outputs.pdf import render_batches

    if run.with_finance_charges:
        ids = [run.customer_id] if run.customer_id else None
        finance_charges_apply(by=run.created_by, period=run.period, customer_ids=ids)
    ids = [run.customer_id] if run.customer_id else statement_customer_ids(run.period)
    if not ids:
        raise ServiceError(
            f"No A/R customer has a balance at the end of {run.period:%B %Y}: "
            "there is no statement to send."
        )
    _beat(run.pk, total=len(ids))
    figures = statement_figures(ids, run.period)
    customers = statement_customers(ids)
    emails: list[tuple[Customer, StatementFigures]] = []
    file_path = None
    if run.delivery == StatementRun.Delivery.EMAIL:
        emails = [(customers[pk], figures[pk]) for pk in ids]
        _beat(run.pk, done=max(len(ids) - 1, 0))
    else:
        batches = StatementBatches(ids, figures, customers, shop_profile_get())
        done = 0

        def on_batch(index: int) -> None:
            nonlocal done
            done += len(batches.chunk(index))
            # The last row waits for the final transaction: 100 % means the file is there.
            _beat(run.pk, done=min(done, len(ids) - 1))

        file_path = work_dir / f"statements-{run.period:%Y-%m}-{run.pk}.pdf"
        render_batches(
            batches, str(file_path), work_dir=str(work_dir), on_batch=on_batch, lean=True
        )
    _finish(run, ids, figures, file_path, emails)


@transaction.atomic
def _finish(run, ids, figures, file_path, emails) -> None:
    from messaging.services.outbox import message_enqueue
    from outbox.models import Channel

    locked = StatementRun.objects.select_for_update().get(pk=run.pk)
    if locked.state != State.RUNNING:
        raise _Stopped
    now = timezone.now()
    existing = {
        s.customer_id: s
        for s in Statement.objects.select_for_update().filter(
            customer_id__in=ids, period=run.period
        )
    }
    new, changed = [], []
    for pk in ids:
        figure = figures[pk]
        values = {
            "opening_balance": figure.opening_balance,
            "charges": figure.charges,
            "payments": figure.payments,
            "closing_balance": figure.closing_balance,
            "aging": {key: str(amount) for key, amount in figure.aging.items()},
            "lines": [_line_json(line) for line in figure.lines],
            "run": locked,
        }
        statement = existing.get(pk)
        if statement is None:
            new.append(Statement(customer_id=pk, period=run.period, created_at=now, **values))
        else:
            for name, value in values.items():
                setattr(statement, name, value)
            statement.created_at = now
            changed.append(statement)
    Statement.objects.bulk_create(new, batch_size=1000)
    Statement.objects.bulk_update(
        changed,
        ["opening_balance", "charges", "payments", "closing_balance", "aging", "lines", "run",
         "created_at"],
        batch_size=1000,
    )  # fmt: skip
    reached: list[int] = []
    shop = shop_profile_get()
    # Each e-mail's cause is the customer's statement: the e-mail transport attaches its
    # PDF (statement_attachments, registered with outbox.attachments).
    saved = {statement.customer_id: statement for statement in [*new, *changed]}
    for customer, figure in emails:
        to = _customer_email(customer)
        if not to:
            continue
        body = render_to_string(
            "payments/emails/statement.txt",
            {**statement_context(figure, customer), "shop": shop},
        )
        try:
            message_enqueue(
                channel=Channel.EMAIL,
                to=to,
                subject=f"{shop.name}: your statement for {run.period:%B %Y}",
                body=body,
                idempotency_key=f"statement-{customer.pk}-{run.period:%Y-%m}-run-{run.pk}",
                customer=customer,
                cause=saved[customer.pk],
                sent_by=run.created_by,
            )
        except ServiceError:
            continue  # no consent to e-mail, or an address that is not one
        reached.append(customer.pk)
    if emails:
        Statement.objects.filter(customer_id__in=reached, period=run.period).update(emailed_at=now)
        if len(reached) < len(emails):
            locked.error = (
                f"{len(reached)} of {len(emails)} statements e-mailed; the others have no e-mail "
                "address or no consent to e-mail: print them."
            )
    if file_path is not None:
        with file_path.open("rb") as handle:
            locked.file.save(file_path.name, File(handle), save=False)
    locked.state = State.DONE
    locked.done = locked.total = len(ids)
    locked.finished_at = now
    locked.save()


WORKER_GONE = (
    "The worker running these statements stopped without finishing (it was restarted or ran "
    "out of memory). No statement was saved or e-mailed: start them again."
)


def statement_runs_reap(*, now=None) -> list[int]:
    """Fail the running statement runs whose worker is gone (no heartbeat for the follow-ups'
    FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT): nothing of theirs was saved, so they can be run again.
    Run by beat every two minutes."""
    from django.conf import settings

    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT)
    reaped = []
    for run_id in StatementRun.objects.filter(
        state=State.RUNNING, heartbeat_at__lt=stale
    ).values_list("id", flat=True):
        # Conditional: a run that finished meanwhile is left alone.
        if StatementRun.objects.filter(
            pk=run_id, state=State.RUNNING, heartbeat_at__lt=stale
        ).update(state=State.FAILED, error=WORKER_GONE, finished_at=now):
            logger.warning("Statement run %s failed: its worker is gone.", run_id)
            reaped.append(run_id)
    return reaped
