import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from followups.models import FollowUp, Mailing, OutputJob
from followups.outputs import documents
from followups.outputs.pdf import render_batches
from followups.services.outputs import output_job_cancel, output_job_run, output_job_start
from outbox.models import OutboundMessage
from tests.followups.factories import (
    CustomerFactory,
    FollowUpListFactory,
    LetterTemplateFactory,
    VehicleFactory,
    invoice,
    with_email,
)

pytestmark = pytest.mark.django_db


def pdf_text(field) -> tuple[PdfReader, str]:
    with field.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def customers():
    today = timezone.localdate()
    vehicles = [
        VehicleFactory(customer=CustomerFactory(first_name=f"Ana{i:02d}")) for i in range(5)
    ]
    for vehicle in vehicles:
        invoice(vehicle, today - timedelta(days=20))
    return [v.customer for v in vehicles]


def run(owner, django_capture_on_commit_callbacks, **kwargs) -> OutputJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = output_job_start(by=owner, criteria=kwargs.pop("criteria", {}), **kwargs)
    job.refresh_from_db()
    return job


def test_it_writes_a_csv_with_a_bom_that_reads_back(
    owner, customers, django_capture_on_commit_callbacks
):
    job = run(owner, django_capture_on_commit_callbacks, kind="csv",
              fields=["name", "city", "last_visit"])  # fmt: skip
    assert job.state == OutputJob.State.DONE
    raw = job.file.open("rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert rows[0]["Name"] == "Ana00 Rivera"
    assert rows[0]["City"] == "Springfield"
    assert rows[0]["Last visit"] == (timezone.localdate() - timedelta(days=20)).isoformat()
    assert not Mailing.objects.exists()


def test_it_writes_the_report_as_pdf_and_html(owner, customers, django_capture_on_commit_callbacks):
    job = run(owner, django_capture_on_commit_callbacks, kind="report", title="Lapsed customers",
              fields=["name", "postcode"])  # fmt: skip
    _, text = pdf_text(job.file)
    assert "Lapsed customers" in text
    assert "Ana03 Rivera" in text
    assert "5 rows" in text
    html = job.second_file.open("rb").read().decode()
    assert '<th scope="col">Postcode</th>' in html
    assert "Ana04 Rivera" in html


def test_it_prints_avery_5160_labels_30_to_a_sheet(owner, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    for i in range(31):
        invoice(VehicleFactory(customer=CustomerFactory(first_name=f"Lee{i:02d}")), today)
    job = run(owner, django_capture_on_commit_callbacks, kind="labels")
    reader, text = pdf_text(job.file)
    assert len(reader.pages) == 2
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612)  # 8.5 in
    assert float(reader.pages[0].mediabox.height) == pytest.approx(792)  # 11 in
    first_sheet = reader.pages[0].extract_text()
    assert "Lee00 Rivera" in first_sheet and "Lee29 Rivera" in first_sheet
    assert "Lee30 Rivera" not in first_sheet and "Lee30 Rivera" in text
    assert "Springfield, IL 62704" in text
    assert Mailing.objects.filter(job=job).count() == 31
    assert job.done == job.total == 31


def test_it_fits_a_long_address_with_a_smaller_font():
    short = documents.fitted_label({"name": "Al Li", "address_line1": "1 Elm St"})
    long = documents.fitted_label(
        {"name": "Bartholomew Featherstonehaugh-Cholmondeley", "address_line1": "1 Elm"}
    )
    assert short["fit"] == 0
    assert long["fit"] == 2


def test_it_prints_postcards_four_to_a_sheet_and_single(
    owner, customers, django_capture_on_commit_callbacks
):
    letter = LetterTemplateFactory(body="Hi {{ first_name }}, your {{ vehicle }} misses us.")
    job = run(owner, django_capture_on_commit_callbacks, kind="postcards", template=letter)
    reader, text = pdf_text(job.file)
    assert len(reader.pages) == 2
    assert "Hi Ana00, your 2016 Honda Civic misses us." in text
    single = run(owner, django_capture_on_commit_callbacks, kind="postcard_single", template=letter)
    reader, _ = pdf_text(single.file)
    assert len(reader.pages) == 5
    assert float(reader.pages[0].mediabox.width) == pytest.approx(432)  # 6 in
    assert float(reader.pages[0].mediabox.height) == pytest.approx(288)  # 4 in


def test_it_prints_form_letters_on_the_letterhead_with_labels(
    owner, customers, django_capture_on_commit_callbacks
):
    letter = LetterTemplateFactory()
    job = run(owner, django_capture_on_commit_callbacks, kind="letters_labels", template=letter)
    reader, text = pdf_text(job.file)
    assert len(reader.pages) == 5
    assert "Main Street Auto" in text
    assert "Dear Ana02," in text
    assert "Call Main Street Auto." in text
    labels, labels_text = pdf_text(job.second_file)
    assert len(labels.pages) == 1
    assert "Ana02 Rivera" in labels_text
    postcards = run(owner, django_capture_on_commit_callbacks, kind="postcards_labels",
                    template=letter)  # fmt: skip
    assert postcards.file and postcards.second_file


def test_it_sends_e_mail_through_the_outbox_to_those_who_agreed(
    owner, customers, django_capture_on_commit_callbacks
):
    with_email(customers[0])
    with_email(customers[1], consent=False)
    mail = LetterTemplateFactory(kind="email", subject="Hello {{ first_name }}")
    job = run(owner, django_capture_on_commit_callbacks, kind="email", template=mail)
    assert job.state == OutputJob.State.DONE
    message = OutboundMessage.objects.get()
    assert message.to == f"c{customers[0].pk}@example.com"
    assert message.subject == "Hello Ana00"
    assert "1 of 5 e-mails queued" in job.error
    assert list(Mailing.objects.values_list("customer_id", flat=True)) == [customers[0].pk]


def test_it_needs_a_letter_for_letters(owner, customers):
    from shop.errors import ServiceError

    with pytest.raises(ServiceError, match="saved letter"):
        output_job_start(by=owner, kind="letters", criteria={})


def test_a_job_cancelled_midway_keeps_no_file_and_marks_nothing_sent(
    owner, follow_ups_on, django_capture_on_commit_callbacks, monkeypatch
):
    follow_up_list = FollowUpListFactory()
    today = timezone.localdate()
    for _ in range(3):
        vehicle = VehicleFactory()
        visit = invoice(vehicle, today - timedelta(days=200))
        FollowUp.objects.create(
            follow_up_list=follow_up_list, customer=vehicle.customer, vehicle=vehicle,
            work_order=visit, visit_on=today - timedelta(days=200), due_on=today,
        )  # fmt: skip
    letter = LetterTemplateFactory()
    with django_capture_on_commit_callbacks(execute=False):
        job = output_job_start(by=owner, kind="letters_labels", template=letter,
                               follow_up_list=follow_up_list)  # fmt: skip
    import followups.outputs.pdf as pdf

    written = []
    original = pdf.render_to_file

    def render_and_remember(html, path, **options):
        written.append(path)
        return original(html, path, **options)

    monkeypatch.setattr(pdf, "render_to_file", render_and_remember)
    output_job_run(job.pk, on_step=lambda j: output_job_cancel(job=j))
    job.refresh_from_db()
    assert job.state == OutputJob.State.CANCELLED
    assert not job.file and not job.second_file
    assert written and not any(__import__("os").path.exists(p) for p in written)
    assert not FollowUp.objects.filter(date_sent__isnull=False).exists()
    assert not Mailing.objects.exists()


def test_a_job_runs_once_when_its_task_is_delivered_twice(
    owner, customers, django_capture_on_commit_callbacks
):
    job = run(owner, django_capture_on_commit_callbacks, kind="labels")
    first_file = job.file.name
    output_job_run(job.pk)
    job.refresh_from_db()
    assert job.file.name == first_file
    assert Mailing.objects.count() == 5


def test_batches_render_in_parallel_and_merge_in_order(tmp_path):
    rows = [{"name": f"Order{i:03d}", "city": "X"} for i in range(90)]
    batches = [documents.labels_single_document(rows[i : i + 30]) for i in range(0, 90, 30)]
    out = tmp_path / "merged.pdf"
    render_batches(batches, str(out), work_dir=str(tmp_path), workers=2)
    reader = PdfReader(str(out))
    assert len(reader.pages) == 3
    assert "Order000" in reader.pages[0].extract_text()
    assert "Order089" in reader.pages[2].extract_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["merged.pdf"]


def test_a_cancel_between_parallel_batches_stops_the_workers_and_leaves_no_file(tmp_path):
    from followups.outputs.pdf import JobCancelled

    rows = [{"name": f"Stop{i:03d}"} for i in range(150)]
    batches = [documents.labels_single_document(rows[i : i + 30]) for i in range(0, 150, 30)]

    def cancel(index: int) -> None:
        raise JobCancelled

    with pytest.raises(JobCancelled):
        render_batches(batches, str(tmp_path / "out.pdf"), work_dir=str(tmp_path), workers=2,
                       on_batch=cancel)  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_batches_render_in_parallel_inside_a_celery_prefork_child(tmp_path):
    """A prefork pool's child is daemonic: multiprocessing would refuse it children."""
    import billiard

    rows = [{"name": f"Pool{i:03d}"} for i in range(90)]
    batches = [documents.labels_single_document(rows[i : i + 30]) for i in range(0, 90, 30)]
    out = tmp_path / "merged.pdf"

    def job() -> None:
        render_batches(batches, str(out), work_dir=str(tmp_path), workers=2)

    process = billiard.Process(target=job, daemon=True)
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert len(PdfReader(str(out)).pages) == 3
