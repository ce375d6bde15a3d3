from __future__ import annotations

from django import forms

from reports.models import SourceCategory


class SourceCategoryForm(forms.Form):
    name = forms.CharField(label="New category", max_length=80)


class ReportSettingsForm(forms.Form):
    mileage_bands = forms.CharField(
        label="Mileage bands",
        max_length=200,
        help_text="Where each band starts, in miles, low to high: 30000, 60000, 90000.",
    )


class VehicleAnalysisOptionsForm(forms.Form):
    by_year = forms.BooleanField(label="Break out by vehicle year", required=False)


class MonthForm(forms.Form):
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


def category_choices() -> list[tuple[str, str]]:
    return [("", "Not mapped")] + [
        (str(pk), name) for pk, name in SourceCategory.objects.values_list("pk", "name")
    ]
