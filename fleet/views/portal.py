"""The fleet portal: a fleet user's requests (only its fleet's), decisions and notes."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fleet import selectors, services
from fleet.access import fleet_member_required
from fleet.forms import NoteForm
from fleet.models import FleetNote, FleetRequest
from fleet.snapshots import attach_decisions
from shop.errors import ServiceError


def _request_or_404(request: HttpRequest, request_id: int) -> FleetRequest:
    try:
        return selectors.portal_request(request.fleet_company_id, request_id)
    except FleetRequest.DoesNotExist:
        raise Http404("No such repair order for your fleet.") from None


@fleet_member_required
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.portal_requests(request.fleet_company_id), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "fleet/portal/list.html", {"page": page})


def _detail(request: HttpRequest, fleet_request: FleetRequest, *, error: str = "", status=200):
    version = selectors.current_version(fleet_request)
    snapshot = attach_decisions(version.snapshot, version.lines.all()) if version else None
    context = {
        "fleet_request": fleet_request,
        "version": version,
        "snapshot": snapshot,
        "notes": list(selectors.notes_for(fleet_request)),
        "note_form": NoteForm(),
        "error": error,
    }
    return render(request, "fleet/portal/detail.html", context, status=status)


@fleet_member_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _request_or_404(request, request_id))


@require_POST
@fleet_member_required
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """Each line's radio buttons (decision_<line>) and reason (reason_<line>)."""
    fleet_request = _request_or_404(request, request_id)
    decisions = [
        {
            "line": name.removeprefix("decision_"),
            "decision": value,
            "reason": request.POST.get(f"reason_{name.removeprefix('decision_')}", ""),
        }
        for name, value in request.POST.items()
        if name.startswith("decision_") and value
    ]
    try:
        services.fleet_request_decide(
            request=fleet_request,
            version=int(request.POST.get("version") or 0),
            decisions=decisions,
            by_name=str(request.user),
            note=request.POST.get("note", ""),
        )
    except ServiceError as error:
        status = 409 if error.code == "conflict" else 400
        fleet_request.refresh_from_db()
        return _detail(request, fleet_request, error=error.message, status=status)
    messages.success(request, "Your decisions were sent to the shop.")
    return redirect("fleet:portal_detail", fleet_request.pk)


@require_POST
@fleet_member_required
def request_note(request: HttpRequest, request_id: int) -> HttpResponse:
    fleet_request = _request_or_404(request, request_id)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Write the note first.")
        services.fleet_note_add(
            request=fleet_request,
            side=FleetNote.Side.FLEET,
            author=str(request.user),
            body=form.cleaned_data["body"],
            line_key=form.cleaned_data["line"],
        )
    except ServiceError as error:
        return _detail(request, fleet_request, error=error.message, status=400)
    messages.success(request, "Your note was sent to the shop.")
    return redirect("fleet:portal_detail", fleet_request.pk)
