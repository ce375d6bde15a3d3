"""Videos in the inspection: a short clip (MP4, MOV or WebM, up to 60 s and 100 MB) told by its
own bytes, its length read from its header; uploaded from the tablet and the API, served only
to employees who may see the work order (and, in tests/messaging, through the customer's link).
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.errors import ServiceError
from tests.workorders.factories import (
    VehicleFactory,
    inspection_sheet,
    mp4_bytes,
    png_bytes,
    webm_bytes,
)
from workorders import services
from workorders.models import InspectionVideo
from workorders.video_headers import NotAVideo, video_header_read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def inspection(advisor, technician, statuses, shop_rates):
    work_order = services.workorder_create(
        by=advisor, vehicle=VehicleFactory(), default_technician=technician
    )
    services.job_add(by=advisor, work_order=work_order, version=None, title="Brake check")
    work_order = services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[7]
    )
    return services.inspection_start(by=technician, work_order=work_order, sheet=inspection_sheet())


def clip(content: bytes, name: str = "clip.mp4", content_type: str = "video/mp4"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


class TestContainers:
    @pytest.mark.parametrize(
        "content, content_type, extension, duration_ms",
        [
            (mp4_bytes(12), "video/mp4", "mp4", 12_000),
            (mp4_bytes(30.5, mvhd_version=1), "video/mp4", "mp4", 30_500),
            (mp4_bytes(59, brand=b"qt  "), "video/quicktime", "mov", 59_000),
            (webm_bytes(12.25), "video/webm", "webm", 12_250),
            # A browser's recorder writes no duration: the clusters' timestamps tell it.
            (webm_bytes(42, with_duration=False), "video/webm", "webm", 42_000),
        ],
    )
    def test_it_reads_the_container_and_length_from_the_bytes(
        self, content, content_type, extension, duration_ms
    ):
        header = video_header_read(io.BytesIO(content))
        assert (header.content_type, header.extension, header.duration_ms) == (
            content_type,
            extension,
            duration_ms,
        )

    @pytest.mark.parametrize(
        "content",
        [
            png_bytes(),
            b"",
            b"RIFF\x00\x00\x00\x00AVI LIST",
            mp4_bytes(5, handler=b"soun"),  # sound only
            mp4_bytes(5, brand=b"heic"),  # a phone's photo in the same box format
            mp4_bytes(5, brand=b"M4A "),
            webm_bytes(5, track_type=2),  # sound only
            webm_bytes(5, doc_type=b"matroska"),
            mp4_bytes(5)[:40],  # cut short
        ],
    )
    def test_it_refuses_what_is_not_a_video(self, content):
        with pytest.raises(NotAVideo):
            video_header_read(io.BytesIO(content))


class TestUpload:
    def test_a_clip_is_stored_as_recorded_with_its_type_and_length(
        self, technician, inspection, media
    ):
        result = inspection.results.first()
        content = mp4_bytes(12, brand=b"qt  ")
        video = services.inspection_video_add(
            by=technician, result=result, upload=clip(content, "IMG_0042.MOV", "video/quicktime")
        )
        assert (video.content_type, video.duration_ms, video.size_bytes) == (
            "video/quicktime",
            12_000,
            len(content),
        )
        assert video.file.name.endswith(f"wo{inspection.work_order_id}-item{result.pk}.mov")
        with video.file.open("rb") as stored:
            assert stored.read() == content
        assert video.duration_text == "0:12"

    def test_the_type_comes_from_the_bytes_not_the_name(self, technician, inspection, media):
        result = inspection.results.first()
        video = services.inspection_video_add(
            by=technician, result=result, upload=clip(webm_bytes(8), "clip.mp4", "video/mp4")
        )
        assert video.content_type == "video/webm" and video.file.name.endswith(".webm")
        with pytest.raises(ServiceError, match="not a video we can play") as error:
            services.inspection_video_add(
                by=technician, result=result, upload=clip(png_bytes(), "clip.mp4")
            )
        assert error.value.field == "video"
        assert InspectionVideo.objects.count() == 1

    def test_a_clip_over_60_seconds_is_refused_and_nothing_is_stored(
        self, technician, inspection, media
    ):
        result = inspection.results.first()
        with pytest.raises(ServiceError) as error:
            services.inspection_video_add(
                by=technician, result=result, upload=clip(mp4_bytes(92), "long.mp4")
            )
        assert error.value.message == (
            "“long.mp4” is 1:32 long; a video may be at most 60 seconds. Record a shorter clip."
        )
        with pytest.raises(ServiceError, match="1:01 long"):
            services.inspection_video_add(
                by=technician,
                result=result,
                upload=clip(webm_bytes(61, with_duration=False), "rec.webm"),
            )
        assert not InspectionVideo.objects.exists()
        assert stored_files(media) == []
        # A phone's "one minute" that runs a few milliseconds over is a minute.
        services.inspection_video_add(
            by=technician, result=result, upload=clip(mp4_bytes(60.3), "minute.mp4")
        )

    def test_a_clip_over_100_mb_is_refused_before_it_is_read(self, technician, inspection, media):
        big = clip(mp4_bytes(10))
        big.size = 101 * 1024 * 1024
        with pytest.raises(ServiceError, match="at most 100 MB"):
            services.inspection_video_add(
                by=technician, result=inspection.results.first(), upload=big
            )
        assert not InspectionVideo.objects.exists() and stored_files(media) == []

    def test_a_billed_out_work_order_takes_no_video(self, technician, inspection):
        work_order = inspection.work_order
        work_order.closed_at = work_order.created_at
        work_order.save(update_fields=["closed_at"])
        with pytest.raises(ServiceError, match="billed out"):
            services.inspection_video_add(
                by=technician, result=inspection.results.first(), upload=clip(mp4_bytes(5))
            )
        assert not InspectionVideo.objects.exists()


class TestTablet:
    def test_the_technician_uploads_a_clip_and_it_plays_on_the_page(
        self, client, technician, inspection, django_assert_max_num_queries
    ):
        result = inspection.results.get(label="Front brake pads")
        wo_id = inspection.work_order_id
        client.force_login(technician)
        response = client.post(
            reverse("workorders:inspection_video_add", args=[wo_id, result.pk]),
            {"video": clip(mp4_bytes(14), "pads.mp4")},
            HTTP_HX_REQUEST="true",
        )
        video = InspectionVideo.objects.get(result=result)
        page = response.content.decode()
        src = reverse("workorders:inspection_video", args=[wo_id, video.pk])
        assert f'<video controls playsinline preload="metadata" src="{src}"' in page
        assert "Video 1 · 0:14" in page and "Record a video (1)" in page
        served = client.get(src)
        assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
        assert served["Accept-Ranges"] == "bytes"
        assert b"".join(served.streaming_content) == mp4_bytes(14)
        with django_assert_max_num_queries(17) as few:
            client.get(reverse("workorders:inspection", args=[wo_id]))
        for other in inspection.results.exclude(pk=result.pk):
            services.inspection_video_add(by=technician, result=other, upload=clip(webm_bytes(3)))
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("workorders:inspection", args=[wo_id]))

    def test_a_wrong_file_is_refused_on_the_page_and_nothing_saved(
        self, client, technician, inspection
    ):
        result = inspection.results.first()
        client.force_login(technician)
        response = client.post(
            reverse("workorders:inspection_video_add", args=[inspection.work_order_id, result.pk]),
            {"video": clip(png_bytes(), "clip.mov", "video/quicktime")},
            HTTP_HX_REQUEST="true",
        )
        assert "“clip.mov” is not a video we can play" in response.content.decode()
        assert 'role="alert"' in response.content.decode()
        assert not InspectionVideo.objects.exists()

    def test_a_player_gets_the_byte_range_it_asks_for(self, client, technician, inspection):
        content = mp4_bytes(5)
        video = services.inspection_video_add(
            by=technician, result=inspection.results.first(), upload=clip(content)
        )
        client.force_login(technician)
        url = reverse("workorders:inspection_video", args=[inspection.work_order_id, video.pk])
        part = client.get(url, HTTP_RANGE="bytes=100-199")
        assert part.status_code == 206
        assert part["Content-Range"] == f"bytes 100-199/{len(content)}"
        assert b"".join(part.streaming_content) == content[100:200]
        tail = client.get(url, HTTP_RANGE="bytes=-10")
        assert b"".join(tail.streaming_content) == content[-10:]
        rest = client.get(url, HTTP_RANGE="bytes=2000-")
        assert b"".join(rest.streaming_content) == content[2000:]
        past = client.get(url, HTTP_RANGE=f"bytes={len(content)}-")
        assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(content)}"

    def test_another_technician_and_an_outsider_get_no_video(
        self, client, technician, employee_at, inspection
    ):
        video = services.inspection_video_add(
            by=technician, result=inspection.results.first(), upload=clip(mp4_bytes(5))
        )
        wo_id = inspection.work_order_id
        url = reverse("workorders:inspection_video", args=[wo_id, video.pk])
        upload_url = reverse(
            "workorders:inspection_video_add", args=[wo_id, inspection.results.first().pk]
        )
        client.force_login(employee_at(5))  # a technician, not on this repair order
        assert client.get(url).status_code == 404
        assert client.post(upload_url, {"video": clip(mp4_bytes(5))}).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302  # to the login page
        other = services.inspection_start(
            by=technician, work_order=inspection.work_order, sheet=inspection_sheet("Other")
        )
        client.force_login(technician)
        wrong = reverse("workorders:inspection_video", args=[wo_id + 1000, video.pk])
        assert client.get(wrong).status_code == 404
        assert other.results.exists() and InspectionVideo.objects.count() == 1


class TestApi:
    def test_a_clip_uploads_through_the_api_and_bad_ones_are_refused(
        self, client, technician, employee_at, inspection
    ):
        result = inspection.results.first()
        url = reverse("inspection-detail", args=[inspection.pk]) + f"results/{result.pk}/videos/"
        client.force_login(technician)
        response = client.post(url, {"video": clip(webm_bytes(20), "walkaround.webm")})
        assert response.status_code == 201
        shown = response.json()["results"][0]["videos"][0]
        assert shown["content_type"] == "video/webm" and shown["duration_seconds"] == 20.0
        assert shown["url"].endswith(
            reverse("workorders:inspection_video", args=[inspection.work_order_id, shown["id"]])
        )
        too_long = client.post(url, {"video": clip(mp4_bytes(75), "long.mp4")})
        assert too_long.status_code == 400 and "at most 60 seconds" in too_long.content.decode()
        not_video = client.post(url, {"video": clip(png_bytes(), "x.mp4")})
        assert not_video.status_code == 400
        assert client.post(url, {}).status_code == 400
        client.force_login(employee_at(5))  # not their repair order
        assert client.post(url, {"video": clip(mp4_bytes(5))}).status_code == 404
        assert InspectionVideo.objects.count() == 1
