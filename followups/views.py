from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from followups import selectors, services
from followups.forms import (
    DataSearchForm,
    FollowUpListForm,
    FollowUpSettingsForm,
    LetterTemplateForm,
    OutputForm,
)
from followups.merge import MERGE_FIELDS
from followups.models import (
    Collect,
    FollowUp,
    FollowUpList,
    LetterTemplate,
    OutputJob,
    OutputKind,
    SavedQuery,
)
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import check, security_function

# View/Print Last: the outputs each link shows again.
LAST_KINDS = {
    "report": ("Report", {OutputKind.REPORT}),
    "labels": ("Mailing labels", {OutputKind.LABELS}),
    "postcards": (
        "Postcards",
        {OutputKind.POSTCARDS, OutputKind.POSTCARD_SINGLE, OutputKind.POSTCARDS_LABELS},
    ),
    "letters": ("Letters", {OutputKind.LETTERS, OutputKind.LETTERS_LABELS}),
}


# --- Data Search ------------------------------------------------------------------------------


@security_function("data_search")
def search_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "followups/search_list.html",
        {
            "queries": selectors.saved_query_list(),
            "jobs": selectors.recent_jobs()[:15],
            "last_kinds": [(code, label) for code, (label, _) in LAST_KINDS.items()],
        },
    )


def _builder(
    request: HttpRequest, query: SavedQuery | None, *, initial: dict | None = None
) -> HttpResponse:
    categories = selectors.service_categories()
    if request.method == "POST":
        form = DataSearchForm(request.POST, categories=categories)
        if form.is_valid():
            try:
                query = services.saved_query_save(
                    by=request.user,
                    query=query,
                    name=form.cleaned_data["name"],
                    collect=form.cleaned_data["collect"],
                    criteria=form.cleaned_data["criteria"],
                    fields=form.cleaned_data["fields"],
                )
            except ServiceError as error:
                form_error(form, error)
            else:
                messages.success(request, f"Query “{query.name}” saved.")
                return redirect("followups:search_edit", query_id=query.pk)
    else:
        initial = DataSearchForm.initial_from(query) if query else initial
        form = DataSearchForm(initial=initial, categories=categories)
    return render(
        request,
        "followups/search_form.html",
        {
            "form": form,
            "query": query,
            "output_form": OutputForm() if query else None,
            "inspection": bool(initial and initial.get("collect") == Collect.VEHICLE),
        },
    )


@security_function("data_search")
def search_new(request: HttpRequest) -> HttpResponse:
    return _builder(request, None)


@security_function("data_search")
def inspection_search(request: HttpRequest) -> HttpResponse:
    """Vehicle Inspection Search: the query builder collecting per vehicle."""
    initial = {
        "collect": Collect.VEHICLE,
        "fields": ["name", "address_line1", "city", "postcode", "vehicle", "last_inspection"],
    }
    return _builder(request, None, initial=initial)


@security_function("data_search")
def search_edit(request: HttpRequest, query_id: int) -> HttpResponse:
    return _builder(request, get_object_or_404(SavedQuery, pk=query_id))


@security_function("data_search")
def search_preview(request: HttpRequest) -> HttpResponse:
    """The count and the first rows of the criteria on the form, before any output."""
    form = DataSearchForm(request.GET, categories=selectors.service_categories())
    context: dict = {"form": form}
    if form.is_valid():
        count, rows = selectors.search_preview(
            form.cleaned_data["criteria"], form.cleaned_data["collect"]
        )
        fields = form.cleaned_data["fields"]
        context.update(
            count=count,
            headers=[dict(form.fields["fields"].choices)[f] for f in fields],
            rows=[[row.get(f) for f in fields] for row in rows],
        )
    status = 200 if form.is_valid() else 422
    return render(request, "followups/partials/preview.html", context, status=status)


@require_POST
@security_function("data_search")
def search_delete(request: HttpRequest, query_id: int) -> HttpResponse:
    query = get_object_or_404(SavedQuery, pk=query_id)
    services.saved_query_delete(query=query)
    messages.success(request, f"Query “{query.name}” deleted.")
    return redirect("followups:search_list")


@require_POST
@security_function("data_search")
def search_output(request: HttpRequest, query_id: int) -> HttpResponse:
    query = get_object_or_404(SavedQuery, pk=query_id)
    form = OutputForm(request.POST)
    if form.is_valid():
        try:
            job = services.output_job_start(by=request.user, query=query, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            return redirect("followups:job", job_id=job.pk)
    search_form = DataSearchForm(
        initial=DataSearchForm.initial_from(query), categories=selectors.service_categories()
    )
    return render(
        request,
        "followups/search_form.html",
        {"form": search_form, "query": query, "output_form": form},
        status=422,
    )


# --- Output jobs ------------------------------------------------------------------------------


def _job(job_id: int) -> OutputJob:
    return get_object_or_404(OutputJob.objects.select_related("created_by"), pk=job_id)


@security_function("data_search")
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "followups/job.html", {"job": _job(job_id)})


