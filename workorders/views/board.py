"""Today's Vehicles Page: the advisor's home. The page, its refresh (204/304 when nothing
changed), and the card's actions: status, technician priority, status history."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from shop.errors import ServiceError
from shop.security import SecurityRefused, can, get_function, security_function, user_level
from workorders import board as board_reads
from workorders import selectors, services
from workorders.forms import StatusChangeForm
from workorders.models import WorkOrder

REFRESH_SECONDS = 10


def _context(request: HttpRequest, *, fingerprint: str | None = None, **extra) -> dict:
    return {
        "board": board_reads.board_get(fingerprint=fingerprint),
        "refresh_seconds": REFRESH_SECONDS,
        "can_edit": can(request.user, "edit_work_orders", request),
        "priorities": WorkOrder.Priority.choices,
        **extra,
    }


def _columns(
    request: HttpRequest, *, error: str = "", fingerprint: str | None = None
) -> HttpResponse:
    context = _context(request, fingerprint=fingerprint, board_error=error)
    board = context["board"]
    response = render(request, "workorders/board/columns.html", context)
    response["ETag"] = f'"{board.fingerprint}"'
    response["Cache-Control"] = "no-cache, private"
    return response


@security_function("view_board")
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "workorders/board/page.html", _context(request))


@require_GET
def board_refresh(request: HttpRequest) -> HttpResponse:
    """The cards again, or nothing when nothing changed: one query decides both who may see
    the board and whether it changed (with the session and the user: three in all)."""
    level, fingerprint = board_reads.board_fingerprint()
    function = get_function(board_reads.BOARD_FUNCTION)
    required = level if level is not None else function.default_level
    mine = user_level(request.user)
    if mine is None or mine > required:
        raise SecurityRefused(function, required, request.user)
    etag = f'"{fingerprint}"'
    if request.GET.get("since") == fingerprint:
        return HttpResponse(status=204)  # htmx swaps nothing
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponse(status=304, headers={"ETag": etag})
    return _columns(request, fingerprint=fingerprint)


board_refresh.security_function = board_reads.BOARD_FUNCTION


@require_POST
@security_function("edit_work_orders")
def board_status(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    form = StatusChangeForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "Choose a status."
    else:
        try:
            services.workorder_status_set(
                by=request.user,
                work_order=work_order,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except ServiceError as problem:
            error = problem.message
    if not request.htmx:
        return redirect("workorders:board")
    return _columns(request, error=error)


@require_POST
@security_function("edit_work_orders")
def board_priority(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    error = ""
    try:
        services.workorder_priority_set(
            by=request.user, work_order=work_order, priority=int(request.POST.get("priority", 0))
        )
    except ValueError:
        error = "Choose a priority: Low, Normal, High or Urgent."
    except ServiceError as problem:
        error = problem.message
    if not request.htmx:
        return redirect("workorders:board")
    return _columns(request, error=error)


@require_POST
@security_function("edit_work_orders")
def board_countdown(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """The hours and minutes this vehicle gets in its Count Down status."""
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    error = ""
    try:
        services.workorder_countdown_set(
            by=request.user,
            work_order=work_order,
            hours=request.POST.get("hours", ""),
            minutes=request.POST.get("minutes", ""),
        )
    except ServiceError as problem:
        error = f"#{work_order.pk}: {problem.message}"
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("workorders:board")
    return _columns(request, error=error)


@security_function("view_board")
def board_history(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = WorkOrder.objects.select_related("status", "customer", "vehicle").filter(
        pk=work_order_id
    )
    work_order = work_order.first()
    if work_order is None:
        raise Http404("No such work order.")
    return render(
        request,
        "workorders/board/history.html",
        {
            "wo": work_order,
            "history": list(selectors.status_history(work_order)),
            "approvals": list(selectors.approval_trail(work_order)),
        },
    )
