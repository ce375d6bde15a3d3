"""The customer's link plays the technician's videos of the items it shows, at phone width,
served only to the link's holder (the same signing, expiry and 404 rules as photos)."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.services.customer_link import customer_link_token_make
from tests.workorders.factories import VehicleFactory, inspection_sheet, mp4_bytes, webm_bytes
from workorders import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add_video(by, result, content=None, name="clip.mp4"):
    upload = SimpleUploadedFile(name, content or mp4_bytes(18), content_type="video/mp4")
    return services.inspection_video_add(by=by, result=result, upload=upload)


def video_url(work_order, video, token: str | None = None) -> str:
    token = token or customer_link_token_make(work_order)
    return reverse("messaging:customer_link_video", args=[token, video.pk])


@pytest.fixture
def filmed(estimate_with_jobs, advisor):
    """Front pads red with a video, rear pads green with a video, tread not rated (a video)."""
    inspection = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet()
    )
    front, rear, tread = inspection.results.order_by("position")
    services.inspection_result_set(by=advisor, result=front, rating="red", notes="Grinding")
    services.inspection_result_set(by=advisor, result=rear, rating="green")
    return {
        "work_order": estimate_with_jobs,
        "red": add_video(advisor, front),
        "green": add_video(advisor, rear, webm_bytes(9), "rear.webm"),
        "unrated": add_video(advisor, tread),
    }


def test_the_link_plays_the_video_of_an_item_at_phone_width(client, filmed):
    work_order, video = filmed["work_order"], filmed["red"]
    token = customer_link_token_make(work_order)
    page = client.get(reverse("messaging:customer_link", args=[token])).content.decode()
    src = video_url(work_order, video, token=token)
    assert f'<video controls playsinline preload="metadata" src="{src}"' in page
    assert 'aria-label="Video 1 of Front brake pads, 0:18"' in page
    # A green item's video is a link in the folded list; an unrated item's is not shown.
    assert f'href="{video_url(work_order, filmed["green"], token=token)}"' in page
    assert video_url(work_order, filmed["unrated"], token=token) not in page


def test_it_serves_the_video_to_the_holder_of_the_link_in_ranges(client, filmed):
    work_order, video = filmed["work_order"], filmed["red"]
    whole = client.get(video_url(work_order, video))
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    assert whole["Cache-Control"].startswith("private")
    assert b"".join(whole.streaming_content) == mp4_bytes(18)
    part = client.get(video_url(work_order, video), HTTP_RANGE="bytes=0-1")
    assert part.status_code == 206 and b"".join(part.streaming_content) == mp4_bytes(18)[:2]
    webm = client.get(video_url(work_order, filmed["green"]))
    assert webm["Content-Type"] == "video/webm"


def test_a_video_of_another_work_order_or_an_unrated_item_is_a_404(
    client, filmed, advisor, statuses
):
    work_order = filmed["work_order"]
    assert client.get(video_url(work_order, filmed["unrated"])).status_code == 404
    other = services.workorder_create(by=advisor, vehicle=VehicleFactory())
    theirs = services.inspection_start(by=advisor, work_order=other, sheet=inspection_sheet("X"))
    result = theirs.results.first()
    services.inspection_result_set(by=advisor, result=result, rating="yellow")
    their_video = add_video(advisor, result)
    assert (
        client.get(
            video_url(work_order, their_video, token=customer_link_token_make(work_order))
        ).status_code
        == 404
    )
    assert client.get(video_url(other, their_video)).status_code == 200


def test_a_forged_or_expired_link_shows_no_video(client, filmed, settings):
    work_order, video = filmed["work_order"], filmed["red"]
    token = customer_link_token_make(work_order)
    assert client.get(video_url(work_order, video, token=token[:-2] + "xx")).status_code == 404
    settings.MESSAGING_CUSTOMER_LINK_DAYS = 30
    later = time.time() + 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        expired = client.get(video_url(work_order, video, token=token))
    assert expired.status_code == 410


def test_a_video_no_longer_stored_is_a_404(client, filmed):
    work_order, video = filmed["work_order"], filmed["red"]
    video.file.storage.delete(video.file.name)
    assert client.get(video_url(work_order, video)).status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_videos(
    client, estimate_with_jobs, advisor, django_assert_max_num_queries
):
    inspection = services.inspection_start(
        by=advisor, work_order=estimate_with_jobs, sheet=inspection_sheet()
    )
    first, *others = inspection.results.order_by("position")
    services.inspection_result_set(by=advisor, result=first, rating="red")
    add_video(advisor, first)
    url = reverse("messaging:customer_link", args=[customer_link_token_make(estimate_with_jobs)])
    with django_assert_max_num_queries(9) as one:  # +1: payments' balance panel
        assert client.get(url).status_code == 200
    for result in others:
        services.inspection_result_set(by=advisor, result=result, rating="yellow")
        add_video(advisor, result)
        add_video(advisor, result, webm_bytes(4), "b.webm")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("<video controls playsinline") == 5
