"""Delete Duplicate Phones, Separate Family Members, Change Area Code, and Delete
Customers with No Invoices: each a preview (a plan) and an apply that logs for undo."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from customers import events
from customers.changes import ChangeSet
from customers.models import Customer, CustomerEmail, CustomerPhone, UtilityLogEntry, Vehicle
from customers.phones import phone_normalize, phone_with_new_area_code
from customers.services.log import utility_log_entry_record
from shop.errors import ServiceError
from shop.models import User

DELETE_LIMIT = 1000


def _fingerprint(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[
        :32
    ]


def _check_fingerprint(expected: str, actual: str, what: str) -> None:
    if expected != actual:
        raise ServiceError(
            f"The {what} changed since the preview. Nothing was changed; check the new "
            "preview and run it again.",
            code="stale",
        )


# --- Delete Duplicate Phones --------------------------------------------------------


def duplicate_phones_find() -> list[CustomerPhone]:
    """Phones repeating the same number and type on one customer (the first one stays)."""
    groups = (
        CustomerPhone.objects.values("customer_id", "e164", "kind")
        .annotate(n=Count("id"), keep=Min("id"))
        .filter(n__gt=1)
        .order_by()
    )
    conditions = models.Q()
    keep = []
    for group in groups:
        conditions |= models.Q(
            customer_id=group["customer_id"], e164=group["e164"], kind=group["kind"]
        )
        keep.append(group["keep"])
    if not keep:
        return []
    return list(
        CustomerPhone.objects.filter(conditions)
        .exclude(pk__in=keep)
        .select_related("customer")
        .order_by("customer_id", "id")
    )


def duplicate_phones_fingerprint(phones: list[CustomerPhone]) -> str:
    return _fingerprint([p.pk for p in phones])


@transaction.atomic
def phones_delete_duplicates(*, by: User, fingerprint: str) -> UtilityLogEntry:
    phones = duplicate_phones_find()
    if not phones:
        raise ServiceError("No customer has the same number twice with the same type.")
    _check_fingerprint(fingerprint, duplicate_phones_fingerprint(phones), "phones")
    changes = ChangeSet()
    changes.delete(CustomerPhone, [p.pk for p in phones])
    customers = len({p.customer_id for p in phones})
    return utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.DELETE_DUPLICATE_PHONES,
        summary=f"{len(phones)} duplicate phone{'s' if len(phones) != 1 else ''} deleted "
        f"from {customers} customer{'s' if customers != 1 else ''}",
        changes=changes,
    )


# --- Separate Family Members ---------------------------------------------------------


def family_members_find(*, query: str = "", limit: int = 200) -> list[Customer]:
    members = Customer.objects.filter(household_main__isnull=False).select_related("household_main")
    if query.strip():
        from customers.selectors import customer_search_ids

        ids = customer_search_ids(query, limit=100)
        members = members.filter(models.Q(pk__in=ids) | models.Q(household_main_id__in=ids))
    return list(members.order_by("household_main__last_name", "household_main_id", "id")[:limit])


def family_members_plan(member_ids: list[int]) -> list[Customer]:
    members = list(
        Customer.objects.filter(pk__in=member_ids, household_main__isnull=False)
        .select_related("household_main")
        .order_by("id")
    )
    if not members:
        raise ServiceError("Tick the family members to separate.")
    return members


@transaction.atomic
def family_members_separate(*, by: User, member_ids: list[int]) -> UtilityLogEntry:
    """The members leave their households. A/R and history stay where they are: with the
    main customer (whose account they were charged to), not copied to the member."""
    members = family_members_plan(member_ids)
    if len(members) != len(set(member_ids)):
        raise ServiceError(
            "Some of the ticked customers are no longer family members (someone may have "
            "separated them already). Nothing was changed; check the new preview.",
            code="stale",
        )
    Customer.objects.select_for_update().filter(pk__in=[m.pk for m in members]).exists()
    changes = ChangeSet()
    now = timezone.now()
    changes.update(
        Customer, {m.pk: {"household_main_id": None, "updated_at": now} for m in members}
    )
    names = ", ".join(str(m) for m in members[:3]) + ("…" if len(members) > 3 else "")
    return utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.SEPARATE_FAMILY_MEMBERS,
        summary=f"{len(members)} family member{'s' if len(members) != 1 else ''} "
        f"separated: {names}",
        changes=changes,
    )


# --- Change Area Code ------------------------------------------------------------------


def _area_code(value: str, field: str) -> str:
    code = (value or "").strip()
    if not re.fullmatch(r"[2-9]\d\d", code):
        raise ServiceError(
            "An area code is three digits and does not start with 0 or 1.", field=field
        )
    return code


def area_code_cities_list(*, old_code: str) -> list[dict]:
    """The cities whose customers have phones with this area code, with how many phones."""
    code = _area_code(old_code, "old_code")
    return list(
        CustomerPhone.objects.filter(e164__startswith=f"+1{code}")
        .values("customer__city", "customer__state")
        .annotate(phones=Count("id"))
        .order_by("customer__city", "customer__state")
    )


@dataclass
class AreaCodeChange:
    phone: CustomerPhone
    new_number: str
    new_e164: str


def area_code_plan(*, old_code: str, new_code: str, cities: list[str]) -> list[AreaCodeChange]:
    old = _area_code(old_code, "old_code")
    new = _area_code(new_code, "new_code")
    if old == new:
        raise ServiceError("The new area code is the same as the old one.", field="new_code")
    if not cities:
        raise ServiceError("Tick at least one city.", field="cities")
    city_filter = models.Q()
    for city in cities:
        city_filter |= models.Q(customer__city__iexact=city)
    phones = list(
        CustomerPhone.objects.filter(city_filter, e164__startswith=f"+1{old}")
        .select_related("customer")
        .order_by("customer__city", "customer_id", "id")
    )
    if not phones:
        raise ServiceError(f"No phone in those cities has area code {old}.")
    plan = []
    for phone in phones:
        number, e164 = phone_with_new_area_code(phone.number, phone.e164, new)
        plan.append(AreaCodeChange(phone, number, e164))
    # The new code must be a real one: the first number must be valid with it.
    phone_normalize(plan[0].new_e164, field="new_code")
    return plan


def area_code_fingerprint(plan: list[AreaCodeChange]) -> str:
    return _fingerprint([[c.phone.pk, c.phone.e164, c.new_e164] for c in plan])


@transaction.atomic
def area_code_change(
    *, by: User, old_code: str, new_code: str, cities: list[str], fingerprint: str
) -> UtilityLogEntry:
    plan = area_code_plan(old_code=old_code, new_code=new_code, cities=cities)
    list(CustomerPhone.objects.select_for_update().filter(pk__in=[c.phone.pk for c in plan]))
    _check_fingerprint(fingerprint, area_code_fingerprint(plan), "phones")
    changes = ChangeSet()
    changes.update(
        CustomerPhone, {c.phone.pk: {"number": c.new_number, "e164": c.new_e164} for c in plan}
    )
    return utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.CHANGE_AREA_CODE,
        summary=f"Area code {old_code} changed to {new_code} on {len(plan)} phones in "
        f"{', '.join(sorted(set(cities)))}",
        changes=changes,
    )


# --- Delete Customers with No Invoices ----------------------------------------------------


def _history_relations(model: type) -> list:
    """Every reverse relation to a customer or vehicle from another app's models: any row
    there (work orders, fleet, messages, mailings, report figures...) keeps a customer."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.related_model._meta.app_label != model._meta.app_label
        and not relation.many_to_many
    ]


