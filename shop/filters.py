"""Filters for the shop's lists, and the number filters every app's lists use."""

from __future__ import annotations

import django_filters
from django import forms

from shop.models import User

# The largest value a database integer column (bigint) holds.
MAX_ID = 2**63 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number a database column can hold: anything else is a 400 with a message,
    never an error from the database (SQLite cannot even bind a larger integer)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 0, max_value: int = MAX_ID, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class IdFilter(WholeNumberFilter):
    """A row's id (1 and up)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, **kwargs)


class EmployeeFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=User.Role.choices, label="Role")
    security_level = WholeNumberFilter(label="Security level (1 highest, 5 lowest)", max_value=5)
    is_active = django_filters.BooleanFilter(label="Active (false: former employees)")

    class Meta:
        model = User
        fields = ["role", "security_level", "is_active"]
