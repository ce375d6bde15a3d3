"""Moving in: upload, map columns, dry run, apply with a progress bar, undo."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from imports import selectors, services
from imports.fields import FileKind
from imports.forms import UploadForm
from imports.models import ImportRun
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import security_function

FUNCTION = "import_history"


@security_function(FUNCTION)
def import_list(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/list.html", {"runs": selectors.import_runs()[:50]})


@security_function(FUNCTION)
def import_new(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_run_create(
                by=request.user, name=form.cleaned_data["name"], files=form.files_by_kind()
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            return redirect("imports:columns", run_id=run.pk)
    return render(request, "imports/new.html", {"form": form}, status=400 if form.errors else 200)


def _posted_mappings(request: HttpRequest, run: ImportRun) -> dict[str, dict[str, str]]:
    mappings = {}
    for import_file in run.files.all():
        mappings[import_file.kind] = {
            header: request.POST.get(f"map-{import_file.kind}-{index}", "")
            for index, header in enumerate(import_file.headers)
        }
    return mappings


@security_function(FUNCTION)
def import_columns(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.import_run(run_id)
    error = None
    if request.method == "POST":
        try:
            services.import_mapping_set(
                by=request.user,
                run_id=run.pk,
                mappings=_posted_mappings(request, run),
                save_as=request.POST.get("save_as", ""),
            )
        except ServiceError as refused:
            error = refused.message
        else:
            return redirect("imports:detail", run_id=run.pk)
    files = []
    saved = selectors.saved_mapping_names()
    for import_file in selectors.import_files(run):
        use = request.GET.get(f"use-{import_file.kind}", "")
        mapping = services.mapping_from_saved(import_file, use) if use else import_file.mapping
        files.append(
            {
                "file": import_file,
                "using": use or import_file.mapping_name,
                "choices": selectors.field_choices(import_file.kind),
                "columns": [
                    {
                        "index": index,
                        "header": header,
                        "sample": import_file.samples.get(header, ""),
                        "target": mapping.get(header, ""),
                    }
                    for index, header in enumerate(import_file.headers)
                ],
            }
        )
    return render(
        request,
        "imports/columns.html",
        {
            "run": run,
            "files": files,
            "saved": saved,
            "has_saved": any(saved.values()),
            "error": error,
            "editable": run.state in {ImportRun.State.UPLOADED, ImportRun.State.CHECKED},
        },
        status=400 if error else 200,
    )


COUNT_ROWS = [
    (FileKind.CUSTOMERS, "Customers"),
    ("phones", "Phones"),
    ("emails", "E-mails"),
    (FileKind.VEHICLES, "Vehicles"),
    (FileKind.INVOICES, "Invoices"),
    (FileKind.INVOICE_LINES, "Invoice lines"),
    (FileKind.AR_ITEMS, "A/R open items"),
    ("payments.ledgerentry", "Ledger balances (from the A/R open items)"),
    (FileKind.PARTS, "Parts"),
    ("parts.part", "Catalog parts (new part numbers)"),
]


def _count_rows(counts: dict) -> list[tuple[str, str, dict]]:
    """The counts in the order the import writes them (JSON keeps no order)."""
    return [(kind, label, counts[kind]) for kind, label in COUNT_ROWS if kind in counts]


@security_function(FUNCTION)
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.import_run(run_id)
    problems, problem_totals = selectors.import_problems(run)
    labels = {kind.value: kind.label for kind in FileKind}
    chosen = run.decisions.get("duplicates", {})
    for problem in problems:
        problem.kind_label = labels.get(problem.kind, problem.kind)
    context = {
        "run": run,
        "files": selectors.import_files(run),
        "problems": problems,
        "problem_totals": problem_totals,
        "problems_shown": selectors.PROBLEMS_SHOWN,
        "expected_rows": _count_rows(
            services.counts_expected(run) if run.dry_run.get("counts") else {}
        ),
        "written_rows": _count_rows(run.counts),
        "duplicates": [
            {**pair, "choice": chosen.get(pair["id"], "separate")}
            for pair in run.dry_run.get("duplicates", [])
        ],
        "built_upon": services.import_built_upon(run)
        if run.state in {ImportRun.State.DONE, ImportRun.State.STOPPED}
        else [],
    }
    return render(request, "imports/detail.html", context)


@require_POST
@security_function(FUNCTION)
def import_check(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        services.import_dry_run_start(by=request.user, run_id=run_id)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("imports:detail", run_id=run_id)


@require_POST
@security_function(FUNCTION)
def import_choices(request: HttpRequest, run_id: int) -> HttpResponse:
    duplicates = {
        key.removeprefix("pair:"): value
        for key, value in request.POST.items()
        if key.startswith("pair:")
    }
    try:
        services.import_decisions_set(
            by=request.user,
            run_id=run_id,
            duplicates=duplicates,
            skip_bad_rows=request.POST.get("skip_bad_rows") == "on",
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("imports:detail", run_id=run_id)
    messages.success(request, "Your choices are saved; the counts below follow them.")
    return redirect("imports:detail", run_id=run_id)


@require_POST
@security_function(FUNCTION)
def import_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        services.import_apply_start(by=request.user, run_id=run_id)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("imports:detail", run_id=run_id)


@security_function(FUNCTION)
def import_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.import_run(run_id)
    response = render(request, "imports/partials/progress.html", {"run": run})
    if not run.is_working and request.htmx:
        # The job ended: the whole page shows what it did (htmx follows HX-Refresh).
        response["HX-Refresh"] = "true"
    return response


@security_function(FUNCTION)
def import_checking(request: HttpRequest, run_id: int) -> HttpResponse:
    """The dry run job's progress, polled by its page until the findings are written."""
    run = selectors.import_run(run_id)
    response = render(request, "imports/partials/checking.html", {"run": run})
    if run.state != ImportRun.State.CHECKING and request.htmx:
        response["HX-Refresh"] = "true"  # done (or stopped): the page shows the findings
    return response


@require_POST
@security_function(FUNCTION)
def import_undo(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        run = services.import_undo(
            by=request.user,
            run_id=run_id,
            keep_built_upon=request.POST.get("keep_built_upon") == "on",
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{run}” is undone: what it wrote is gone.")
    return redirect("imports:detail", run_id=run_id)
