"""One FilterSet per list, shared by the HTML customer list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from customers.models import Customer, CustomerSource, Vehicle
from customers.selectors import customer_search_ids, in_search_order
from customers.services import plate_clean
from customers.vin import vin_clean
from shop.filters import IdFilter, WholeNumberFilter

SEARCH_LIST_LIMIT = 100


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Name, phone, plate or VIN", max_length=100
    )
    kind = django_filters.ChoiceFilter(choices=Customer.Kind.choices)
    is_ar = django_filters.BooleanFilter(label="A/R account")
    source = django_filters.ModelChoiceFilter(
        queryset=CustomerSource.objects.all(), label="Source (where they heard of us)"
    )
    city = django_filters.CharFilter(lookup_expr="iexact", label="City")
    postcode = django_filters.CharFilter(lookup_expr="istartswith", label="Postcode starts with")
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Added on or after"
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lt", label="Added before"
    )

    class Meta:
        model = Customer
        fields = ["q", "kind", "is_ar", "source", "city", "postcode"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        ids = customer_search_ids(value, limit=SEARCH_LIST_LIMIT)
        return in_search_order(queryset, ids) if ids else queryset.none()


class VehicleFilter(django_filters.FilterSet):
    customer = IdFilter(field_name="customer_id", label="Customer ID")
    vin = django_filters.CharFilter(method="by_vin", label="VIN")
    plate = django_filters.CharFilter(method="by_plate", label="Plate")
    make = django_filters.CharFilter(lookup_expr="iexact", label="Make")
    year = WholeNumberFilter(label="Model year", max_value=9999)
    is_active = django_filters.BooleanFilter(label="Active (false: disabled vehicles)")

    class Meta:
        model = Vehicle
        fields = ["customer", "vin", "plate", "make", "year", "is_active"]

    def by_vin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(vin=vin_clean(value))

    def by_plate(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(plate=plate_clean(value))
