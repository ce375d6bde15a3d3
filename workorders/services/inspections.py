"""Digital vehicle inspection: sheets (export and import as JSON), inspections filled on a
work order item by item, photos from the tablet's camera, and recommendations.
"""

from __future__ import annotations

import io
import json
import struct
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from shop.errors import ServiceError
from shop.images import image_open
from shop.models import User
from workorders import events
from workorders.models import (
    Inspection,
    InspectionPhoto,
    InspectionPoint,
    InspectionResult,
    InspectionSection,
    InspectionSheet,
    InspectionVideo,
    Job,
    WorkOrder,
)
from workorders.services.jobs import job_add
from workorders.video_headers import NotAVideo, video_header_read

SHEET_FORMAT = "shopworks.inspection-sheet"
SHEET_FORMAT_VERSION = 1
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_VIDEO_BYTES = 100 * 1024 * 1024
MAX_VIDEO_SECONDS = 60
PHOTO_MAX_SIDE = 1600
THUMBNAIL_SIDE = 320


class SheetImportError(ServiceError):
    """A sheet file that does not follow the format: every problem, each with its place."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            "The sheet was not imported: " + "; ".join(errors), field="file", code="schema"
        )
        self.errors = errors


def sheet_export(sheet: InspectionSheet) -> dict[str, Any]:
    sections = sheet.sections.prefetch_related("points")
    return {
        "format": SHEET_FORMAT,
        "version": SHEET_FORMAT_VERSION,
        "name": sheet.name,
        "sections": [
            {"title": section.title, "items": [{"label": p.label} for p in section.points.all()]}
            for section in sections
        ],
    }


def _text(value: Any, place: str, name: str, limit: int, errors: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{place}: “{name}” must be a non-empty text")
        return ""
    if len(value.strip()) > limit:
        errors.append(f"{place}: “{name}” is longer than {limit} characters")
    return value.strip()


def sheet_parse(raw: bytes | str) -> dict[str, Any]:
    """Check a sheet file against the format; every problem is named with its place."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise SheetImportError(["the file is not JSON"]) from None
    errors: list[str] = []
    if not isinstance(data, dict):
        raise SheetImportError(["the file must hold one sheet (a JSON object)"])
    if data.get("format") != SHEET_FORMAT:
        errors.append(f"“format” must be “{SHEET_FORMAT}”")
    if data.get("version") != SHEET_FORMAT_VERSION:
        errors.append(f"“version” must be {SHEET_FORMAT_VERSION}")
    name = _text(data.get("name"), "sheet", "name", 120, errors)
    sections = data.get("sections")
    parsed: list[dict[str, Any]] = []
    if not isinstance(sections, list) or not sections:
        errors.append("“sections” must be a list with at least one section")
        sections = []
    for s_index, section in enumerate(sections, start=1):
        place = f"section {s_index}"
        if not isinstance(section, dict):
            errors.append(f"{place}: must be an object with “title” and “items”")
            continue
        title = _text(section.get("title"), place, "title", 120, errors)
        items = section.get("items")
        labels: list[str] = []
        if not isinstance(items, list) or not items:
            errors.append(f"{place}: “items” must be a list with at least one item")
            items = []
        for i_index, item in enumerate(items, start=1):
            item_place = f"section {s_index} item {i_index}"
            if not isinstance(item, dict):
                errors.append(f"{item_place}: must be an object with a “label”")
                continue
            labels.append(_text(item.get("label"), item_place, "label", 160, errors))
        parsed.append({"title": title, "items": labels})
    if errors:
        raise SheetImportError(errors)
    return {"name": name, "sections": parsed}


@transaction.atomic
def sheet_import(*, by: User, raw: bytes | str, replace: bool = False) -> InspectionSheet:
    """Create a sheet from a file (or replace the one of the same name when asked). A file
    with any problem imports nothing."""
    data = sheet_parse(raw)
    existing = InspectionSheet.objects.filter(name=data["name"]).first()
    if existing and not replace:
        raise ServiceError(
            f"A sheet named “{data['name']}” exists already. Rename it in the file, or choose "
            "to replace it.",
            field="file",
            code="exists",
        )
    if existing:
        existing.sections.all().delete()
        sheet = existing
        sheet.save(update_fields=["updated_at"])
    else:
        sheet = InspectionSheet.objects.create(name=data["name"])
    sheet_sections_write(sheet, data["sections"])
    return sheet


def sheet_sections_write(sheet: InspectionSheet, sections: list[dict[str, Any]]) -> None:
    for s_position, section in enumerate(sections):
        row = InspectionSection.objects.create(
            sheet=sheet, position=s_position, title=section["title"]
        )
        InspectionPoint.objects.bulk_create(
            InspectionPoint(section=row, position=p, label=label)
            for p, label in enumerate(section["items"])
        )


