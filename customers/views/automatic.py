"""Automatic Combine Customers: the review of likely duplicates, in two tiers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from customers import selectors, services
from customers.duplicates import find_duplicates
from customers.models import Customer
from shop.errors import ServiceError
from shop.security import security_function

AUTOMATIC_SHOWN = 100


def _reviewed_groups(values: list[str]) -> tuple[list[list[int]], list[str]]:
    """ "12,15:stamp" per ticked group: the ids, the one to keep first, and the stamp of
    the records as the review showed them."""
    groups, stamps = [], []
    for value in values:
        ids_part, _, stamp = value.partition(":")
        ids = [int(part) for part in ids_part.split(",") if part.isdigit()]
        if len(ids) >= 2:
            groups.append(ids)
            stamps.append(stamp)
    return groups, stamps


def _combine_automatic_apply(request: HttpRequest) -> HttpResponse:
    family = [int(part) for part in request.POST.get("family", "").split(",") if part.isdigit()]
    if request.POST.get("family") is not None:
        if len(family) != 2:
            messages.error(request, "Choose the two customers to link as family.")
            return redirect("customers:combine_automatic")
        try:
            entry = services.customer_add_family_member(
                by=request.user, main_id=family[0], member_id=family[1]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{entry.summary}. Undo it from the utilities log if needed.")
        return redirect(f"{reverse('customers:combine_automatic')}?run=1")
    groups, stamps = _reviewed_groups(request.POST.getlist("group"))
    if not groups:
        messages.error(request, "Tick at least one group or pair to combine.")
        return redirect("customers:combine_automatic")
    entries, problems = services.customer_groups_combine(
        by=request.user, groups=groups, stamps=stamps
    )
    if entries:
        messages.success(
            request,
            f"{len(entries)} duplicate customer{'s' if len(entries) != 1 else ''} combined. "
            "Each can be undone from the log below.",
        )
    for problem in problems:
        messages.error(request, problem)
    return redirect("customers:utilities")


def _record_rows(kept: Customer, other: Customer) -> list[dict]:
    """The two records of a maybe pair, field by field, as the counter reads them."""

    def phones(customer: Customer) -> str:
        return "\n".join(f"{p.get_kind_display()} {p.number}" for p in customer.phones.all())

    def emails(customer: Customer) -> str:
        return "\n".join(e.address for e in customer.emails.all())

    def address(customer: Customer) -> str:
        return " ".join(part for part in [customer.address_line1, customer.postcode] if part)

    rows = []
    for label, read in [
        ("Name", lambda c: c.display_name),
        ("Phones", phones),
        ("E-mails", emails),
        ("Address", address),
        ("Customer since", lambda c: c.created_at.date().isoformat()),
    ]:
        one, two = read(kept) or "(blank)", read(other) or "(blank)"
        rows.append({"label": label, "kept": one, "other": two, "differs": one != two})
    return rows


@security_function("combine_customers")
def combine_automatic(request: HttpRequest) -> HttpResponse:
    """Automatic Combine Customers: sure groups (ticked) and maybe pairs (unticked, side by
    side, with the evidence for and against) to review, untick, tick and apply."""
    if request.method == "POST":
        return _combine_automatic_apply(request)
    sure = maybe = None
    totals = (0, 0)
    if "run" in request.GET:
        review = find_duplicates()
        totals = (len(review.sure), len(review.maybe))
        shown_sure, shown_maybe = review.sure[:AUTOMATIC_SHOWN], review.maybe[:AUTOMATIC_SHOWN]
        wanted = {pk for group in shown_sure for pk in group.ids}
        wanted.update(pk for pair in shown_maybe for pk in pair.ids)
        cards = {
            c.pk: c
            for c in selectors.customer_cards(list(wanted)).prefetch_related(
                "emails", "household_members"
            )
        }
        sure = []
        for group in shown_sure:
            customers = [cards[pk] for pk in group.ids if pk in cards]
            stamp = services.customers_stamp(customers)
            sure.append(
                {"value": f"{','.join(map(str, group.ids))}:{stamp}", "group": group,
                 "customers": customers}
            )  # fmt: skip
        maybe = []
        for pair in shown_maybe:
            if not all(pk in cards for pk in pair.ids):
                continue
            kept, other = (cards[pk] for pk in pair.ids)
            stamp = services.customers_stamp([kept, other])
            maybe.append(
                {"value": f"{kept.pk},{other.pk}:{stamp}", "pair": pair, "kept": kept,
                 "other": other, "rows": _record_rows(kept, other),
                 "family": services.family_pair_order(kept, other)}
            )  # fmt: skip
    return render(
        request,
        "customers/utilities/combine_automatic.html",
        {
            "sure": sure,
            "maybe": maybe,
            "sure_total": totals[0],
            "maybe_total": totals[1],
            "shown": AUTOMATIC_SHOWN,
        },
    )
