"""Every write of the reports app: source categories and mappings, marketing spend, the
mapping warnings' dismissals, report settings, a customer's source from the board, and the
invoice summaries the reports add up."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from customers.models import Customer, CustomerSource
from customers.services import customer_update
from reports import summaries
from reports.models import (
    InvoiceSummary,
    MarketingSpend,
    ReportSettings,
    SourceCategory,
    SourceMapping,
    SourceWarningDismissal,
    TechnicianSummary,
)
from reports.selectors.settings import report_settings_get
from shop.errors import ServiceError
from shop.models import User

# --- Report settings -----------------------------------------------------------------


def mileage_bands_clean(raw: str) -> str:
    """ "30000, 60,000" -> "30000,60000": increasing whole miles, at least one."""
    starts: list[int] = []
    for part in (raw or "").replace(";", ",").split(","):
        text = part.strip().replace(" ", "")
        if not text:
            continue
        # 60,000 typed with a thousands separator arrives split: "60" and "000".
        if len(text) == 3 and text.isdigit() and starts and starts[-1] < 1000:
            starts[-1] = starts[-1] * 1000 + int(text)
            continue
        if not text.isdigit():
            raise ServiceError(f"“{part.strip()}” is not a number of miles.", field="mileage_bands")
        starts.append(int(text))
    if not starts:
        raise ServiceError("Give at least one mileage, e.g. 30000, 60000.", field="mileage_bands")
    if any(later <= earlier for earlier, later in itertools.pairwise(starts)):
        raise ServiceError("List the mileages from low to high, each once.", field="mileage_bands")
    if starts[0] <= 0 or starts[-1] > 2_000_000:
        raise ServiceError("Mileages go from 1 to 2,000,000.", field="mileage_bands")
    if len(starts) > 20:
        raise ServiceError("Twenty bands at most.", field="mileage_bands")
    return ",".join(str(start) for start in starts)


@transaction.atomic
def report_settings_update(*, by: User, mileage_bands: str) -> ReportSettings:
    row = report_settings_get()
    row.mileage_bands = mileage_bands_clean(mileage_bands)
    row.save(update_fields=["mileage_bands", "updated_at"])
    return row


# --- Source categories and the mapping -----------------------------------------------

DEFAULT_CATEGORIES = [
    "Internet",
    "Referral",
    "Drive-by",
    "Signage",
    "Mailers",
    "Fleet",
    "Other New Customers",
]
RECEIVES_UNMAPPED = "Other New Customers"


@transaction.atomic
def source_categories_ensure() -> list[SourceCategory]:
    """The main categories every shop starts with, when the shop has none (the migration
    writes them; this brings them back on a database emptied since)."""
    if not SourceCategory.objects.exists():
        SourceCategory.objects.bulk_create(
            [
                SourceCategory(
                    name=name, position=position, receives_unmapped=name == RECEIVES_UNMAPPED
                )
                for position, name in enumerate(DEFAULT_CATEGORIES, 1)
            ]
        )
    return list(SourceCategory.objects.order_by("position", "name"))


def _category_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("A category needs a name.", field="name")
    if len(name) > 80:
        raise ServiceError("80 characters at most.", field="name")
    return name


@transaction.atomic
def source_category_create(*, by: User, name: str) -> SourceCategory:
    name = _category_name(name)
    if SourceCategory.objects.filter(name__iexact=name).exists():
        raise ServiceError(f"There is already a category called {name}.", field="name")
    top = SourceCategory.objects.aggregate(top=Max("position"))["top"] or 0
    return SourceCategory.objects.create(name=name, position=top + 1)


@transaction.atomic
def source_category_rename(*, by: User, category: SourceCategory, name: str) -> SourceCategory:
    name = _category_name(name)
    if SourceCategory.objects.filter(name__iexact=name).exclude(pk=category.pk).exists():
        raise ServiceError(f"There is already a category called {name}.", field="name")
    category.name = name
    category.save(update_fields=["name"])
    return category


@transaction.atomic
def source_category_delete(*, by: User, category: SourceCategory) -> None:
    if category.receives_unmapped:
        raise ServiceError(
            f"{category} receives the unmapped sources when mapping is done; it stays."
        )
    used = category.mappings.count()
    if used:
        raise ServiceError(
            f"{used} source{'s are' if used > 1 else ' is'} mapped to {category}. "
            "Map them to another category first."
        )
    category.delete()


@transaction.atomic
def source_mappings_set(*, by: User, mapping: dict[int, int | None]) -> tuple[int, int]:
    """Map sources (by id) to categories (by id; None removes the mapping).

    Returns (mapped, unmapped) counts of what changed.
    """
    sources = set(CustomerSource.objects.filter(pk__in=mapping).values_list("pk", flat=True))
    categories = set(SourceCategory.objects.values_list("pk", flat=True))
    unknown_sources = set(mapping) - sources
    if unknown_sources:
        raise ServiceError("One of the sources no longer exists. Reload the page.")
    unknown = {c for c in mapping.values() if c is not None} - categories
    if unknown:
        raise ServiceError("Choose a category from the list.")
    now = timezone.now()
    current = dict(
        SourceMapping.objects.filter(source_id__in=mapping).values_list("pk", "category_id")
    )
    mapped = unmapped = 0
    for source_id, category_id in mapping.items():
        if current.get(source_id) == category_id:
            continue
        if category_id is None:
            SourceMapping.objects.filter(pk=source_id).delete()
            unmapped += 1
        else:
            SourceMapping.objects.update_or_create(
                source_id=source_id,
                defaults={"category_id": category_id, "mapped_by": by, "mapped_at": now},
            )
            mapped += 1
    return mapped, unmapped


@transaction.atomic
def source_mapping_done(*, by: User) -> int:
    """ "Customer Source Mapping Done": every unmapped source goes to Other New Customers."""
    category = SourceCategory.objects.filter(receives_unmapped=True).first()
    if category is None:
        raise ServiceError(
            "No category receives the unmapped sources. Mark one (Other New Customers) first."
        )
    now = timezone.now()
    unmapped = list(
        CustomerSource.objects.filter(report_mapping__isnull=True).values_list("pk", flat=True)
    )
    SourceMapping.objects.bulk_create(
        [
            SourceMapping(source_id=pk, category=category, mapped_by=by, mapped_at=now)
            for pk in unmapped
        ]
    )
    return len(unmapped)


@transaction.atomic
def source_warning_dismiss(*, user: User, warning: str) -> SourceWarningDismissal:
    if warning not in SourceWarningDismissal.Warning.values:
        raise ServiceError("There is no such warning.")
    dismissal, _ = SourceWarningDismissal.objects.get_or_create(
        user=user, warning=warning, defaults={"dismissed_at": timezone.now()}
    )
    return dismissal


@transaction.atomic
def customer_source_set(*, by: User, customer: Customer, source_id: Any) -> Customer:
    """Set a customer's source from the board (a click on a flashing name)."""
    try:
        source = CustomerSource.objects.get(pk=int(source_id), is_active=True)
    except (TypeError, ValueError, CustomerSource.DoesNotExist):
        raise ServiceError("Choose a customer source from the list.", field="source") from None
    return customer_update(by=by, customer=customer, source=source)