def _sheet_file(name: str, sections: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "format": SHEET_FORMAT,
            "version": SHEET_FORMAT_VERSION,
            "name": name,
            "sections": [
                {"title": s["title"], "items": [{"label": label} for label in s["items"]]}
                for s in sections
            ],
        }
    )


@transaction.atomic
def sheet_create(*, by: User, name: str, sections: list[dict[str, Any]]) -> InspectionSheet:
    """A sheet from sections like {"title": "Brakes", "items": ["Front pads", ...]}."""
    return sheet_import(by=by, raw=_sheet_file(name, sections))


@transaction.atomic
def sheet_update(
    *, by: User, sheet: InspectionSheet, name: str, sections: list[dict[str, Any]]
) -> InspectionSheet:
    """Rename a sheet and replace its sections and items, checked like an imported file.
    Inspections already started keep the items they copied."""
    data = sheet_parse(_sheet_file(name, sections))
    if InspectionSheet.objects.filter(name=data["name"]).exclude(pk=sheet.pk).exists():
        raise ServiceError(
            f"Another sheet is named “{data['name']}”. Choose another name.",
            field="name",
            code="exists",
        )
    sheet = InspectionSheet.objects.select_for_update().get(pk=sheet.pk)
    sheet.name = data["name"]
    sheet.save(update_fields=["name", "updated_at"])
    sheet.sections.all().delete()
    sheet_sections_write(sheet, data["sections"])
    return sheet


@transaction.atomic
def sheet_delete(*, by: User, sheet: InspectionSheet) -> None:
    # Inspections copied the items when they started, so they keep everything they showed.
    sheet.delete()


@transaction.atomic
def inspection_start(*, by: User, work_order: WorkOrder, sheet: InspectionSheet) -> Inspection:
    """Start an inspection of the work order's vehicle from a sheet (its items are copied)."""
    if work_order.closed_at is not None:
        raise ServiceError(f"Invoice #{work_order.pk} is billed out; inspect on a repair order.")
    if not sheet.is_active:
        raise ServiceError(f"The sheet “{sheet}” is no longer used.")
    inspection = Inspection.objects.create(
        work_order=work_order,
        vehicle_id=work_order.vehicle_id,
        sheet_name=sheet.name,
        technician=by,
        started_at=timezone.now(),
    )
    points = InspectionPoint.objects.filter(section__sheet=sheet).select_related("section")
    points = sorted(points, key=lambda p: (p.section.position, p.section_id, p.position, p.pk))
    InspectionResult.objects.bulk_create(
        InspectionResult(
            inspection=inspection,
            position=position,
            section_title=point.section.title,
            label=point.label,
        )
        for position, point in enumerate(points)
    )
    return inspection


def _check_open(result: InspectionResult) -> None:
    if result.inspection.work_order.closed_at is not None:
        raise ServiceError("The work order is billed out; its inspection can no longer change.")


@transaction.atomic
def inspection_result_set(
    *, by: User, result: InspectionResult, rating: str | None = None, notes: str | None = None
) -> InspectionResult:
    """Rate an item green, yellow or red and/or change its notes.

    Rating the inspection's last unrated item completes it: `completed_at` is set and
    `events.inspection_completed` sent, in this transaction. That happens once; rating an
    item again later (or clearing a rating) leaves the inspection completed.
    """
    result = (
        InspectionResult.objects.select_for_update(of=("self",))
        .select_related("inspection__work_order")
        .get(pk=result.pk)
    )
    _check_open(result)
    fields = []
    if rating is not None:
        if rating not in InspectionResult.Rating.values:
            raise ServiceError("Rate the item green, yellow or red.", field="rating")
        result.rating = rating
        fields.append("rating")
    if notes is not None:
        result.notes = notes.strip()[:2000]
        fields.append("notes")
    if fields:
        result.save(update_fields=[*fields, "updated_at"])
        if rating:
            _inspection_rated(by=by, result=result)
    return result


def _inspection_rated(*, by: User, result: InspectionResult) -> None:
    """Date the inspection and complete it if this rating was its last unrated item."""
    # Locking the inspection makes two technicians rating its last two items at once take
    # turns: the second sees the first's rating, so exactly one of them completes it.
    inspection = Inspection.objects.select_for_update().get(pk=result.inspection_id)
    now = timezone.now()
    inspection.inspected_at = now
    completed = (
        inspection.completed_at is None
        and not InspectionResult.objects.filter(inspection=inspection, rating="").exists()
    )
    if completed:
        inspection.completed_at = now
    inspection.save(update_fields=["inspected_at", "completed_at"])
    cached = result.inspection
    cached.inspected_at, cached.completed_at = inspection.inspected_at, inspection.completed_at
    if completed:
        events.inspection_completed.send(sender=Inspection, inspection=inspection, by=by)


