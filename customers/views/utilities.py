"""The clean-up utilities: each previews exactly what will change, applies it in one
transaction, and leaves a log entry that undoes it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from customers import selectors
from customers.models import Customer, UtilityLogEntry
from customers.services import combine as combine_services
from customers.services.log import (
    UNDO_DAYS,
    UTILITY_FUNCTIONS,
    utility_log_entry_can_undo,
    utility_log_entry_undo,
)
from shop.errors import ServiceError
from shop.security import SecurityRefused, can, get_function, required_level, security_function

UTILITIES = [
    ("Combine Customers", "customers:combine", "combine_customers",
     "Merge two records of one customer (or add one as a family member)."),
]  # fmt: skip


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@security_function("view_utility_log")
def utilities(request: HttpRequest) -> HttpResponse:
    entries = list(selectors.utility_log())
    for entry in entries:
        code = UTILITY_FUNCTIONS[entry.utility]
        entry.may_undo = utility_log_entry_can_undo(entry) and can(request.user, code, request)
    offered = []
    for label, url_name, code, description in UTILITIES:
        if can(request.user, code, request):
            offered.append({"label": label, "url": reverse(url_name), "description": description})
    return render(
        request,
        "customers/utilities/index.html",
        {"entries": entries, "utilities": offered, "undo_days": UNDO_DAYS},
    )


@require_POST
@security_function("view_utility_log")
def utility_undo(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = UtilityLogEntry.objects.filter(pk=entry_id).only("utility").first()
    if entry is not None:
        # Undoing needs the level of the utility that made the entry.
        code = UTILITY_FUNCTIONS[entry.utility]
        if not can(request.user, code, request):
            raise SecurityRefused(get_function(code), required_level(code, request), request.user)
    try:
        undone = utility_log_entry_undo(by=request.user, entry_id=entry_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Undone: {undone.summary}.")
    return redirect("customers:utilities")


def _picked(value: str | None) -> Customer | None:
    pk = _int(value)
    if pk is None:
        return None
    try:
        return selectors.customer_detail(pk)
    except Customer.DoesNotExist:
        return None


@security_function("combine_customers")
def combine(request: HttpRequest) -> HttpResponse:
    """Combine Customers, manual: pick the one to keep and the duplicate; preview; apply."""
    if request.method == "POST":
        return _combine_apply(request)
    survivor = _picked(request.GET.get("survivor"))
    merged = _picked(request.GET.get("merged"))
    plan = family = error = None
    if survivor and merged:
        try:
            plan = combine_services.customers_combine_plan(survivor=survivor, merged=merged)
        except ServiceError as problem:
            error = problem.message
        try:
            family = combine_services.family_member_plan(main=survivor, member=merged)
        except ServiceError as problem:
            family = None
            family_refusal = problem.message
        else:
            family_refusal = ""
    else:
        family_refusal = ""
    return render(
        request,
        "customers/utilities/combine.html",
        {
            "survivor": survivor,
            "merged": merged,
            "plan": plan,
            "error": error,
            "family": family,
            "family_refusal": family_refusal,
        },
    )


def _combine_apply(request: HttpRequest) -> HttpResponse:
    survivor_id = _int(request.POST.get("survivor"))
    merged_id = _int(request.POST.get("merged"))
    back = f"{reverse('customers:combine')}?survivor={survivor_id or ''}&merged={merged_id or ''}"
    if survivor_id is None or merged_id is None:
        messages.error(request, "Choose the customer to keep and the duplicate.")
        return redirect(back)
    try:
        if request.POST.get("action") == "family":
            entry = combine_services.customer_add_family_member(
                by=request.user, main_id=survivor_id, member_id=merged_id
            )
        else:
            entry = combine_services.customers_combine(
                by=request.user,
                survivor_id=survivor_id,
                merged_id=merged_id,
                fingerprint=request.POST.get("fingerprint") or "",
            )
    except ServiceError as error:
        messages.error(request, error.message)
        if error.code == "conflict" and Customer.objects.filter(pk=survivor_id).exists():
            return redirect("customers:detail", survivor_id)
        return redirect(back)
    messages.success(request, f"{entry.summary}. Undo it from the utilities log if needed.")
    return redirect("customers:detail", survivor_id)


@security_function("view_customers")
def customer_pick(request: HttpRequest) -> HttpResponse:
    """The htmx picker of the utilities: search results that choose a customer for a slot."""
    role = request.GET.get("role")
    if role not in {"survivor", "merged"}:
        role = "merged"
    others = {k: v for k, v in request.GET.items() if k in {"survivor", "merged"} and k != role}
    results = selectors.customer_search(request.GET.get("q", ""), limit=10)
    return render(
        request,
        "customers/partials/pick.html",
        {"results": results, "role": role, "others": others, "base": reverse("customers:combine")},
    )
