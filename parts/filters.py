"""FilterSets of the parts API's lists (parts, stock movements, vendors, purchase orders)."""

from __future__ import annotations

import django_filters
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from parts.models import ZERO, Part, PurchaseOrder, StockMovement, Vendor
from parts.purchasing_models import OPEN_STATUSES
from parts.selectors import part_search
from shop.filters import IdFilter
from workorders.models import LineKind

SEARCH_LIMIT = 50


class PartFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Part # (exact or its start, with or without dashes and spaces), a vendor's "
        "part #, or words of the description: the best matches (at most 50), best first",
        max_length=100,
    )
    kind = django_filters.ChoiceFilter(choices=LineKind.choices, label="Part, labor, fee or sublet")
    category = django_filters.CharFilter(lookup_expr="iexact", label="Category", max_length=60)
    stocked = django_filters.BooleanFilter(label="Stocked (false: non-stock parts)")
    is_active = django_filters.BooleanFilter(label="Active (false: parts no longer sold)")
    vendor = IdFilter(field_name="vendor_parts__vendor_id", label="Sold by this vendor (its ID)")
    low_stock = django_filters.BooleanFilter(
        method="below_reorder_point",
        label="True: stocked parts whose on hand is below their reorder point",
    )

    class Meta:
        model = Part
        fields = ["q", "kind", "category", "stocked", "is_active", "vendor", "low_stock"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        ids = [part.pk for part in part_search(value, limit=SEARCH_LIMIT, active_only=False)]
        # The view keeps the search's order (best first) for the one page it answers.
        self.request.parts_search_order = ids
        return queryset.filter(pk__in=ids)

    def below_reorder_point(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        moved = (
            StockMovement.objects.filter(part=OuterRef("pk"))
            .order_by()
            .values("part")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        return (
            queryset.filter(kind=LineKind.PART, stocked=True, reorder_point__gt=0)
            .annotate(
                on_hand_total=Coalesce(Subquery(moved), Value(ZERO), output_field=DecimalField())
            )
            .filter(on_hand_total__lt=F("reorder_point"))
        )


class StockMovementFilter(django_filters.FilterSet):
    part = IdFilter(field_name="part_id", label="Part ID")
    kind = django_filters.ChoiceFilter(
        choices=StockMovement.Kind.choices,
        label="Received, sold, returned, adjusted or counted",
    )
    work_order = IdFilter(field_name="work_order_id", label="Work order ID (its sales and returns)")
    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", label="At or after (ISO 8601 date and time)"
    )
    before = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="lt", label="Before (ISO 8601 date and time)"
    )

    class Meta:
        model = StockMovement
        fields = ["part", "kind", "work_order", "since", "before"]


class VendorFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains", max_length=120)
    is_active = django_filters.BooleanFilter(label="Active (false: vendors no longer used)")

    class Meta:
        model = Vendor
        fields = ["name", "is_active"]


class PurchaseOrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open (draft, sent or partly received)"), *PurchaseOrder.Status.choices],
        method="status_filter",
        label="Status: open (draft, sent or partly received), draft, sent, partial, received "
        "or cancelled",
    )
    vendor = IdFilter(field_name="vendor_id", label="Vendor ID")
    work_order = IdFilter(
        field_name="work_order_id", label="Work order ID (special orders for that repair order)"
    )

    class Meta:
        model = PurchaseOrder
        fields = ["status", "vendor", "work_order"]

    def status_filter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value) if value else queryset
