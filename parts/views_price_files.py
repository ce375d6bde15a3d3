"""Vendor price files: upload, choose the columns (saved for the vendor), the dry run with
each bad row, and the apply job with its progress bar (parts.services.price_files)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from parts import services
from parts.models import PriceFileRun, Vendor
from parts.services.price_files import FIELDS, run_stalled
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import security_function

RUNS_SHOWN = 10


class PriceFileUploadForm(forms.Form):
    file = forms.FileField(
        label="Price file (CSV)",
        help_text="The first line names the columns. Excel: File → Save As → CSV.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label="Encoding",
        required=False,
        choices=[("", "Detect"), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (Excel)")],
        help_text="Leave on Detect unless accents come out wrong.",
    )


class PriceFileColumnsForm(forms.Form):
    """One select per field, offering the file's headers."""

    def __init__(self, *args, headers: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —"), *((h, h) for h in headers)]
        for code, label, required in FIELDS:
            self.fields[code] = forms.ChoiceField(label=label, choices=choices, required=required)


class PriceFileApplyForm(forms.Form):
    skip_bad_rows = forms.BooleanField(required=False)


def _vendor_page(request, vendor: Vendor, form: PriceFileUploadForm, status: int = 200):
    runs = list(
        PriceFileRun.objects.filter(vendor=vendor).select_related("created_by")[:RUNS_SHOWN]
    )
    context = {"vendor": vendor, "form": form, "runs": runs}
    return render(request, "parts/price_files/upload.html", context, status=status)


@security_function("edit_parts")
def price_file_upload(request: HttpRequest, vendor_id: int) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=vendor_id)
    if request.method != "POST":
        return _vendor_page(request, vendor, PriceFileUploadForm())
    form = PriceFileUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            run = services.price_file_upload(
                by=request.user,
                vendor=vendor,
                upload=form.cleaned_data["file"],
                encoding=form.cleaned_data["encoding"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{run.original_name} was uploaded: check its columns.")
            return redirect("parts:price_file", run.pk)
    return _vendor_page(request, vendor, form, status=400)


def _run_or_404(run_id: int) -> PriceFileRun:
    return get_object_or_404(PriceFileRun.objects.select_related("vendor"), pk=run_id)


def _run_page(request, run: PriceFileRun, *, columns_form=None, error: str = "", status=200):
    columns_form = columns_form or PriceFileColumnsForm(initial=run.columns, headers=run.headers)
    context = {
        "run": run,
        "columns_form": columns_form,
        "error": error,
        "can_check": run.state in {PriceFileRun.State.UPLOADED, PriceFileRun.State.CHECKED},
        "good_rows": run.rows - run.bad_rows,
        "stalled": run_stalled(run),
        "more_problems": max(0, run.bad_rows - len({p[0] for p in run.problems})),
    }
    return render(request, "parts/price_files/detail.html", context, status=status)


@require_GET
@security_function("edit_parts")
def price_file_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    return _run_page(request, _run_or_404(run_id))


@require_POST
@security_function("edit_parts")
def price_file_check(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    form = PriceFileColumnsForm(request.POST, headers=run.headers)
    if form.is_valid():
        try:
            run = services.price_file_check(
                by=request.user, run_id=run.pk, columns=dict(form.cleaned_data)
            )
        except ServiceError as error:
            if error.code == "conflict":
                return _run_page(request, run, error=error.message, status=409)
            form_error(form, error)
        else:
            return redirect("parts:price_file", run.pk)
    return _run_page(request, run, columns_form=form, status=400)


@require_POST
@security_function("edit_parts")
def price_file_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    form = PriceFileApplyForm(request.POST)
    form.is_valid()
    try:
        services.price_file_apply_start(
            by=request.user,
            run_id=run.pk,
            skip_bad_rows=bool(form.cleaned_data.get("skip_bad_rows")),
        )
    except ServiceError as error:
        status = 409 if error.code == "conflict" else 400
        return _run_page(request, run, error=error.message, status=status)
    return redirect("parts:price_file", run.pk)


@require_GET
@security_function("edit_parts")
def price_file_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    response = render(request, "parts/price_files/progress.html", {"run": run})
    if request.htmx and not run.is_working:
        # Finished: the whole page again, to show what was written.
        response["HX-Refresh"] = "true"
    return response
