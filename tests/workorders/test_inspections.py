"""Digital vehicle inspection: sheets as JSON files, filling one with photos, recommendations,
each vehicle's last inspection date, and who may do what."""

from __future__ import annotations

import html
import importlib
import json
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse

from shop.errors import ServiceError
from tests.shop.test_images import DECODED_BOMB_MB, peak_memory_growth_mb
from tests.workorders.factories import (
    VehicleFactory,
    inspection_sheet,
    png_bomb_bytes,
    png_bytes,
)
from workorders import events, services
from workorders.models import (
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionSheet,
    Job,
)
from workorders.services.inspections import SheetImportError

pytestmark = pytest.mark.django_db


@pytest.fixture
def repair_order(advisor, technician, statuses, shop_rates):
    work_order = services.workorder_create(
        by=advisor, vehicle=VehicleFactory(), default_technician=technician
    )
    services.job_add(by=advisor, work_order=work_order, version=None, title="Brake check")
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[7]
    )


@pytest.fixture
def inspection(repair_order, technician):
    sheet = inspection_sheet()
    return services.inspection_start(by=technician, work_order=repair_order, sheet=sheet)


class TestSheets:
    def test_a_sheet_exports_and_imports_back_the_same(self, advisor):
        sheet = inspection_sheet()
        exported = services.sheet_export(sheet)
        assert exported["sections"][0] == {
            "title": "Brakes",
            "items": [{"label": "Front brake pads"}, {"label": "Rear brake pads"}],
        }
        sheet.delete()
        imported = services.sheet_import(by=advisor, raw=json.dumps(exported))
        assert services.sheet_export(imported) == exported

    def test_a_wrong_schema_names_every_item_and_imports_nothing(self, advisor):
        bad = {
            "format": "shopworks.inspection-sheet",
            "version": 1,
            "name": "Broken",
            "sections": [
                {"title": "Brakes", "items": [{"label": "Pads"}, {"lable": "typo"}]},
                {"title": "", "items": [{"label": 7}]},
            ],
        }
        with pytest.raises(SheetImportError) as error:
            services.sheet_import(by=advisor, raw=json.dumps(bad))
        assert error.value.errors == [
            "section 1 item 2: “label” must be a non-empty text",
            "section 2: “title” must be a non-empty text",
            "section 2 item 1: “label” must be a non-empty text",
        ]
        assert not InspectionSheet.objects.exists()
        with pytest.raises(SheetImportError):
            services.sheet_import(by=advisor, raw=b"\x89PNG not json")

    def test_the_owner_imports_a_file_and_a_bad_one_shows_its_errors(self, client, owner):
        client.force_login(owner)
        exported = services.sheet_export(inspection_sheet("Seasonal"))
        exported["name"] = "Winter check"
        upload = SimpleUploadedFile("winter.json", json.dumps(exported).encode())
        response = client.post(reverse("workorders:sheets"), {"file": upload})
        assert response.status_code == 302
        assert InspectionSheet.objects.filter(name="Winter check").exists()
        exported["name"] = "Spring check"
        exported["sections"][1]["items"] = []
        upload = SimpleUploadedFile("spring.json", json.dumps(exported).encode())
        response = client.post(reverse("workorders:sheets"), {"file": upload})
        assert response.status_code == 400
        assert "section 2: “items” must be a list" in response.content.decode()
        assert not InspectionSheet.objects.filter(name="Spring check").exists()

    def test_export_downloads_json_and_an_advisor_is_refused(self, client, owner, advisor):
        sheet = inspection_sheet()
        client.force_login(owner)
        response = client.get(reverse("workorders:sheet_export", args=[sheet.pk]))
        assert response["Content-Disposition"] == 'attachment; filename="courtesy-check.json"'
        assert json.loads(response.content)["name"] == "Courtesy check"
        client.force_login(advisor)
        assert client.get(reverse("workorders:sheets")).status_code == 403

    def test_the_owner_writes_a_sheet_from_lines(self, client, owner):
        client.force_login(owner)
        client.post(
            reverse("workorders:sheets"),
            {"name": "Quick", "items": "# Fluids\nOil level\nCoolant\n# Lights\nHeadlights"},
        )
        exported = services.sheet_export(InspectionSheet.objects.get(name="Quick"))
        assert [s["title"] for s in exported["sections"]] == ["Fluids", "Lights"]

    def test_the_sheets_page_offers_an_empty_box_to_write_a_sheet(self, client, owner):
        inspection_sheet()
        client.force_login(owner)
        page = client.get(reverse("workorders:sheets")).content.decode()
        assert "generator object" not in page
        assert re.search(r'<textarea id="sheet-items"[^>]*>\s*</textarea>', page)
        assert re.search(r'<input id="sheet-name"[^>]*value=""', page)

    def test_the_edit_page_round_trips_a_sheet_unchanged(self, client, owner):
        sheet = services.sheet_create(
            by=owner,
            name="Multi-point & more",
            sections=[
                {"title": "Under hood", "items": ["Oil level", "Coolant <50/50>"]},
                {"title": "Brakes", "items": ["Front pads", "Rear pads", "Brake fluid"]},
                {"title": "Lights", "items": ["Headlights"]},
            ],
        )
        before = services.sheet_export(sheet)
        client.force_login(owner)
        url = reverse("workorders:sheet_edit", args=[sheet.pk])
        page = client.get(url).content.decode()
        name = html.unescape(re.search(r'id="sheet-name"[^>]*value="([^"]*)"', page).group(1))
        items = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
        assert "generator object" not in page
        response = client.post(url, {"name": name, "items": items})
        assert response.status_code == 302
        sheet.refresh_from_db()
        assert services.sheet_export(sheet) == before
        assert InspectionSheet.objects.count() == 1

    def test_editing_a_sheet_renames_it_and_replaces_its_items(self, client, owner, inspection):
        sheet = InspectionSheet.objects.get(name="Courtesy check")
        client.force_login(owner)
        client.post(
            reverse("workorders:sheet_edit", args=[sheet.pk]),
            {"name": "Courtesy check, 2026", "items": "# Fluids\nOil level\n# Lights\nHeadlights"},
        )
        exported = services.sheet_export(InspectionSheet.objects.get(pk=sheet.pk))
        assert exported["name"] == "Courtesy check, 2026"
        assert exported["sections"] == [
            {"title": "Fluids", "items": [{"label": "Oil level"}]},
            {"title": "Lights", "items": [{"label": "Headlights"}]},
        ]
        # The inspection already started keeps the items it copied.
        assert list(inspection.results.values_list("label", flat=True)) == [
            "Front brake pads",
            "Rear brake pads",
            "Tread depth",
        ]

    def test_a_bad_edit_says_why_and_changes_nothing(self, client, owner):
        sheet = inspection_sheet()
        inspection_sheet("Seasonal")
        before = services.sheet_export(sheet)
        client.force_login(owner)
        url = reverse("workorders:sheet_edit", args=[sheet.pk])
        taken = client.post(url, {"name": "Seasonal", "items": "# Brakes\nPads"})
        assert taken.status_code == 400
        assert "Another sheet is named “Seasonal”" in taken.content.decode()
        empty = client.post(url, {"name": "Courtesy check", "items": "# Brakes\n"})
        assert empty.status_code == 400
        assert "section 1: “items” must be a list with at least one item" in html.unescape(
            empty.content.decode()
        )
        assert services.sheet_export(InspectionSheet.objects.get(pk=sheet.pk)) == before

    def test_an_advisor_may_not_edit_a_sheet(self, client, advisor):
        sheet = inspection_sheet()
        before = services.sheet_export(sheet)
        client.force_login(advisor)
        url = reverse("workorders:sheet_edit", args=[sheet.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "Hacked", "items": "# X\nY"}).status_code == 403
        assert services.sheet_export(InspectionSheet.objects.get(pk=sheet.pk)) == before


