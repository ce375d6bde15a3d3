"""Digital vehicle inspection: filling one on a work order (rate, notes, photos, recommend),
its photos, and the inspection sheets (edit, export and import as JSON)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from shop.errors import ServiceError
from shop.files import stored_file_response
from shop.security import can, security_function
from workorders import selectors, services
from workorders.models import (
    InspectionPhoto,
    InspectionResult,
    InspectionSheet,
    InspectionVideo,
    Stage,
    WorkOrder,
)
from workorders.services import SheetImportError


def _work_order_for(request: HttpRequest, work_order_id: int) -> WorkOrder:
    """The work order, if this employee may inspect it: a technician only their own repair
    orders (never an estimate); the counter any open work order."""
    work_order = (
        WorkOrder.objects.select_related("customer", "vehicle", "status")
        .filter(pk=work_order_id)
        .first()
    )
    if work_order is None:
        raise Http404("No such work order.")
    if not can(request.user, "view_estimates", request):
        mine = selectors.technician_jobs(request.user).filter(work_order=work_order).exists()
        if work_order.stage != Stage.REPAIR_ORDER or not mine:
            raise Http404("That work order is not one of yours.")
    return work_order


def _result_for(request: HttpRequest, work_order_id: int, result_id: int) -> InspectionResult:
    work_order = _work_order_for(request, work_order_id)
    return get_object_or_404(
        InspectionResult.objects.select_related("inspection", "recommended_job"),
        pk=result_id,
        inspection__work_order=work_order,
    )


def _back_to_job(request: HttpRequest) -> str:
    job_id = request.POST.get("job") or request.GET.get("job")
    return f"?job={job_id}" if job_id and job_id.isdigit() else ""


@security_function("inspect_vehicles")
def inspection(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = _work_order_for(request, work_order_id)
    return render(
        request,
        "workorders/technician/inspection.html",
        {
            "wo": work_order,
            "inspection": selectors.inspection_for(work_order.pk),
            "sheets": list(selectors.inspection_sheets().filter(is_active=True)),
            "job_id": request.GET.get("job", ""),
        },
    )


@require_POST
@security_function("inspect_vehicles")
def inspection_start(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = _work_order_for(request, work_order_id)
    sheet = InspectionSheet.objects.filter(pk=request.POST.get("sheet") or 0).first()
    if sheet is None:
        messages.error(request, "Choose an inspection sheet.")
    else:
        try:
            services.inspection_start(by=request.user, work_order=work_order, sheet=sheet)
        except ServiceError as error:
            messages.error(request, error.message)
    url = reverse("workorders:inspection", args=[work_order.pk])
    return redirect(url + _back_to_job(request))


def _result_response(
    request: HttpRequest, result: InspectionResult, error: str = ""
) -> HttpResponse:
    result = InspectionResult.objects.select_related("recommended_job", "inspection").get(
        pk=result.pk
    )
    return render(
        request,
        "workorders/technician/partials/result.html",
        {
            "result": result,
            "photos": list(result.photos.all()),
            "videos": list(result.videos.all()),
            "wo_id": result.inspection.work_order_id,
            "error": error,
            "notes_saved": not error and "notes" in request.POST,
        },
        status=200 if not error or request.htmx else 400,
    )


def _answer(request: HttpRequest, result: InspectionResult, error: str = "") -> HttpResponse:
    if request.htmx:
        return _result_response(request, result, error)
    if error:
        messages.error(request, error)
    url = reverse("workorders:inspection", args=[result.inspection.work_order_id])
    return redirect(f"{url}{_back_to_job(request)}#item-{result.pk}")


@require_POST
@security_function("inspect_vehicles")
def result_set(request: HttpRequest, work_order_id: int, result_id: int) -> HttpResponse:
    result = _result_for(request, work_order_id, result_id)
    error = ""
    try:
        services.inspection_result_set(
            by=request.user,
            result=result,
            rating=request.POST.get("rating"),
            notes=request.POST.get("notes"),
        )
    except ServiceError as problem:
        error = problem.message
    return _answer(request, result, error)


def _upload_add(request: HttpRequest, result, field: str, missing: str, add) -> HttpResponse:
    """A photo or a video from the tablet: the file in `field`, stored by the service `add`."""
    upload = request.FILES.get(field)
    error = missing if upload is None else ""
    if upload is not None:
        try:
            add(by=request.user, result=result, upload=upload)
        except ServiceError as problem:
            error = problem.message
    return _answer(request, result, error)


@require_POST
@security_function("inspect_vehicles")
def photo_add(request: HttpRequest, work_order_id: int, result_id: int) -> HttpResponse:
    result = _result_for(request, work_order_id, result_id)
    return _upload_add(
        request, result, "photo", "Take or choose a photo first.", services.inspection_photo_add
    )


@require_POST
@security_function("inspect_vehicles")
def video_add(request: HttpRequest, work_order_id: int, result_id: int) -> HttpResponse:
    result = _result_for(request, work_order_id, result_id)
    return _upload_add(
        request, result, "video", "Record or choose a video first.", services.inspection_video_add
    )


@security_function("inspect_vehicles")
def video_file(request: HttpRequest, work_order_id: int, video_id: int) -> HttpResponse:
    _work_order_for(request, work_order_id)
    video = get_object_or_404(
        InspectionVideo, pk=video_id, result__inspection__work_order_id=work_order_id
    )
    response = stored_file_response(request, video.file, content_type=video.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_POST
@security_function("inspect_vehicles")
def recommend(request: HttpRequest, work_order_id: int, result_id: int) -> HttpResponse:
    result = _result_for(request, work_order_id, result_id)
    error = ""
    try:
        services.inspection_recommend(by=request.user, result=result)
    except ServiceError as problem:
        error = problem.message
    return _answer(request, result, error)


@security_function("inspect_vehicles")
def photo_file(request: HttpRequest, work_order_id: int, photo_id: int, size: str) -> FileResponse:
    _work_order_for(request, work_order_id)
    photo = get_object_or_404(
        InspectionPhoto, pk=photo_id, result__inspection__work_order_id=work_order_id
    )
    if size not in ("thumb", "full"):
        raise Http404("No such photo size.")
    field = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- Inspection sheets ---------------------------------------------------------------------


def _sections_from_text(text: str) -> list[dict]:
    """“# Brakes” starts a section; every other non-empty line is one of its items."""
    sections: list[dict] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            sections.append({"title": line.lstrip("#").strip(), "items": []})
        elif sections:
            sections[-1]["items"].append(line)
        else:
            sections.append({"title": "General", "items": [line]})
    return sections


