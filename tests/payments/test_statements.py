"""Monthly statements from the ledger (opening, charges, payments, closing, aging), printed
as one PDF read back with pypdf or e-mailed through the outbox, re-printable from the
Statement kept; finance charges once per customer and month."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from customers.models import CustomerEmail
from outbox.models import OutboundMessage
from outbox.services import outbound_message_dispatch
from payments import services
from payments.models import FinanceCharge, LedgerEntry, Statement, StatementRun
from payments.services import statements as statement_services
from payments.statement_selectors import month_last, previous_month, statement_figures
from shop.errors import ServiceError
from tests.payments.conftest import bill_out, cash, work_order_write
from tests.workorders.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PERIOD = previous_month()
LAST = month_last(PERIOD)


@contextlib.contextmanager
def on_day(monkeypatch, day):
    """Everything written inside happens at noon of `day` (the ledger dates its entries)."""
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        yield


@pytest.fixture
def acme(db):
    customer = CustomerFactory(
        is_ar=True, kind="company", company_name="Acme Plumbing", email_consent=True
    )
    CustomerEmail.objects.create(customer=customer, address="billing@acme.test")
    return customer


@pytest.fixture
def month_of_acme(monkeypatch, statuses, shop_rates, advisor, acme):
    """$300 billed 45 days before the month; in the month $200 billed and $100 paid on
    account (to the oldest); after the month $50 more."""
    with on_day(monkeypatch, PERIOD - timedelta(days=45)):
        old = bill_out(work_order_write(advisor, amount="300.00", customer=acme), advisor)
    with on_day(monkeypatch, PERIOD + timedelta(days=4)):
        new = bill_out(work_order_write(advisor, amount="200.00", customer=acme), advisor)
    with on_day(monkeypatch, PERIOD + timedelta(days=9)):
        services.account_payment_take(
            by=advisor, customer=acme, tenders=[services.TenderInput("check", Decimal("100.00"),
                                                                     check_number="1234")]
        )  # fmt: skip
    bill_out(work_order_write(advisor, amount="50.00", customer=acme), advisor)
    return old, new


def test_the_months_figures_come_from_the_ledger(month_of_acme, acme):
    _old, new = month_of_acme
    figures = statement_figures([acme.pk], PERIOD)[acme.pk]
    assert figures.opening_balance == Decimal("300.00")
    assert (figures.charges, figures.payments) == (Decimal("200.00"), Decimal("-100.00"))
    assert figures.closing_balance == Decimal("400.00")
    assert [line["text"] for line in figures.lines] == [
        f"Invoice #{new.pk}",
        "Payment, Check #1234",
    ]
    # The old invoice is 61-90 days old at the month's end (45 days before it started).
    assert (LAST - (PERIOD - timedelta(days=45))).days in range(61, 91)
    assert figures.aging == {
        "current": Decimal("200.00"),
        "31_60": Decimal("0.00"),
        "61_90": Decimal("200.00"),
        "over_90": Decimal("0.00"),
        "other": Decimal("0.00"),
    }


def _run(django_capture_on_commit_callbacks, **kwargs) -> StatementRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_services.statement_run_start(period=PERIOD, **kwargs)
    run.refresh_from_db()
    return run


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_all_ar_customers_print_as_one_pdf_on_the_letterhead(
    month_of_acme, acme, advisor, monkeypatch, django_capture_on_commit_callbacks
):
    other = CustomerFactory(is_ar=True, first_name="Dana", last_name="Zimmer")
    with on_day(monkeypatch, PERIOD + timedelta(days=2)):
        bill_out(work_order_write(advisor, amount="75.00", customer=other), advisor)
    CustomerFactory(is_ar=True, first_name="Nobody", last_name="Owes")  # no balance: no statement
    not_ar = CustomerFactory(first_name="Cash", last_name="Only")
    with on_day(monkeypatch, PERIOD + timedelta(days=2)):
        bill_out(work_order_write(advisor, amount="80.00", customer=not_ar), advisor)

    run = _run(django_capture_on_commit_callbacks, by=advisor)

    assert (run.state, run.total, run.done, run.percent) == ("done", 2, 2, 100)
    data = run.file.read()
    assert len(PdfReader(io.BytesIO(data)).pages) == 2  # a page each
    text = _pdf_text(data)
    assert text.count("STATEMENT FOR") == 2
    assert "Main Street Auto" in text and "Acme Plumbing" in text and "Dana" in text
    assert "Cash Only" not in text and "Nobody" not in text
    assert "$400.00" in text and "$75.00" in text and "Check #1234" in text
    kept = {s.customer_id: s for s in Statement.objects.filter(period=PERIOD)}
    assert set(kept) == {acme.pk, other.pk}
    assert kept[acme.pk].closing_balance == Decimal("400.00")
    assert kept[acme.pk].aging["61_90"] == "200.00"


def test_a_statement_is_reprinted_as_it_was_sent(
    month_of_acme, acme, advisor, monkeypatch, django_capture_on_commit_callbacks
):
    _run(django_capture_on_commit_callbacks, by=advisor, customer=acme)
    # A payment back-dated into the month after the statement went out.
    with on_day(monkeypatch, PERIOD + timedelta(days=20)):
        services.account_payment_take(by=advisor, customer=acme, tenders=[cash("40.00")])
    statement = Statement.objects.get(customer=acme, period=PERIOD)
    text = _pdf_text(statement_services.statements_pdf([statement]))
    assert "$400.00" in text and "$360.00" not in text
    assert statement_figures([acme.pk], PERIOD)[acme.pk].closing_balance == Decimal("360.00")


def test_statements_are_emailed_through_the_outbox(
    month_of_acme, acme, advisor, django_capture_on_commit_callbacks
):
    run = _run(django_capture_on_commit_callbacks, by=advisor, customer=acme, delivery="email")
    assert run.state == "done" and not run.file
    message = OutboundMessage.objects.get(customer=acme, idempotency_key__startswith="statement-")
    assert message.to == "billing@acme.test"
    assert PERIOD.strftime("%B %Y") in message.subject
    assert "Closing balance" in message.body and "$400.00" in message.body
    statement = Statement.objects.get(customer=acme)
    assert statement.emailed_at is not None and message.cause == statement
    # The e-mail carries the statement's PDF (outbox.attachments), as it was saved. (Sent
    # by hand: the fixture's own e-mails left the test's one publishing callback pending.)
    outbound_message_dispatch(message_id=message.pk)
    [sent] = [m for m in mail.outbox if m.subject == message.subject]
    [(name, content, mimetype)] = sent.attachments
    assert (name, mimetype) == (f"statement-{acme.pk}-{PERIOD:%Y-%m}.pdf", "application/pdf")
    assert "$400.00" in _pdf_text(content)


def test_an_email_without_consent_is_not_sent_and_the_run_says_so(
    month_of_acme, acme, advisor, django_capture_on_commit_callbacks
):
    acme.email_consent = False
    acme.save(update_fields=["email_consent"])
    run = _run(django_capture_on_commit_callbacks, by=advisor, customer=acme, delivery="email")
    assert run.state == "done" and "0 of 1 statements e-mailed" in run.error
    assert not OutboundMessage.objects.filter(idempotency_key__startswith="statement-").exists()
    assert Statement.objects.get(customer=acme).emailed_at is None


def test_bad_requests_are_refused_and_nothing_is_queued(acme, advisor):
    plain = CustomerFactory()
    no_email = CustomerFactory(is_ar=True)
    cases = [
        ({"customer": plain}, "not an A/R customer"),
        ({"customer": no_email, "delivery": "email"}, "no e-mail address"),
        ({"delivery": "fax"}, "print or to e-mail"),
        ({"with_finance_charges": True}, "Finance charges are off"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ServiceError, match=message):
            statement_services.statement_run_start(by=advisor, period=PERIOD, **kwargs)
    with pytest.raises(ServiceError, match="not started yet"):
        statement_services.statement_run_start(
            by=advisor, period=timezone.localdate() + timedelta(days=40)
        )
    assert not StatementRun.objects.exists()


def test_a_run_with_no_statement_to_send_fails_in_words(
    db, advisor, django_capture_on_commit_callbacks
):
    run = _run(django_capture_on_commit_callbacks, by=advisor)
    assert run.state == "failed" and "No A/R customer has a balance" in run.error


def test_a_run_is_claimed_once(month_of_acme, acme, advisor):
    run = statement_services.statement_run_start(by=advisor, period=PERIOD, customer=acme)
    statement_services.statement_run_execute(run.pk)
    first = StatementRun.objects.get(pk=run.pk).finished_at
    statement_services.statement_run_execute(run.pk)  # delivered twice
    assert StatementRun.objects.get(pk=run.pk).finished_at == first
    assert Statement.objects.count() == 1


# --- Finance charges ---------------------------------------------------------------------------


def test_finance_charges_are_off_by_default(month_of_acme, advisor):
    with pytest.raises(ServiceError, match="Finance charges are off"):
        statement_services.finance_charges_apply(by=advisor, period=PERIOD)
    assert not LedgerEntry.objects.filter(kind="finance_charge").exists()


def test_finance_charge_on_the_past_due_balance_once_a_month(
    month_of_acme, acme, owner, advisor, monkeypatch
):
    small = CustomerFactory(is_ar=True)
    with on_day(monkeypatch, PERIOD - timedelta(days=40)):
        bill_out(work_order_write(advisor, amount="50.00", customer=small), advisor)
    statement_services.finance_charge_settings_update(
        by=owner, enabled=True, rate="1.50", minimum="2.00"
    )
    charges = statement_services.finance_charges_apply(by=owner, period=PERIOD)
    by_customer = {c.customer_id: c for c in charges}
    # Acme: only the old invoice's $200 left is past its 30-day terms; 1.5 % is $3.00.
    assert (by_customer[acme.pk].past_due, by_customer[acme.pk].amount) == (
        Decimal("200.00"),
        Decimal("3.00"),
    )
    # $50 past due: 1.5 % is $0.75, so the $2.00 minimum.
    assert by_customer[small.pk].amount == Decimal("2.00")
    entry = by_customer[acme.pk].entry
    assert (entry.kind, entry.amount, entry.business_date) == (
        "finance_charge",
        Decimal("3.00"),
        min(LAST, timezone.localdate()),
    )
    again = statement_services.finance_charges_apply(by=owner, period=PERIOD)
    assert again == [] and LedgerEntry.objects.filter(kind="finance_charge").count() == 2
    assert FinanceCharge.objects.count() == 2
    figures = statement_figures([acme.pk], PERIOD)[acme.pk]
    assert figures.closing_balance == Decimal("403.00")
    assert figures.aging["other"] == Decimal("3.00")


def test_finance_charges_with_the_statement_run(
    month_of_acme, acme, owner, django_capture_on_commit_callbacks
):
    statement_services.finance_charge_settings_update(
        by=owner, enabled=True, rate="1.50", minimum="2.00"
    )
    run = _run(django_capture_on_commit_callbacks, by=owner, with_finance_charges=True)
    assert run.state == "done"
    statement = Statement.objects.get(customer=acme)
    assert statement.closing_balance == Decimal("403.00")
    assert any(line["text"] == "Finance charge" for line in statement.lines)
    _run(django_capture_on_commit_callbacks, by=owner, with_finance_charges=True)
    assert FinanceCharge.objects.count() == 1  # the second run charges nothing more


def test_finance_charge_settings_are_checked(owner):
    bad = [
        ({"rate": "abc", "minimum": "1"}, "must be a number"),
        ({"rate": "30", "minimum": "1"}, "0 to 25"),
        ({"rate": "1", "minimum": "-1"}, "cannot be negative"),
        ({"rate": "0", "minimum": "0"}, "charges nothing"),
    ]
    for values, message in bad:
        with pytest.raises(ServiceError, match=message):
            statement_services.finance_charge_settings_update(by=owner, enabled=True, **values)
    from payments.models import FinanceChargeSettings

    assert not FinanceChargeSettings.objects.exists()


def test_a_run_whose_worker_died_is_failed_and_a_live_one_is_left_alone(acme, advisor):
    now = timezone.now()
    dead = StatementRun.objects.create(
        period=PERIOD, customer=acme, state="running", started_at=now - timedelta(hours=1),
        heartbeat_at=now - timedelta(minutes=30),
    )  # fmt: skip
    alive = StatementRun.objects.create(
        period=PERIOD, customer=acme, state="running", started_at=now - timedelta(hours=1),
        heartbeat_at=now - timedelta(seconds=20),
    )  # fmt: skip
    assert statement_services.statement_runs_reap(now=now) == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == "failed" and "start them again" in dead.error
    assert alive.state == "running"
    # The dead run's worker, slow rather than dead, stops at its next step.
    with pytest.raises(statement_services._Stopped):
        statement_services._beat(dead.pk, done=1)


def test_the_reaper_runs_on_beat(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["payments-reap-statement-runs"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks and entry["schedule"] == 120.0


def test_amounts_over_a_thousand_show_thousands_separators_everywhere(
    statuses, shop_rates, advisor, owner, acme, monkeypatch, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """$1,234.56 on the run's PDF, on the statement printed again, in the e-mail and on
    A/R Status, whatever language is active where they are drawn (a worker may run with
    none: the separator must not depend on the locale's number format)."""
    from django.urls import reverse
    from django.utils import translation

    with on_day(monkeypatch, PERIOD - timedelta(days=10)):
        bill_out(work_order_write(advisor, amount="2500.00", customer=acme), advisor)
    with on_day(monkeypatch, PERIOD + timedelta(days=3)):
        bill_out(work_order_write(advisor, amount="1234.56", customer=acme), advisor)
    with on_day(monkeypatch, PERIOD + timedelta(days=8)):
        services.account_payment_take(by=advisor, customer=acme, tenders=[cash("1100.00")])
    with translation.override(None):
        run = _run(django_capture_on_commit_callbacks, by=advisor)
        text = _pdf_text(run.file.read())
        reprint = _pdf_text(statement_services.statements_pdf([Statement.objects.get()]))
        emailed = _run(
            django_capture_on_commit_callbacks, by=advisor, customer=acme, delivery="email"
        )
    assert emailed.state == "done"
    body = OutboundMessage.objects.get(idempotency_key__startswith="statement-").body
    for shown in (text, reprint, body):
        assert "$2,500.00" in shown  # the opening balance
        assert "$1,234.56" in shown  # the month's invoice
        assert "$-1,100.00" in shown  # the payment
        assert "$2,634.56" in shown  # the closing balance
    assert "1234.56" not in text + reprint + body
    client.force_login(owner)
    page = client.get(reverse("payments:ar_status", args=[acme.pk])).content.decode()
    assert 'data-testid="statement-closing">$2,634.56' in page


def test_statements_render_the_same_with_the_lean_user_agent_stylesheet(
    month_of_acme, acme, advisor, django_capture_on_commit_callbacks
):
    """Statement runs render with WeasyPrint's user-agent rules for their own elements only
    (a fifth faster): the statement must use no other element, and its pages must come out
    byte-identical to a render with the whole stylesheet."""
    from html.parser import HTMLParser

    from followups.outputs.pdf_worker import LEAN_ELEMENTS, html_document

    _run(django_capture_on_commit_callbacks, by=advisor, customer=acme)
    statement = Statement.objects.get(customer=acme, period=PERIOD)
    empty = CustomerFactory(is_ar=True, first_name="Quiet", last_name="Month")
    items = [
        statement_services.statement_context(statement, acme),
        statement_services.statement_context(
            statement_figures([empty.pk], PERIOD)[empty.pk], empty
        ),
    ]
    html = statement_services.statements_html(items)

    class Tags(HTMLParser):
        seen: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.seen.add(tag)

    parser = Tags()
    parser.feed(html)
    assert parser.seen - LEAN_ELEMENTS == set()
    full = PdfReader(io.BytesIO(html_document(html).write_pdf()))
    lean = PdfReader(io.BytesIO(html_document(html, lean=True).write_pdf()))
    assert len(full.pages) == len(lean.pages) == 2
    for one, other in zip(full.pages, lean.pages, strict=True):
        assert one.get_contents().get_data() == other.get_contents().get_data()
