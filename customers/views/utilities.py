"""The clean-up utilities: each previews exactly what will change, applies it in one
transaction, and leaves a log entry that undoes it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from customers import selectors, services
from customers.models import Customer, UtilityLogEntry
from shop.errors import ServiceError
from shop.security import SecurityRefused, can, get_function, required_level, security_function

UTILITIES = [
    ("Combine Customers", "customers:combine", "combine_customers",
     "Merge two records of one customer (or add one as a family member)."),
    ("Automatic Combine Customers", "customers:combine_automatic", "combine_customers",
     "Find likely duplicates by phone, e-mail and name with postcode; review and apply."),
    ("Combine Vehicles", "customers:combine_vehicles", "combine_vehicles",
     "Merge a customer's duplicate vehicles by VIN and/or plate."),
    ("Delete Duplicate Phones", "customers:duplicate_phones", "delete_duplicate_phones",
     "Remove phones with the same number and type on one customer."),
    ("Separate Family Members", "customers:separate_family", "separate_family_members",
     "A family member leaves the household."),
    ("Change Area Code", "customers:area_code", "change_area_code",
     "Old area code, the cities that use it, the new code."),
    ("Delete Customers with No Invoices", "customers:delete_without_history",
     "delete_customers_no_invoices", "Customers with no estimate, invoice or other history."),
]  # fmt: skip


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@security_function("view_utility_log")
def utilities(request: HttpRequest) -> HttpResponse:
    entries = list(selectors.utility_log())
    for entry in entries:
        code = services.UTILITY_FUNCTIONS[entry.utility]
        entry.may_undo = services.utility_log_entry_can_undo(entry) and can(
            request.user, code, request
        )
    offered = []
    for label, url_name, code, description in UTILITIES:
        if can(request.user, code, request):
            offered.append({"label": label, "url": reverse(url_name), "description": description})
    return render(
        request,
        "customers/utilities/index.html",
        {"entries": entries, "utilities": offered, "undo_days": services.UNDO_DAYS},
    )


@require_POST
@security_function("view_utility_log")
def utility_undo(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = UtilityLogEntry.objects.filter(pk=entry_id).only("utility").first()
    if entry is not None:
        # Undoing needs the level of the utility that made the entry.
        code = services.UTILITY_FUNCTIONS[entry.utility]
        if not can(request.user, code, request):
            raise SecurityRefused(get_function(code), required_level(code, request), request.user)
    try:
        undone = services.utility_log_entry_undo(by=request.user, entry_id=entry_id)
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
            plan = services.customers_combine_plan(survivor=survivor, merged=merged)
        except ServiceError as problem:
            error = problem.message
        try:
            family = services.family_member_plan(main=survivor, member=merged)
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
            entry = services.customer_add_family_member(
                by=request.user, main_id=survivor_id, member_id=merged_id
            )
        else:
            entry = services.customers_combine(
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


def _applied(request: HttpRequest, entry: UtilityLogEntry) -> HttpResponse:
    messages.success(request, f"{entry.summary}. Undo it from the log below if needed.")
    return redirect("customers:utilities")


@security_function("combine_vehicles")
def combine_vehicles(request: HttpRequest) -> HttpResponse:
    match = request.POST.get("match") or request.GET.get("match") or ""
    if request.method == "POST":
        try:
            # The preview's form lists its pairs: only the ticked ones are combined.
            pairs = request.POST.getlist("pair") if request.POST.get("pairs_listed") else None
            entry = services.vehicles_combine(
                by=request.user,
                match=match,
                fingerprint=request.POST.get("fingerprint", ""),
                pairs=pairs,
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(f"{reverse('customers:combine_vehicles')}?match={match}")
        return _applied(request, entry)
    groups = fingerprint = error = None
    if match:
        try:
            groups = services.vehicle_duplicate_groups_find(match=match)
        except ServiceError as problem:
            error = problem.message
        else:
            fingerprint = services.vehicle_groups_fingerprint(groups)
    return render(
        request,
        "customers/utilities/combine_vehicles.html",
        {
            "matches": services.VEHICLE_MATCHES.items(),
            "match": match,
            "groups": groups,
            "fingerprint": fingerprint,
            "error": error,
            "limit": services.VEHICLE_GROUP_LIMIT,
        },
    )


@security_function("delete_duplicate_phones")
def duplicate_phones(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            entry = services.phones_delete_duplicates(
                by=request.user, fingerprint=request.POST.get("fingerprint", "")
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("customers:duplicate_phones")
        return _applied(request, entry)
    phones = services.duplicate_phones_find()
    return render(
        request,
        "customers/utilities/duplicate_phones.html",
        {"phones": phones, "fingerprint": services.duplicate_phones_fingerprint(phones)},
    )


@security_function("separate_family_members")
def separate_family(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("member") if v.isdigit()]
        try:
            entry = services.family_members_separate(by=request.user, member_ids=ids)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("customers:separate_family")
        return _applied(request, entry)
    chosen = [int(v) for v in request.GET.getlist("member") if v.isdigit()]
    preview = error = None
    if chosen:
        try:
            preview = services.family_members_plan(chosen)
        except ServiceError as problem:
            error = problem.message
    query = request.GET.get("q", "")
    return render(
        request,
        "customers/utilities/separate_family.html",
        {
            "members": [] if preview else services.family_members_find(query=query),
            "preview": preview,
            "error": error,
            "q": query,
        },
    )


@security_function("change_area_code")
def area_code(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    old_code = source.get("old_code", "").strip()
    new_code = source.get("new_code", "").strip()
    cities = [c for c in source.getlist("city") if c]
    if request.method == "POST":
        try:
            entry = services.area_code_change(
                by=request.user,
                old_code=old_code,
                new_code=new_code,
                cities=cities,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(f"{reverse('customers:area_code')}?old_code={old_code}")
        return _applied(request, entry)
    city_rows = plan = error = None
    if old_code:
        try:
            city_rows = services.area_code_cities_list(old_code=old_code)
            if new_code or cities:
                plan = services.area_code_plan(old_code=old_code, new_code=new_code, cities=cities)
        except ServiceError as problem:
            error = problem.message
    return render(
        request,
        "customers/utilities/area_code.html",
        {
            "old_code": old_code,
            "new_code": new_code,
            "cities": cities,
            "city_rows": city_rows,
            "plan": plan,
            "fingerprint": services.area_code_fingerprint(plan) if plan else "",
            "error": error,
        },
    )


def _date(value: str | None):
    from django.utils.dateparse import parse_date

    try:
        return parse_date(value or "")
    except ValueError:
        return None


@security_function("delete_customers_no_invoices")
def delete_without_history(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    raw_date = source.get("created_before", "").strip()
    created_before = _date(raw_date)
    if raw_date and created_before is None:
        messages.error(request, f"“{raw_date}” is not a date; use the date picker (YYYY-MM-DD).")
        return redirect("customers:delete_without_history")
    if request.method == "POST":
        try:
            entry = services.customers_delete_without_history(
                by=request.user,
                created_before=created_before,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(
                f"{reverse('customers:delete_without_history')}?created_before={raw_date}"
            )
        return _applied(request, entry)
    customers = None
    if "preview" in request.GET:
        customers = services.customers_without_history_find(created_before=created_before)
    return render(
        request,
        "customers/utilities/delete_without_history.html",
        {
            "customers": customers,
            "created_before": raw_date,
            "fingerprint": services.customers_without_history_fingerprint(customers or []),
            "limit": services.DELETE_LIMIT,
        },
    )
