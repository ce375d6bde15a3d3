"""One FilterSet for the work-order list page and the API list."""

from __future__ import annotations

import django_filters
from django import forms

from shop.dates import day_bounds
from shop.filters import IdFilter, WholeNumberFilter
from workorders import selectors
from workorders.models import Stage, Status, WorkOrder

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkOrderFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="All stages")
    status = django_filters.ModelChoiceFilter(
        queryset=Status.objects.order_by("number"),
        empty_label="All statuses",
        label="Status",
        help_text="A status's id (/api/v1/statuses/); status_number filters by its number",
    )
    status_number = WholeNumberFilter(
        field_name="status__number", label="Status #", max_value=32767
    )
    advisor = django_filters.ModelChoiceFilter(
        queryset=selectors.advisors(),
        empty_label="All advisors",
        label="Advisor",
        help_text="An employee's id (/api/v1/employees/)",
    )
    created_from = django_filters.DateFilter(
        label="Written from", method="filter_created_from", widget=DATE_WIDGET
    )
    created_to = django_filters.DateFilter(
        label="Written to", method="filter_created_to", widget=DATE_WIDGET
    )
    customer = IdFilter(field_name="customer_id", label="Customer ID")
    vehicle = IdFilter(field_name="vehicle_id", label="Vehicle ID")

    class Meta:
        model = WorkOrder
        fields = ["stage", "status", "advisor"]

    def filter_created_from(self, queryset, name, value):
        # A range on the indexed timestamp, not a per-row date cast.
        return queryset.filter(created_at__gte=day_bounds(value)[0])

    def filter_created_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=day_bounds(value)[1])
