"""The filters of the parts reports (read from the URL, so a report can be bookmarked)."""

from __future__ import annotations

from django import forms


class LowStockForm(forms.Form):
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [(c, c) for c in categories]


class DeadStockForm(forms.Form):
    months = forms.IntegerField(
        label="No sale in (months)",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Parts on the shelf that have not sold for this many months.",
        error_messages={
            "min_value": "Give at least 1 month.",
            "max_value": "Give at most 120 months (ten years).",
            "invalid": "Give a whole number of months.",
        },
    )
