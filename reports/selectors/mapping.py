"""The source mapping: what the warning says, which customers flash, and the mapping page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from customers.models import Customer, CustomerSource
from reports.models import MarketingSpend, SourceWarningDismissal
from shop.models import User
from shop.security import can

Warning = SourceWarningDismissal.Warning


@dataclass(frozen=True)
class SourceWarning:
    warning: str  # SourceWarningDismissal.Warning
    total: int
    mapped: int

    @property
    def unmapped(self) -> int:
        return self.total - self.mapped


def source_mapping_warning_for(user: User, request=None) -> SourceWarning | None:
    """The mapping warning this employee sees (none mapped, or only some), or None.

    Only those who may map the sources are warned; "don't show again" is per warning, so
    dismissing the first does not silence the second. One query, two when a warning applies.
    """
    if not can(user, "map_customer_sources", request):
        return None
    counts = source_mapping_counts()
    if not counts["total"] or counts["mapped"] >= counts["total"]:
        return None
    warning = Warning.NONE_MAPPED if counts["mapped"] == 0 else Warning.SOME_MAPPED
    if SourceWarningDismissal.objects.filter(user=user, warning=warning).exists():
        return None
    return SourceWarning(warning, counts["total"], counts["mapped"])


def source_mapping_counts() -> dict[str, int]:
    return CustomerSource.objects.filter(is_active=True).aggregate(
        total=Count("pk"), mapped=Count("pk", filter=Q(report_mapping__isnull=False))
    )


def customers_with_unknown_source(customer_ids: Iterable[int]) -> set[int]:
    """Of these customers, those whose source is unknown to the reports (their names flash):
    no source, or a source not mapped to a category. One query."""
    ids = list(customer_ids)
    if not ids:
        return set()
    return set(
        Customer.objects.filter(pk__in=ids)
        .filter(Q(source__isnull=True) | Q(source__report_mapping__isnull=True))
        .values_list("pk", flat=True)
    )


def source_mapping_rows() -> QuerySet[CustomerSource]:
    """Every source with its category (if mapped) and how many customers came through it."""
    return (
        CustomerSource.objects.select_related("report_mapping__category")
        .annotate(customer_count=Count("customers"))
        .order_by("-is_active", "name")
    )


def marketing_spend_for_month(month: date) -> dict[int, Decimal]:
    return dict(
        MarketingSpend.objects.filter(month=month.replace(day=1)).values_list("source_id", "amount")
    )
