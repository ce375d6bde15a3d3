"""Pages of the counter: look-up by phone, search, customer detail, customer and vehicle forms."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from customers import selectors, services
from customers.filters import SEARCH_LIST_LIMIT, CustomerFilter
from customers.forms import (
    CounterPhoneForm,
    CustomerForm,
    EmailFormSet,
    PhoneFormSet,
    SearchForm,
    VehicleForm,
    formset_rows,
)
from customers.history import record_history
from customers.models import Customer, Vehicle
from customers.phones import phone_hint, phone_normalize
from customers.vin import vin_clean
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import can, security_function

PAGE_SIZE = 25
SEARCH_PAGE_SIZE = 20  # as-you-type results: the best twenty, more on the next pages


def _formset_error(formsets: dict, error: ServiceError) -> bool:
    """Show a service error on the formset row it names ("phones-1-number"); False if none."""
    prefix, _, rest = (error.field or "").partition("-")
    formset = formsets.get(prefix)
    if formset is None:
        return False
    index, _, name = rest.partition("-")
    rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    filled = [f for f in rows if f.cleaned_data.get("number") or f.cleaned_data.get("address")]
    if index.isdigit() and int(index) < len(filled):
        filled[int(index)].add_error(
            name if name in filled[int(index)].fields else None, error.message
        )
        return True
    return False


@security_function("view_customers")
def counter(request: HttpRequest) -> HttpResponse:
    """Start with a phone number: the customers who have it, or a new customer with it."""
    form = CounterPhoneForm(request.GET or None)
    found = None
    number = ""
    if form.is_bound and form.is_valid():
        try:
            e164, found = selectors.customers_with_phone(form.cleaned_data["phone"])
        except ServiceError as error:
            form_error(form, error)
        else:
            number = phone_normalize(e164).national
            if not found:
                messages.info(request, f"No customer has {number} yet: add them below.")
                add_url = reverse("customers:add")
                return redirect(f"{add_url}?{urlencode({'phone': form.cleaned_data['phone']})}")
    return render(
        request,
        "customers/counter.html",
        {"form": form, "found": found, "number": number},
    )


@security_function("view_customers")
def customer_list(request: HttpRequest) -> HttpResponse:
    """All customers, or those matching the search box; htmx gets just the results."""
    search = SearchForm(request.GET or None)
    filterset = CustomerFilter(request.GET or None, queryset=selectors.customer_list())
    q = request.GET.get("q", "").strip()
    if q and set(request.GET) <= {"q", "page"}:
        # The search box alone (every keystroke): page through the ranked ids the search
        # returns, without asking the database to filter and count them again.
        ids = selectors.customer_search_ids(q, limit=SEARCH_LIST_LIMIT)
        page = Paginator(ids, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        # Page through ids only (an index-only scan even deep in 100,000 customers),
        # then load that page's cards with their phones and vehicles.
        size = SEARCH_PAGE_SIZE if q else PAGE_SIZE
        page = Paginator(filterset.qs.values_list("pk", flat=True), size).get_page(
            request.GET.get("page")
        )
    page.object_list = selectors.customer_cards_in_order(list(page.object_list))
    context = {
        "search": search,
        "filterset": filterset,
        "page": page,
        "q": request.GET.get("q", "").strip(),
    }
    if request.htmx:
        return render(request, "customers/partials/results.html", context)
    return render(request, "customers/list.html", context)


@security_function("view_customers")
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        customer = selectors.customer_detail(customer_id)
    except Customer.DoesNotExist:
        return render(request, "404.html", status=404)
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "history": record_history(request, customer),
            "may_edit": can(request.user, "edit_customers", request),
            "may_edit_vehicles": can(request.user, "edit_vehicles", request),
            "may_combine": can(request.user, "combine_customers", request),
            "may_separate": can(request.user, "separate_family_members", request),
        },
    )


def _customer_form_page(request: HttpRequest, customer: Customer | None) -> HttpResponse:
    if customer is None:
        typed = request.GET.get("phone", "").strip()
        phone_initial = [{"number": typed, "kind": "cell"}] if typed else []
        email_initial: list[dict] = []
        initial = {"kind": Customer.Kind.PERSON}
    else:
        phone_initial = [
            {"id": p.pk, "number": p.number, "kind": p.kind, "extension": p.extension}
            for p in customer.phones.all()
        ]
        email_initial = [{"id": e.pk, "address": e.address} for e in customer.emails.all()]
        initial = None
    household_main = None
    if customer is None and request.GET.get("household_main", "").isdigit():
        household_main = Customer.objects.filter(pk=request.GET["household_main"]).first()
    data = request.POST if request.method == "POST" else None
    form = CustomerForm(data, instance=customer, initial=initial)
    phones = PhoneFormSet(data, initial=phone_initial, prefix="phones")
    emails = EmailFormSet(data, initial=email_initial, prefix="emails")
    if request.method == "POST" and all([form.is_valid(), phones.is_valid(), emails.is_valid()]):
        fields = {name: form.cleaned_data[name] for name in CustomerForm.Meta.fields}
        try:
            if customer is None:
                saved = services.customer_create(
                    by=request.user,
                    household_main=household_main,
                    phones=formset_rows(phones, "number"),
                    emails=formset_rows(emails, "address"),
                    **fields,
                )
            else:
                saved = services.customer_update(
                    by=request.user,
                    customer=customer,
                    phones=formset_rows(phones, "number"),
                    emails=formset_rows(emails, "address"),
                    **fields,
                )
        except ServiceError as error:
            if not _formset_error({"phones": phones, "emails": emails}, error):
                form_error(form, error)
        else:
            messages.success(request, f"{saved} was saved.")
            return redirect("customers:detail", saved.pk)
    return render(
        request,
        "customers/customer_form.html",
        {
            "form": form,
            "phones": phones,
            "emails": emails,
            "customer": customer,
            "household_main": household_main,
            "phone_hint": phone_hint(),
        },
    )


@security_function("edit_customers")
def customer_add(request: HttpRequest) -> HttpResponse:
    return _customer_form_page(request, None)


@security_function("edit_customers")
def customer_edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(
        Customer.objects.prefetch_related("phones", "emails"), pk=customer_id
    )
    return _customer_form_page(request, customer)


def _vin_check_attrs(form: VehicleForm, vehicle: Vehicle | None) -> None:
    """The VIN field asks, as it is typed, whether another vehicle has it already."""
    url = reverse("customers:vin_check")
    if vehicle is not None:
        url += f"?{urlencode({'vehicle': vehicle.pk})}"
    form.fields["vin"].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": "#vin-check",
            "hx-swap": "innerHTML",
            "aria-describedby": "id_vin_helptext vin-check",
        }
    )


def _vehicle_form_page(
    request: HttpRequest, customer: Customer, vehicle: Vehicle | None
) -> HttpResponse:
    form = VehicleForm(request.POST or None, instance=vehicle)
    _vin_check_attrs(form, vehicle)
    vin_elsewhere: list[Vehicle] = []
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in VehicleForm.Meta.fields}
        confirmed = request.POST.get("vin_elsewhere_confirmed") == "1"
        try:
            if vehicle is None:
                saved = services.vehicle_create(
                    by=request.user, customer=customer, vin_elsewhere_confirmed=confirmed, **fields
                )
            else:
                saved = services.vehicle_update(
                    by=request.user, vehicle=vehicle, vin_elsewhere_confirmed=confirmed, **fields
                )
        except ServiceError as error:
            form_error(form, error)
            if error.code == services.VIN_ELSEWHERE:
                vin_elsewhere = selectors.vehicles_with_vin(
                    vin_clean(fields["vin"]), exclude=vehicle
                )
        else:
            messages.success(request, f"{saved} was saved for {customer}.")
            return redirect("customers:detail", customer.pk)
    if form.errors.get("vin"):
        form.fields["vin"].widget.attrs["aria-describedby"] = (
            "id_vin_error id_vin_helptext vin-check"
        )
    return render(
        request,
        "customers/vehicle_form.html",
        {
            "form": form,
            "customer": customer,
            "vehicle": vehicle,
            "vin_elsewhere": vin_elsewhere,
            "history": record_history(request, vehicle) if vehicle else [],
        },
    )


@security_function("edit_vehicles")
def vin_check(request: HttpRequest) -> HttpResponse:
    """The VIN field's check as it is typed: the vehicles that already have this VIN."""
    vin = vin_clean(request.GET.get("vin", ""))
    vehicle = None
    if request.GET.get("vehicle", "").isdigit():
        vehicle = Vehicle.objects.filter(pk=request.GET["vehicle"]).first()
    found = selectors.vehicles_with_vin(vin, exclude=vehicle) if len(vin) == 17 else []
    if vehicle is not None and vehicle.vin == vin:
        found = []  # its own VIN, unchanged: saving does not ask again
    return render(request, "customers/partials/vin_elsewhere.html", {"vin_elsewhere": found})


@security_function("edit_vehicles")
def vehicle_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_id)
    return _vehicle_form_page(request, customer, None)


@security_function("edit_vehicles")
def vehicle_edit(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = get_object_or_404(Vehicle.objects.select_related("customer"), pk=vehicle_id)
    return _vehicle_form_page(request, vehicle.customer, vehicle)


@require_POST
@security_function("edit_vehicles")
def vehicle_set_active(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = get_object_or_404(Vehicle.objects.select_related("customer"), pk=vehicle_id)
    active = request.POST.get("active") == "1"
    services.vehicle_set_active(by=request.user, vehicle=vehicle, active=active)
    messages.success(
        request,
        f"{vehicle} is active again."
        if active
        else f"{vehicle} is disabled: it no longer shows at the counter.",
    )
    return redirect("customers:detail", vehicle.customer_id)
