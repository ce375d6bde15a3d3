"""The API of Today's Vehicles Page and of inspections."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.shop.test_images import DECODED_BOMB_MB, peak_memory_growth_mb
from tests.workorders.factories import (
    VehicleFactory,
    inspection_sheet,
    png_bomb_bytes,
    png_bytes,
)
from workorders import services
from workorders.models import InspectionPhoto, InspectionSheet, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def repair_order(advisor, technician, statuses, shop_rates):
    work_order = services.workorder_create(
        by=advisor, vehicle=VehicleFactory(), default_technician=technician
    )
    services.job_add(by=advisor, work_order=work_order, version=None, title="Brakes")
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[7]
    )


def test_the_board_answers_cards_then_304_while_nothing_changed(
    client, advisor, technician, repair_order, django_assert_max_num_queries
):
    client.force_login(advisor)
    response = client.get(reverse("api-board"))
    assert response.status_code == 200
    card = response.json()["repair_orders"][0]["cards"][0]
    assert card["id"] == repair_order.pk
    assert card["timer"]["display"] == "count_down" and card["timer"]["state"] == "ok"
    with django_assert_max_num_queries(4):
        again = client.get(reverse("api-board"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    client.force_login(technician)
    assert client.get(reverse("api-board")).status_code == 403


def test_sheets_import_with_errors_per_item_and_export(client, owner, technician):
    client.force_login(owner)
    bad = {
        "format": "shopworks.inspection-sheet",
        "version": 1,
        "name": "X",
        "sections": [{"title": "Brakes", "items": [{"label": ""}]}],
    }
    response = client.post(reverse("inspectionsheet-list"), bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == ["section 1 item 1: “label” must be a non-empty text"]
    assert not InspectionSheet.objects.exists()
    bad["sections"][0]["items"][0]["label"] = "Pads"
    response = client.post(reverse("inspectionsheet-list"), bad, content_type="application/json")
    assert response.status_code == 201
    sheet = InspectionSheet.objects.get(name="X")
    assert client.get(reverse("inspectionsheet-detail", args=[sheet.pk])).json() == bad
    client.force_login(technician)
    assert [s["name"] for s in client.get(reverse("inspectionsheet-list")).json()] == ["X"]
    response = client.post(reverse("inspectionsheet-list"), bad, content_type="application/json")
    assert response.status_code == 403


def test_a_technician_fills_an_inspection_through_the_api(
    client, technician, employee_at, repair_order, django_assert_max_num_queries
):
    sheet = inspection_sheet()
    client.force_login(technician)
    response = client.post(
        reverse("inspection-list"),
        {"work_order": repair_order.pk, "sheet": sheet.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    inspection = response.json()
    item = inspection["results"][0]
    base = reverse("inspection-detail", args=[inspection["id"]])
    response = client.patch(
        f"{base}results/{item['id']}/",
        {"rating": "red", "notes": "Worn"},
        content_type="application/json",
    )
    assert response.json()["results"][0]["rating"] == "red"
    photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    response = client.post(f"{base}results/{item['id']}/photos/", {"photo": photo})
    assert response.status_code == 201
    assert response.json()["results"][0]["photos"][0]["thumbnail_url"].endswith("/thumb/")
    bad = SimpleUploadedFile("p.txt", b"text", content_type="text/plain")
    response = client.post(f"{base}results/{item['id']}/photos/", {"photo": bad})
    assert response.status_code == 400 and "not a photo" in response.content.decode()
    response = client.post(f"{base}results/{item['id']}/recommend/")
    assert response.status_code == 201
    assert Job.objects.filter(work_order=repair_order, title=item["label"]).exists()
    with django_assert_max_num_queries(10):
        listed = client.get(reverse("inspection-list"), {"vehicle": repair_order.vehicle_id})
    data = listed.json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["id"] for row in rows] == [inspection["id"]]
    client.force_login(employee_at(5))  # another technician
    assert client.get(base).status_code == 404


def test_inspections_list_by_cursor_with_filters_in_fixed_queries(
    client, advisor, repair_order, django_assert_max_num_queries
):
    sheet = inspection_sheet()
    first = services.inspection_start(by=advisor, work_order=repair_order, sheet=sheet)
    for result in first.results.all():
        services.inspection_result_set(by=advisor, result=result, rating="green")
    client.force_login(advisor)
    url = reverse("inspection-list")
    with django_assert_max_num_queries(12) as captured:
        assert [row["id"] for row in client.get(url).json()["results"]] == [first.pk]
    others = [
        services.inspection_start(by=advisor, work_order=repair_order, sheet=sheet)
        for _ in range(4)
    ]
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert len(client.get(url).json()["results"]) == 5
    seen, page = [], f"{url}?page_size=2"
    while page:
        data = client.get(page).json()
        seen += [row["id"] for row in data["results"]]
        page = data["next"]
    assert seen == sorted([first.pk, *(o.pk for o in others)], reverse=True)
    completed = client.get(url, {"completed": "true"}).json()["results"]
    assert [row["id"] for row in completed] == [first.pk]
    in_progress = client.get(url, {"completed": "false"}).json()["results"]
    assert {row["id"] for row in in_progress} == {o.pk for o in others}
    assert client.get(url, {"work_order": "²"}).status_code == 400


def test_an_image_bomb_sent_to_the_api_is_refused_from_its_header(
    client, owner, technician, repair_order
):
    """The audit's case: a 140 KB PNG of 12,000 x 12,000 pixels took the process to 1.5 GB."""
    inspection = services.inspection_start(
        by=technician, work_order=repair_order, sheet=inspection_sheet()
    )
    item = inspection.results.first()
    url = reverse("inspection-detail", args=[inspection.pk]) + f"results/{item.pk}/photos/"
    bomb = SimpleUploadedFile("bomb.png", png_bomb_bytes(), content_type="image/png")
    client.force_login(owner)  # level 1: allowed to upload, and still refused
    with peak_memory_growth_mb() as growth:
        response = client.post(url, {"photo": bomb})
    assert response.status_code == 400
    assert "at most 40 megapixels" in response.content.decode()
    assert growth["mb"] < DECODED_BOMB_MB / 10
    assert not InspectionPhoto.objects.exists()
