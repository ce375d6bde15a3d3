"""Filters the API lists share."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField

from shop.filters import EmployeeFilter
from shop.models import User


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time turned into UTC: any offset Python reads (up to ±23:59) is then one
    PostgreSQL takes (it refuses offsets past ±15:59), and a time that leaves the calendar
    when moved to UTC is a 400 rather than an error in the database."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError("This time is out of range.", code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def updated_since_filter() -> UtcIsoDateTimeFilter:
    return UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this time (ISO 8601), e.g. the last updated_at you read",
    )


class EmployeeApiFilter(EmployeeFilter):
    updated_since = updated_since_filter()

    class Meta(EmployeeFilter.Meta):
        model = User
        fields = [*EmployeeFilter.Meta.fields, "updated_since"]