@security_function("data_search")
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(job_id)
    response = render(request, "followups/partials/job_progress.html", {"job": job})
    if job.is_finished and request.htmx:
        # 286 tells htmx to stop polling.
        response.status_code = 286
    return response


@require_POST
@security_function("data_search")
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(job_id)
    if services.output_job_cancel(job=job):
        messages.success(request, "The output was cancelled: nothing was kept or sent.")
    else:
        messages.error(request, "The output had already finished.")
    return redirect("followups:job", job_id=job.pk)


@require_POST
@security_function("data_search")
def job_rerun(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(job_id)
    if job.follow_up_list_id:
        check(request, "follow_ups")  # sending a follow-up list is that function's
    try:
        again = services.output_job_rerun(by=request.user, job=job)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("followups:job", job_id=job.pk)
    messages.success(request, "The output runs again.")
    return redirect("followups:job", job_id=again.pk)


@security_function("data_search")
def job_download(request: HttpRequest, job_id: int, which: str) -> FileResponse:
    job = _job(job_id)
    field = {"file": job.file, "second": job.second_file}.get(which)
    if job.state != OutputJob.State.DONE or not field:
        raise Http404("This output has no such file.")
    inline = field.name.endswith((".pdf", ".html")) and request.GET.get("download") != "1"
    return FileResponse(
        field.open("rb"), as_attachment=not inline, filename=field.name.rsplit("/", 1)[-1]
    )


@security_function("data_search")
def view_print_last(request: HttpRequest, what: str) -> HttpResponse:
    if what not in LAST_KINDS:
        raise Http404("No such output.")
    label, kinds = LAST_KINDS[what]
    return render(
        request,
        "followups/last.html",
        {"label": label, "job": selectors.last_job(kinds)},
    )


# --- File Edit --------------------------------------------------------------------------------


@security_function("file_edit")
def templates(request: HttpRequest) -> HttpResponse:
    return render(
        request, "followups/templates.html", {"templates": selectors.letter_template_list()}
    )


def _template_form(request: HttpRequest, template: LetterTemplate | None) -> HttpResponse:
    form = LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.letter_template_save(
                template=template, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"“{saved.name}” saved.")
            return redirect("followups:templates")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "followups/template_form.html",
        {"form": form, "template": template, "merge_fields": MERGE_FIELDS},
        status=status,
    )


@security_function("file_edit")
def template_new(request: HttpRequest) -> HttpResponse:
    return _template_form(request, None)


@security_function("file_edit")
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    return _template_form(request, get_object_or_404(LetterTemplate, pk=template_id))


# --- Follow Ups -------------------------------------------------------------------------------


@security_function("follow_ups")
def lists(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "followups/lists.html",
        {
            "lists": selectors.follow_up_list_overview(),
            "settings": selectors.followup_settings_get(),
            "output_form": OutputForm(),
        },
    )


def _list_form(request: HttpRequest, follow_up_list: FollowUpList | None) -> HttpResponse:
    form = FollowUpListForm(request.POST or None, instance=follow_up_list)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_list_save(follow_up_list=follow_up_list, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "Follow-up list saved.")
            return redirect("followups:lists")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "followups/list_form.html",
        {"form": form, "follow_up_list": follow_up_list},
        status=status,
    )


@security_function("follow_ups")
def list_new(request: HttpRequest) -> HttpResponse:
    return _list_form(request, None)


@security_function("follow_ups")
def list_edit(request: HttpRequest, list_id: int) -> HttpResponse:
    return _list_form(request, get_object_or_404(FollowUpList, pk=list_id))


@require_POST
@security_function("follow_ups")
def list_send(request: HttpRequest, list_id: int) -> HttpResponse:
    follow_up_list = get_object_or_404(FollowUpList, pk=list_id)
    form = OutputForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("followups:lists")
    try:
        job = services.output_job_start(
            by=request.user, follow_up_list=follow_up_list, **form.cleaned_data
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("followups:lists")
    return redirect("followups:job", job_id=job.pk)


@security_function("follow_up_maintenance")
def maintenance(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        deleted = services.follow_ups_delete_sent()
        messages.success(
            request, f"{deleted} follow-up{'s' if deleted != 1 else ''} with a Date Sent deleted."
        )
        return redirect("followups:maintenance")
    page = Paginator(selectors.follow_up_maintenance_list(), 50).get_page(request.GET.get("page"))
    sent = FollowUp.objects.filter(date_sent__isnull=False).count()
    return render(request, "followups/maintenance.html", {"page": page, "sent_count": sent})


@security_function("follow_up_settings")
def settings_edit(request: HttpRequest) -> HttpResponse:
    form = FollowUpSettingsForm(request.POST or None, instance=selectors.followup_settings_get())
    if request.method == "POST" and form.is_valid():
        services.follow_up_settings_update(**form.cleaned_data)
        messages.success(request, "Follow-up settings saved.")
        return redirect("followups:settings")
    return render(request, "followups/settings.html", {"form": form})