def _resized(image: Image.Image, side: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), copy.size


@transaction.atomic
def inspection_photo_add(
    *, by: User, result: InspectionResult, upload: UploadedFile
) -> InspectionPhoto:
    """Store a photo of the item: resized to at most 1600 px, with a 320 px thumbnail."""
    result = InspectionResult.objects.select_related("inspection__work_order").get(pk=result.pk)
    _check_open(result)
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ServiceError(
            f"“{upload.name}” is {upload.size / 1024 / 1024:.1f} MB; a photo may be at most "
            "15 MB. Take it again at a lower resolution.",
            field="photo",
            code="too_large",
        )
    image = image_open(upload, name=upload.name, field="photo", fit_within=PHOTO_MAX_SIDE)
    stem = f"wo{result.inspection.work_order_id}-item{result.pk}"
    full, (width, height) = _resized(image, PHOTO_MAX_SIDE)
    thumbnail, _ = _resized(image, THUMBNAIL_SIDE)
    photo = InspectionPhoto(result=result, uploaded_by=by, width=width, height=height)
    photo.image.save(f"{stem}.jpg", ContentFile(full), save=False)
    photo.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(thumbnail), save=False)
    photo.save()
    return photo


def _video_refused(message: str, code: str) -> ServiceError:
    return ServiceError(message, field="video", code=code)


@transaction.atomic
def inspection_video_add(
    *, by: User, result: InspectionResult, upload: UploadedFile
) -> InspectionVideo:
    """Store a short clip of the item (MP4, MOV or WebM, up to 60 s and 100 MB) as recorded.
    Its container is told by its first bytes, whatever its name, and its length read from its
    header; anything else is refused and nothing is stored."""
    result = InspectionResult.objects.select_related("inspection__work_order").get(pk=result.pk)
    _check_open(result)
    if upload.size is not None and upload.size > MAX_VIDEO_BYTES:
        raise _video_refused(
            f"“{upload.name}” is {upload.size / 1024 / 1024:.0f} MB; a video may be at most "
            f"{MAX_VIDEO_BYTES // 1024 // 1024} MB. Record a shorter clip.",
            "too_large",
        )
    try:
        header = video_header_read(upload)
    except (NotAVideo, struct.error, OSError):
        raise _video_refused(
            f"“{upload.name}” is not a video we can play. Record a clip with the camera "
            "(MP4, MOV or WebM).",
            "not_video",
        ) from None
    if header.duration_ms is None:
        raise _video_refused(
            f"“{upload.name}” does not say how long it is. Record the clip again with the camera.",
            "no_duration",
        )
    if round(header.duration_ms / 1000) > MAX_VIDEO_SECONDS:
        seconds = round(header.duration_ms / 1000)
        raise _video_refused(
            f"“{upload.name}” is {seconds // 60}:{seconds % 60:02d} long; a video may be at "
            f"most {MAX_VIDEO_SECONDS} seconds. Record a shorter clip.",
            "too_long",
        )
    upload.seek(0)
    video = InspectionVideo(
        result=result,
        uploaded_by=by,
        content_type=header.content_type,
        duration_ms=header.duration_ms,
        size_bytes=upload.size or 0,
    )
    stem = f"wo{result.inspection.work_order_id}-item{result.pk}"
    video.file.save(f"{stem}.{header.extension}", upload, save=False)
    video.save()
    return video


@transaction.atomic
def inspection_recommend(*, by: User, result: InspectionResult) -> Job:
    """Turn a yellow or red item into a recommended job (pending the customer's approval)."""
    result = (
        InspectionResult.objects.select_for_update(of=("self",))
        .select_related("inspection__work_order")
        .get(pk=result.pk)
    )
    _check_open(result)
    if result.rating not in (InspectionResult.Rating.YELLOW, InspectionResult.Rating.RED):
        raise ServiceError("Only a yellow or red item becomes a recommended job.")
    if result.recommended_job_id:
        return result.recommended_job
    work_order = result.inspection.work_order
    urgency = "now" if result.rating == InspectionResult.Rating.RED else "soon"
    notes = f"Inspection: {result.label} needs attention {urgency}."
    if result.notes:
        notes += f" {result.notes}"
    job = job_add(
        by=by,
        work_order=work_order,
        version=None,
        title=result.label,
        category=result.section_title,
        customer_notes=notes,
    )
    result.recommended_job = job
    result.save(update_fields=["recommended_job", "updated_at"])
    return job