def _without_history(queryset: models.QuerySet) -> models.QuerySet:
    """Customers with no row in any other app (work orders, fleet, messages...), nor any of
    their vehicles; found generically, so what later apps add counts as history too."""
    for relation in _history_relations(Customer):
        related = relation.related_model._base_manager.filter(
            **{relation.field.attname: OuterRef("pk")}
        )
        queryset = queryset.filter(~Exists(related))
    for relation in _history_relations(Vehicle):
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__customer_id": OuterRef("pk")}
        )
        queryset = queryset.filter(~Exists(related))
    return queryset


def customers_without_history_find(*, created_before: date | None = None) -> list[Customer]:
    """Up to DELETE_LIMIT customers with no history, oldest first. Heads of a household
    are kept (their family members would lose their link)."""
    queryset = Customer.objects.filter(
        ~Exists(Customer.objects.filter(household_main_id=OuterRef("pk")))
    )
    if created_before is not None:
        queryset = queryset.filter(created_at__date__lt=created_before)
    return list(_without_history(queryset).order_by("created_at", "id")[:DELETE_LIMIT])


def customers_without_history_fingerprint(customers: list[Customer]) -> str:
    return _fingerprint([c.pk for c in customers])


@transaction.atomic
def customers_delete_without_history(
    *, by: User, created_before: date | None, fingerprint: str
) -> UtilityLogEntry:
    customers = customers_without_history_find(created_before=created_before)
    if not customers:
        raise ServiceError("No customer is without history. Nothing was changed.")
    ids = [c.pk for c in customers]
    list(Customer.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
    _check_fingerprint(fingerprint, customers_without_history_fingerprint(customers), "customers")
    changes = ChangeSet()
    changes.delete(
        CustomerEmail,
        CustomerEmail.objects.filter(customer_id__in=ids).values_list("pk", flat=True),
    )
    changes.delete(
        CustomerPhone,
        CustomerPhone.objects.filter(customer_id__in=ids).values_list("pk", flat=True),
    )
    vehicle_ids = sorted(Vehicle.objects.filter(customer_id__in=ids).values_list("pk", flat=True))
    changes.delete(Vehicle, vehicle_ids)
    changes.delete(Customer, ids)
    since = f" created before {created_before:%b %d, %Y}" if created_before else ""
    entry = utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.DELETE_CUSTOMERS_NO_INVOICES,
        summary=f"{len(ids)} customer{'s' if len(ids) != 1 else ''} with no invoices"
        f"{since} deleted",
        changes=changes,
    )
    events.customers_deleted.send(
        sender=Customer,
        customer_ids=sorted(ids),
        removed_vehicle_ids=vehicle_ids,
        entry=entry,
        by=by,
    )
    return entry
