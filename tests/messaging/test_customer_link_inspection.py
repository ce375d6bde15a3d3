"""The customer's link shows the inspection: what needs attention first, with notes and photos
served only to the link's holder."""

from __future__ import annotations

import io
import re
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from messaging.services.customer_link import customer_link_token_make
from tests.workorders.factories import VehicleFactory, inspection_sheet, png_bytes
from workorders import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def link(work_order) -> str:
    return reverse("messaging:customer_link", args=[customer_link_token_make(work_order)])


def photo_url(work_order, photo, size: str = "thumb", token: str | None = None) -> str:
    token = token or customer_link_token_make(work_order)
    return reverse("messaging:customer_link_photo", args=[token, photo.pk, size])


def add_photo(by, result, size=(2400, 1200), colour="#b91c1c"):
    upload = SimpleUploadedFile("item.png", png_bytes(size, colour), content_type="image/png")
    return services.inspection_photo_add(by=by, result=result, upload=upload)


@pytest.fixture
def inspected(estimate_with_jobs, advisor):
    """The estimate inspected: front pads red (photo, recommended job), tread yellow, rear green."""
    inspection = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet()
    )
    front, rear, tread = inspection.results.order_by("position")
    services.inspection_result_set(by=advisor, result=front, rating="red", notes="2 mm left")
    services.inspection_result_set(by=advisor, result=rear, rating="green", notes="7 mm")
    services.inspection_result_set(by=advisor, result=tread, rating="yellow", notes="4/32 in")
    photo = add_photo(advisor, front)
    job = services.inspection_recommend(by=advisor, result=front)
    return {"work_order": estimate_with_jobs, "photo": photo, "job": job, "front": front}