# --- Marketing spend -------------------------------------------------------------------


def _amount(raw: Any, source: CustomerSource) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace("$", "").replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ServiceError(
            f"{source}: “{raw}” is not an amount.", field=f"source_{source.pk}"
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ServiceError(f"{source}: the amount cannot be negative.", field=f"source_{source.pk}")
    if amount >= Decimal("1000000000"):
        raise ServiceError(f"{source}: the amount is too large.", field=f"source_{source.pk}")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def marketing_spend_set(*, by: User, month: date, amounts: dict[int, Any]) -> int:
    """The month's spend per source (by id); an empty amount removes the month's entry.

    Nothing is saved when any amount is wrong. Returns how many entries were saved.
    """
    month = month.replace(day=1)
    sources = CustomerSource.objects.in_bulk(list(amounts))
    if len(sources) != len(amounts):
        raise ServiceError("One of the sources no longer exists. Reload the page.")
    cleaned = {pk: _amount(raw, sources[pk]) for pk, raw in amounts.items()}
    saved = 0
    for source_id, amount in cleaned.items():
        if amount is None:
            MarketingSpend.objects.filter(source_id=source_id, month=month).delete()
            continue
        MarketingSpend.objects.update_or_create(
            source_id=source_id, month=month, defaults={"amount": amount}
        )
        saved += 1
    return saved


# --- Invoice summaries -----------------------------------------------------------------


@transaction.atomic
def invoice_summary_refresh(*, work_order_id: int) -> None:
    """Rewrite one work order's invoice figures (none unless it is billed out)."""
    InvoiceSummary.objects.filter(work_order_id=work_order_id).delete()
    TechnicianSummary.objects.filter(work_order_id=work_order_id).delete()
    summaries.summaries_write(work_order_ids=[work_order_id])


@transaction.atomic
def invoice_summary_remove(*, work_order_id: int) -> None:
    InvoiceSummary.objects.filter(work_order_id=work_order_id).delete()
    TechnicianSummary.objects.filter(work_order_id=work_order_id).delete()


@transaction.atomic
def invoice_summaries_rebuild(*, only_missing: bool = False) -> int:
    """Write the figures of every billed-out invoice (or only those that have none yet).

    For invoices written without the work orders' services (imports, seeded history).
    """
    if not only_missing:
        InvoiceSummary.objects.all().delete()
        TechnicianSummary.objects.all().delete()
    return summaries.summaries_write(only_missing=only_missing)