class TestFilling:
    def test_a_technician_rates_notes_and_photographs_an_item(
        self, client, technician, inspection, django_assert_max_num_queries
    ):
        result = inspection.results.get(label="Front brake pads")
        wo_id = inspection.work_order_id
        client.force_login(technician)
        url = reverse("workorders:inspection_result", args=[wo_id, result.pk])
        response = client.post(url, {"rating": "red"}, HTTP_HX_REQUEST="true")
        assert "inspect-item--red" in response.content.decode()
        client.post(url, {"notes": "2 mm left"}, HTTP_HX_REQUEST="true")
        photo = SimpleUploadedFile("pads.png", png_bytes((2400, 1200)), content_type="image/png")
        response = client.post(
            reverse("workorders:inspection_photo_add", args=[wo_id, result.pk]),
            {"photo": photo},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        stored = InspectionPhoto.objects.get(result=result)
        assert (stored.width, stored.height) == (1600, 800)  # resized
        thumb = client.get(reverse("workorders:inspection_photo", args=[wo_id, stored.pk, "thumb"]))
        assert thumb["Content-Type"] == "image/jpeg"
        full = client.get(reverse("workorders:inspection_photo", args=[wo_id, stored.pk, "full"]))
        assert len(b"".join(full.streaming_content)) > len(b"".join(thumb.streaming_content))
        huge = reverse("workorders:inspection_photo", args=[wo_id, stored.pk, "huge"])
        assert client.get(huge).status_code == 404
        result.refresh_from_db()
        assert (result.rating, result.notes) == ("red", "2 mm left")
        with django_assert_max_num_queries(16) as few:
            client.get(reverse("workorders:inspection", args=[wo_id]))
        other = inspection.results.get(label="Tread depth")
        services.inspection_photo_add(
            by=technician,
            result=other,
            upload=SimpleUploadedFile("t.png", png_bytes(), content_type="image/png"),
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("workorders:inspection", args=[wo_id]))

    def test_not_an_image_or_too_large_is_refused_clearly(self, technician, inspection):
        result = inspection.results.first()
        text = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
        with pytest.raises(ServiceError, match="not a photo we can read"):
            services.inspection_photo_add(by=technician, result=result, upload=text)
        big = SimpleUploadedFile("big.jpg", b"0", content_type="image/jpeg")
        big.size = 16 * 1024 * 1024
        with pytest.raises(ServiceError, match="at most 15 MB"):
            services.inspection_photo_add(by=technician, result=result, upload=big)
        assert not InspectionPhoto.objects.exists()

    def test_a_rating_sends_the_typed_notes_with_it_and_says_saved(
        self, client, technician, inspection
    ):
        result = inspection.results.get(label="Front brake pads")
        client.force_login(technician)
        url = reverse("workorders:inspection_result", args=[inspection.work_order_id, result.pk])
        page = client.get(reverse("workorders:inspection", args=[inspection.work_order_id]))
        # The notes field belongs to the rating form, so a rating tap sends what is typed.
        assert f'form="result-{result.pk}"' in page.content.decode()
        assert f'<form class="rating" id="result-{result.pk}"' in page.content.decode()
        response = client.post(
            url, {"rating": "red", "notes": "2 mm left "}, HTTP_HX_REQUEST="true"
        )
        assert 'role="status">Saved</span>' in response.content.decode()
        result.refresh_from_db()
        assert (result.rating, result.notes) == ("red", "2 mm left")
        rated_only = client.post(url, {"rating": "yellow"}, HTTP_HX_REQUEST="true")
        assert 'role="status"></span>' in rated_only.content.decode()

    def test_the_tablet_refuses_an_image_bomb_and_saves_nothing(
        self, client, technician, inspection
    ):
        result = inspection.results.first()
        client.force_login(technician)
        bomb = SimpleUploadedFile("bomb.png", png_bomb_bytes(), content_type="image/png")
        with peak_memory_growth_mb() as growth:
            response = client.post(
                reverse(
                    "workorders:inspection_photo_add", args=[inspection.work_order_id, result.pk]
                ),
                {"photo": bomb},
                HTTP_HX_REQUEST="true",
            )
        assert "“bomb.png” has 144 megapixels" in response.content.decode()
        assert 'role="alert"' in response.content.decode()
        assert growth["mb"] < DECODED_BOMB_MB / 10
        assert not InspectionPhoto.objects.exists()

    def test_a_red_item_becomes_a_recommended_job_once(self, client, technician, inspection):
        result = inspection.results.get(label="Front brake pads")
        services.inspection_result_set(by=technician, result=result, rating="red", notes="2 mm")
        client.force_login(technician)
        url = reverse("workorders:inspection_recommend", args=[inspection.work_order_id, result.pk])
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert "Recommended to the customer as a job" in response.content.decode()
        client.post(url, HTTP_HX_REQUEST="true")
        job = Job.objects.get(work_order=inspection.work_order, title="Front brake pads")
        assert job.approval == Job.Approval.PENDING
        assert "needs attention now" in job.customer_notes and "2 mm" in job.customer_notes

    def test_a_green_item_is_not_recommended(self, technician, inspection):
        result = inspection.results.first()
        services.inspection_result_set(by=technician, result=result, rating="green")
        with pytest.raises(ServiceError):
            services.inspection_recommend(by=technician, result=result)
        with pytest.raises(ServiceError):
            services.inspection_result_set(by=technician, result=result, rating="purple")
        assert InspectionResult.objects.get(pk=result.pk).rating == "green"

    def test_another_technician_or_an_estimate_gets_a_404(
        self, client, advisor, technician, employee_at, inspection, statuses
    ):
        wo_id = inspection.work_order_id
        client.force_login(employee_at(5))
        assert client.get(reverse("workorders:inspection", args=[wo_id])).status_code == 404
        estimate = services.workorder_create(
            by=advisor, vehicle=VehicleFactory(), default_technician=technician
        )
        client.force_login(technician)
        assert client.get(reverse("workorders:inspection", args=[estimate.pk])).status_code == 404
        assert client.get(reverse("workorders:inspection", args=[wo_id])).status_code == 200
        client.force_login(advisor)  # the counter sees every inspection
        assert client.get(reverse("workorders:inspection", args=[wo_id])).status_code == 200

    def test_each_vehicle_keeps_its_last_inspection_date(self, technician, inspection):
        # The day an item was last rated: Data Search's "last inspection" of the vehicle.
        vehicle = inspection.vehicle
        assert not vehicle.inspections.filter(inspected_at__isnull=False).exists()
        services.inspection_result_set(
            by=technician, result=inspection.results.first(), rating="green"
        )
        assert vehicle.inspections.filter(inspected_at__isnull=False).exists()


@pytest.fixture
def completed_signals():
    """What `events.inspection_completed` sent, in order."""
    sent = []

    def record(sender, inspection, by, **kwargs):
        sent.append((sender, inspection.pk, inspection.completed_at, by))

    events.inspection_completed.connect(record, dispatch_uid="tests.inspection_completed")
    yield sent
    events.inspection_completed.disconnect(dispatch_uid="tests.inspection_completed")


def rate(technician, inspection, label, rating, notes=None):
    result = inspection.results.get(label=label)
    return services.inspection_result_set(by=technician, result=result, rating=rating, notes=notes)


class TestCompletion:
    def test_the_last_unrated_item_completes_it_once(
        self, technician, inspection, completed_signals
    ):
        rate(technician, inspection, "Front brake pads", "green")
        rate(technician, inspection, "Tread depth", "yellow")
        inspection.refresh_from_db()
        assert inspection.inspected_at is not None and inspection.completed_at is None
        assert completed_signals == []

        result = rate(technician, inspection, "Rear brake pads", "red")
        inspection.refresh_from_db()
        assert inspection.completed_at is not None
        assert inspection.completed_at == inspection.inspected_at
        assert result.inspection.completed_at == inspection.completed_at
        assert completed_signals == [
            (Inspection, inspection.pk, inspection.completed_at, technician)
        ]

    def test_rating_again_or_clearing_a_rating_keeps_it_completed(
        self, technician, inspection, completed_signals
    ):
        for label in ("Front brake pads", "Rear brake pads", "Tread depth"):
            rate(technician, inspection, label, "green")
        inspection.refresh_from_db()
        completed_at = inspection.completed_at
        assert completed_at is not None

        rate(technician, inspection, "Tread depth", "red")
        rate(technician, inspection, "Front brake pads", "")  # cleared
        rate(technician, inspection, "Front brake pads", "yellow")  # and rated again
        inspection.refresh_from_db()
        assert inspection.completed_at == completed_at
        assert inspection.inspected_at > completed_at
        assert len(completed_signals) == 1

    def test_notes_alone_or_a_refused_rating_do_not_complete_it(
        self, technician, inspection, completed_signals
    ):
        rate(technician, inspection, "Front brake pads", "green")
        rate(technician, inspection, "Rear brake pads", "green")
        rate(technician, inspection, "Tread depth", None, notes="Could not reach the spare")
        with pytest.raises(ServiceError):
            rate(technician, inspection, "Tread depth", "purple")
        inspection.refresh_from_db()
        assert inspection.completed_at is None and completed_signals == []

    def test_a_receiver_that_fails_rolls_back_the_rating_and_the_completion(
        self, technician, inspection
    ):
        rate(technician, inspection, "Front brake pads", "green")
        rate(technician, inspection, "Rear brake pads", "green")
        inspection.refresh_from_db()
        inspected_at = inspection.inspected_at

        def broken(sender, **kwargs):
            raise RuntimeError("receiver failed")

        events.inspection_completed.connect(broken, dispatch_uid="tests.broken")
        try:
            with pytest.raises(RuntimeError):
                rate(technician, inspection, "Tread depth", "red")
        finally:
            events.inspection_completed.disconnect(dispatch_uid="tests.broken")
        inspection.refresh_from_db()
        assert inspection.completed_at is None and inspection.inspected_at == inspected_at
        assert inspection.results.get(label="Tread depth").rating == ""

    def test_deciding_all_rated_is_one_query_however_many_items(
        self, technician, repair_order, django_assert_num_queries
    ):
        sheet = services.sheet_create(
            by=technician,
            name="Long check",
            sections=[{"title": "Everything", "items": [f"Item {n}" for n in range(30)]}],
        )
        inspection = services.inspection_start(by=technician, work_order=repair_order, sheet=sheet)
        inspection.results.exclude(label="Item 29").update(rating="green")
        last = inspection.results.get(label="Item 29")
        # Lock and read the item, write it; lock the inspection, ask "any unrated?", write it;
        # integrations asks who subscribed to the event. (The atomic block is a savepoint
        # inside the test's transaction: two more.)
        with django_assert_num_queries(8):
            services.inspection_result_set(by=technician, result=last, rating="green")
        inspection.refresh_from_db()
        assert inspection.completed_at is not None

    def test_the_page_says_when_it_was_completed(self, client, technician, inspection):
        client.force_login(technician)
        page = reverse("workorders:inspection", args=[inspection.work_order_id])
        assert "rate every item to complete it" in client.get(page).content.decode()
        first, second, last = inspection.results.order_by("position")
        url = reverse("workorders:inspection_result", args=[inspection.work_order_id, first.pk])
        answer = client.post(url, {"rating": "green"}, HTTP_HX_REQUEST="true").content.decode()
        assert "hx-swap-oob" not in answer  # not completed yet: the header stays as it is
        rate(technician, inspection, second.label, "green")
        url = reverse("workorders:inspection_result", args=[inspection.work_order_id, last.pk])
        answer = client.post(url, {"rating": "yellow"}, HTTP_HX_REQUEST="true").content.decode()
        # The answer to the completing rating also swaps the header's state.
        assert 'id="inspection-state"' in answer and 'hx-swap-oob="true"' in answer
        assert "Completed" in answer
        body = client.get(page).content.decode()
        assert "✓ Completed" in body and body.count(' id="inspection-state"') == 1
        job = inspection.work_order.jobs.first()
        job_page = client.get(reverse("workorders:tech_job", args=[job.pk])).content.decode()
        assert "See the inspection (completed)" in job_page

    def test_the_api_shows_completed_at_and_does_not_take_it(self, client, technician, inspection):
        client.force_login(technician)
        base = reverse("inspection-detail", args=[inspection.pk])
        assert client.get(base).json()["completed_at"] is None
        results = list(inspection.results.order_by("position"))
        for result in results:
            response = client.patch(
                f"{base}results/{result.pk}/",
                {"rating": "green", "completed_at": "2020-01-01T00:00:00Z"},
                content_type="application/json",
            )
            assert response.status_code == 200
            if result != results[-1]:
                assert response.json()["completed_at"] is None
        inspection.refresh_from_db()
        assert response.json()["completed_at"] is not None
        assert inspection.completed_at.year != 2020


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_technicians_rating_the_last_two_items_at_once_complete_it_once(
    technician, owner, inspection, completed_signals
):
    rate(technician, inspection, "Front brake pads", "green")
    outcome = {}

    def rate_the_other():
        try:
            rate(owner, inspection, "Tread depth", "green")
            outcome["rated"] = True
        finally:
            connections.close_all()

    with transaction.atomic():
        rate(technician, inspection, "Rear brake pads", "yellow")
        other = threading.Thread(target=rate_the_other)
        other.start()
        # It waits for this transaction's lock on the inspection...
        other.join(timeout=0.5)
        assert other.is_alive()
        inspection.refresh_from_db()
        assert inspection.completed_at is None  # ...while "Tread depth" is unrated here.
    # ...and once this commits it sees "Rear brake pads" rated: it rated the last item.
    other.join(timeout=10)
    assert outcome == {"rated": True}
    inspection.refresh_from_db()
    assert inspection.completed_at is not None
    assert [(by, at) for _, _, at, by in completed_signals] == [(owner, inspection.completed_at)]


def test_the_migration_completes_inspections_rated_before_completion_existed(
    technician, repair_order
):
    from django.apps import apps

    migration = importlib.import_module("workorders.migrations.0003_inspection_completed_at")
    sheet = inspection_sheet()
    rated, partial, empty = (
        services.inspection_start(by=technician, work_order=repair_order, sheet=sheet)
        for _ in range(3)
    )
    for inspection in (rated, partial):
        for result in inspection.results.all()[: 3 if inspection is rated else 2]:
            services.inspection_result_set(by=technician, result=result, rating="green")
    empty.results.all().delete()
    Inspection.objects.update(completed_at=None)  # as they were before the migration

    migration.complete_fully_rated(apps, None)
    rated.refresh_from_db()
    assert rated.completed_at == rated.inspected_at is not None
    assert not Inspection.objects.exclude(pk=rated.pk).filter(completed_at__isnull=False).exists()
