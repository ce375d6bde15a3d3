"""The report period: a day, a week, a month, a year or a custom range, read from the URL
so that every report can be bookmarked."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone

from shop.dates import days_bounds


class PeriodKind:
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    CUSTOM = "custom"
    CHOICES = [
        (DAY, "Day"),
        (WEEK, "Week"),
        (MONTH, "Month"),
        (YEAR, "Year"),
        (CUSTOM, "Custom range"),
    ]


MAX_YEARS = 25


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # last day, included

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the shop's time zone."""
        return days_bounds(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.DAY:
            return f"{self.start:%A, %B} {self.start.day}, {self.start.year}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%B %Y}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        first = f"{self.start:%b} {self.start.day}, {self.start.year}"
        return f"{first} – {self.end:%b} {self.end.day}, {self.end.year}"

    @property
    def file_label(self) -> str:
        return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"


def period_for(
    kind: str, anchor: date, start: date | None = None, end: date | None = None
) -> Period:
    if kind == PeriodKind.DAY:
        return Period(kind, anchor, anchor)
    if kind == PeriodKind.WEEK:
        monday = anchor - timedelta(days=anchor.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    if kind == PeriodKind.MONTH:
        last = calendar.monthrange(anchor.year, anchor.month)[1]
        return Period(kind, anchor.replace(day=1), anchor.replace(day=last))
    if kind == PeriodKind.YEAR:
        return Period(kind, date(anchor.year, 1, 1), date(anchor.year, 12, 31))
    assert start is not None and end is not None
    return Period(PeriodKind.CUSTOM, start, end)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period", choices=PeriodKind.CHOICES, required=False)
    date = forms.DateField(
        label="Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Any day of the day, week, month or year.",
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        kind = data.get("period") or PeriodKind.MONTH
        data["period"] = kind
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("A custom range needs a first and a last day.")
            if end < start:
                raise forms.ValidationError("The last day comes before the first day.")
            if (end - start).days > 366 * MAX_YEARS:
                raise forms.ValidationError(f"A range covers {MAX_YEARS} years at most.")
        return data

    def to_period(self) -> Period:
        data = self.cleaned_data
        anchor = data.get("date") or timezone.localdate()
        return period_for(data["period"], anchor, data.get("start"), data.get("end"))