def _sheet_as_text(sheet: InspectionSheet) -> str:
    """The sheet in the lines `_sections_from_text` reads: saved unchanged, it stays the same."""
    lines: list[str] = []
    for section in sheet.sections.prefetch_related("points"):
        lines.append(f"# {section.title}")
        lines.extend(point.label for point in section.points.all())
    return "\n".join(lines)


@security_function("edit_inspection_sheets")
def sheet_list(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        try:
            if "file" in request.FILES:
                sheet = services.sheet_import(
                    by=request.user,
                    raw=request.FILES["file"].read(),
                    replace=request.POST.get("replace") == "1",
                )
                messages.success(request, f"The sheet “{sheet}” was imported.")
            else:
                sheet = services.sheet_create(
                    by=request.user,
                    name=request.POST.get("name", ""),
                    sections=_sections_from_text(request.POST.get("items", "")),
                )
                messages.success(request, f"The sheet “{sheet}” was saved.")
        except SheetImportError as problem:
            errors = problem.errors
        except ServiceError as problem:
            errors = [problem.message]
        else:
            return redirect("workorders:sheets")
    return render(
        request,
        "workorders/sheets.html",
        {
            "sheets": list(selectors.inspection_sheets()),
            "errors": errors,
            # Plain strings: a QueryDict's `.items` in a template is its method, not the field.
            "name": request.POST.get("name", "") if "file" not in request.FILES else "",
            "items": request.POST.get("items", "") if "file" not in request.FILES else "",
        },
        status=400 if errors else 200,
    )


@security_function("edit_inspection_sheets")
def sheet_edit(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = get_object_or_404(InspectionSheet, pk=sheet_id)
    errors: list[str] = []
    name, items = sheet.name, _sheet_as_text(sheet)
    if request.method == "POST":
        name, items = request.POST.get("name", ""), request.POST.get("items", "")
        try:
            sheet = services.sheet_update(
                by=request.user, sheet=sheet, name=name, sections=_sections_from_text(items)
            )
        except SheetImportError as problem:
            errors = problem.errors
        except ServiceError as problem:
            errors = [problem.message]
        else:
            messages.success(request, f"The sheet “{sheet}” was saved.")
            return redirect("workorders:sheets")
    return render(
        request,
        "workorders/sheet_edit.html",
        {"sheet": sheet, "name": name, "items": items, "errors": errors},
        status=400 if errors else 200,
    )


@security_function("edit_inspection_sheets")
def sheet_export(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = get_object_or_404(InspectionSheet, pk=sheet_id)
    response = HttpResponse(
        json.dumps(services.sheet_export(sheet), indent=2), content_type="application/json"
    )
    name = slugify(sheet.name) or f"sheet-{sheet.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@require_POST
@security_function("edit_inspection_sheets")
def sheet_delete(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = get_object_or_404(InspectionSheet, pk=sheet_id)
    services.sheet_delete(by=request.user, sheet=sheet)
    messages.success(request, f"The sheet “{sheet}” was deleted.")
    return redirect("workorders:sheets")