def test_it_shows_what_needs_attention_first_with_notes_and_photos(client, inspected):
    work_order, photo, job = inspected["work_order"], inspected["photo"], inspected["job"]
    # One token for the page and the expected URLs: two signings a second apart differ.
    token = customer_link_token_make(work_order)
    response = client.get(reverse("messaging:customer_link", args=[token]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your inspection" in text
    # Now, then soon, then the good items folded away; each rating in words.
    now = text.index("Needs attention now")
    soon = text.index("Needs attention soon")
    fine = text.index("1 item checked and fine")
    assert text.index("Front brake pads", now) < soon
    assert text.index("Tread depth", soon) < fine
    assert text.index("Rear brake pads", fine) > fine
    assert "2 mm left" in text and "4/32 in" in text and "7 mm" in text
    summary = "We checked 3 items: 1 needs attention now, 1 needs attention soon, 1 is fine."
    assert summary in text
    thumb = re.search(r"<img src=\"([^\"]+/photos/[^\"]+)\" ([^>]*)>", text)
    assert thumb.group(1) == photo_url(work_order, photo, token=token)
    assert 'width="320" height="160"' in thumb.group(2)  # 2400 × 1200 fit into 320 px
    assert 'alt="Photo 1 of Front brake pads"' in thumb.group(2)
    assert 'loading="lazy"' in thumb.group(2)
    assert f'href="{photo_url(work_order, photo, "full", token=token)}"' in text
    # The recommended job is on the estimate: the customer jumps to it to decide.
    assert f'href="#job-{job.pk}"' in text
    assert f'id="job-{job.pk}"' in text
    assert f'href="#finding-{inspected["front"].pk}"' in text
    assert "Approve or decline “Front brake pads”" in text

    decide = reverse(
        "messaging:customer_link_decide", args=[customer_link_token_make(work_order), job.pk]
    )
    client.post(decide, {"decision": "declined"})
    text = client.get(link(work_order)).content.decode()
    finding = text[text.index(f'id="finding-{inspected["front"].pk}"') :]
    finding = finding[: finding.index("Tread depth")]  # up to the next finding
    assert '<span class="badge badge--danger">Declined</span>' in finding
    assert "Approve or decline" not in text


def test_it_serves_the_photo_to_the_holder_of_the_link(client, inspected):
    work_order, photo = inspected["work_order"], inspected["photo"]
    thumb = client.get(photo_url(work_order, photo, "thumb"))
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"].startswith("private, max-age=")
    assert thumb["X-Content-Type-Options"] == "nosniff"
    body = b"".join(thumb.streaming_content)
    with photo.thumbnail.open("rb") as stored:
        assert body == stored.read()
    assert Image.open(io.BytesIO(body)).size == (320, 160)
    full = client.get(photo_url(work_order, photo, "full"))
    assert Image.open(io.BytesIO(b"".join(full.streaming_content))).size == (1600, 800)
    assert client.get(photo_url(work_order, photo, "huge")).status_code == 404


def test_another_work_orders_photo_is_not_shown_with_this_link(client, inspected, advisor):
    other = services.workorder_create(by=advisor, vehicle=VehicleFactory())
    inspection = services.inspection_start(
        by=advisor, work_order=other, sheet=inspection_sheet("Another check")
    )
    result = inspection.results.first()
    services.inspection_result_set(by=advisor, result=result, rating="red")
    theirs = add_photo(advisor, result)
    mine = inspected["work_order"]
    wrong = photo_url(mine, theirs, token=customer_link_token_make(mine))
    assert client.get(wrong).status_code == 404
    assert client.get(photo_url(other, theirs)).status_code == 200


def test_a_forged_or_expired_link_shows_no_photo(client, inspected, settings):
    work_order, photo = inspected["work_order"], inspected["photo"]
    token = customer_link_token_make(work_order)
    forged = client.get(photo_url(work_order, photo, token=token[:-2] + "xx"))
    assert forged.status_code == 404
    assert "not valid" in forged.content.decode()
    assert client.get(photo_url(work_order, photo, token="forged:token")).status_code == 404

    settings.MESSAGING_CUSTOMER_LINK_DAYS = 30
    later = time.time() + 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        expired = client.get(photo_url(work_order, photo, token=token))
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()


def test_a_photo_no_longer_stored_is_a_404(client, inspected):
    work_order, photo = inspected["work_order"], inspected["photo"]
    photo.thumbnail.storage.delete(photo.thumbnail.name)
    assert client.get(photo_url(work_order, photo, "thumb")).status_code == 404
    assert client.get(photo_url(work_order, photo, "full")).status_code == 200


def test_a_work_order_without_a_rated_inspection_shows_no_section(
    client, estimate_with_jobs, advisor
):
    assert "Your inspection" not in client.get(link(estimate_with_jobs)).content.decode()
    # Started, nothing rated yet: still nothing to show the customer.
    services.inspection_start(by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet())
    text = client.get(link(estimate_with_jobs)).content.decode()
    assert "Your inspection" not in text
    assert "Front brakes" in text  # the estimate is still there


def test_all_good_says_so_and_opens_the_list(client, estimate_with_jobs, advisor):
    inspection = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet()
    )
    for result in inspection.results.all():
        services.inspection_result_set(by=advisor, result=result, rating="green")
    text = client.get(link(estimate_with_jobs)).content.decode()
    assert "Everything we checked is in good shape." in text
    assert "3 items checked and fine" in text
    assert "We checked 3 items: 3 are fine." in text
    assert "Needs attention" not in text
    assert re.search(r"<details class=\"findings-fine\" open>", text)


def test_the_page_costs_the_same_queries_whatever_the_items_and_photos(
    client, estimate_with_jobs, advisor, django_assert_max_num_queries
):
    inspection = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet()
    )
    first, *others = inspection.results.order_by("position")
    services.inspection_result_set(by=advisor, result=first, rating="red")
    add_photo(advisor, first, size=(64, 48))
    with django_assert_max_num_queries(9) as one:  # photos, videos, payments' balance panel
        assert client.get(link(estimate_with_jobs)).status_code == 200

    for result, rating in zip(others, ["yellow", "green"], strict=True):
        services.inspection_result_set(by=advisor, result=result, rating=rating, notes="seen")
        add_photo(advisor, result, size=(64, 48))
        add_photo(advisor, result, size=(48, 64))
    add_photo(advisor, first, size=(64, 48))
    services.inspection_recommend(by=advisor, result=first)
    second = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet("Second look")
    )
    for result in second.results.all():
        services.inspection_result_set(by=advisor, result=result, rating="yellow")
        add_photo(advisor, result, size=(64, 48))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(link(estimate_with_jobs))
    thumbnails = re.findall(r"<img src=\"[^\"]+/photos/\d+/thumb/\"", response.content.decode())
    assert len(thumbnails) == 9 - 2  # the green item's two photos are links in the folded list


def test_a_photo_of_an_item_not_rated_yet_is_not_served(client, advisor, estimate_with_jobs):
    inspection = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet()
    )
    rated, unrated, _other = inspection.results.order_by("position")
    services.inspection_result_set(by=advisor, result=rated, rating="yellow")
    shown, hidden = add_photo(advisor, rated), add_photo(advisor, unrated)
    assert client.get(photo_url(estimate_with_jobs, shown)).status_code == 200
    assert client.get(photo_url(estimate_with_jobs, hidden)).status_code == 404
    services.inspection_result_set(by=advisor, result=unrated, rating="green")
    assert client.get(photo_url(estimate_with_jobs, hidden)).status_code == 200
