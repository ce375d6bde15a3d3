from __future__ import annotations

from django import forms

from customers.models import CustomerSource
from followups.criteria import CRITERIA, DEFAULT_FIELDS, FIELDS, criteria_clean, fields_clean
from followups.models import (
    TEMPLATE_KINDS,
    Collect,
    FollowUpList,
    FollowUpSettings,
    LetterTemplate,
    OutputKind,
)
from shop.errors import ServiceError

YES_NO_CHOICES = [("", "Either"), ("yes", "Yes"), ("no", "No")]
DATE = forms.DateInput(attrs={"type": "date"})


class DataSearchForm(forms.Form):
    """The query builder: criteria as fields, checked by followups.criteria."""

    name = forms.CharField(label="Query name", max_length=120, required=False)
    collect = forms.ChoiceField(
        label="Collect", choices=Collect.choices, initial=Collect.CUSTOMER, required=False
    )
    last_visit_months_min = forms.IntegerField(
        label="Last visit at least (months ago)", min_value=0, required=False
    )
    last_visit_months_max = forms.IntegerField(
        label="Last visit at most (months ago)", min_value=0, required=False
    )
    last_visit_after = forms.DateField(label="Last visit from", required=False, widget=DATE)
    last_visit_before = forms.DateField(label="Last visit to", required=False, widget=DATE)
    service_category = forms.ChoiceField(label="Service category", required=False)
    service_text = forms.CharField(label="Service name contains", max_length=60, required=False)
    service_done = forms.ChoiceField(
        label="That service was",
        choices=[("done", "Done"), ("not_done", "Not done")],
        initial="done",
        required=False,
    )
    service_months = forms.IntegerField(
        label="Service in the last (months)", min_value=0, required=False
    )
    service_after = forms.DateField(label="Service from", required=False, widget=DATE)
    service_before = forms.DateField(label="Service to", required=False, widget=DATE)
    mileage_min = forms.IntegerField(label="Odometer at least", min_value=0, required=False)
    mileage_max = forms.IntegerField(label="Odometer at most", min_value=0, required=False)
    year_min = forms.IntegerField(label="Vehicle year from", min_value=1900, required=False)
    year_max = forms.IntegerField(label="Vehicle year to", min_value=1900, required=False)
    make = forms.CharField(label="Make", max_length=40, required=False)
    city = forms.CharField(label="City", max_length=80, required=False)
    postcode = forms.CharField(label="Postcode starts with", max_length=20, required=False)
    source = forms.ModelChoiceField(
        label="Source",
        queryset=CustomerSource.objects.order_by("name"),
        required=False,
        empty_label="Any",
    )
    is_ar = forms.ChoiceField(label="A/R account", choices=YES_NO_CHOICES, required=False)
    has_email = forms.BooleanField(label="Has an e-mail address", required=False)
    has_cell = forms.BooleanField(label="Has a cell phone", required=False)
    email_consent = forms.ChoiceField(
        label="May receive e-mail", choices=YES_NO_CHOICES, required=False
    )
    text_consent = forms.ChoiceField(
        label="May receive texts", choices=YES_NO_CHOICES, required=False
    )
    total_min = forms.DecimalField(
        label="Invoice total at least ($)", min_value=0, decimal_places=2, required=False,
        help_text="Per customer: all invoices together; per invoice: that invoice.",
    )  # fmt: skip
    total_max = forms.DecimalField(
        label="Invoice total at most ($)", min_value=0, decimal_places=2, required=False
    )
    last_inspection_months_min = forms.IntegerField(
        label="Last inspection at least (months ago)", min_value=0, required=False
    )
    last_inspection_months_max = forms.IntegerField(
        label="Last inspection at most (months ago)", min_value=0, required=False
    )
    last_inspection_after = forms.DateField(
        label="Last inspection from", required=False, widget=DATE
    )
    last_inspection_before = forms.DateField(
        label="Last inspection to", required=False, widget=DATE
    )
    fields = forms.MultipleChoiceField(
        label="Fields to show",
        choices=[(f.code, f.label) for f in FIELDS],
        initial=DEFAULT_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, categories: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_category"].choices = [("", "Any")] + [(c, c) for c in categories]

    @classmethod
    def initial_from(cls, query) -> dict:
        return {"name": query.name, "collect": query.collect, "fields": query.fields,
                **query.criteria}  # fmt: skip

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["collect"] = data.get("collect") or Collect.CUSTOMER
        raw = {key: data.get(key) for key in CRITERIA}
        raw["source"] = data["source"].pk if data.get("source") else None
        if raw.get("service_done") == "done" and not (
            data.get("service_category") or data.get("service_text")
        ):
            raw["service_done"] = None
        try:
            data["criteria"] = criteria_clean(raw)
            data["fields"] = fields_clean(data.get("fields") or DEFAULT_FIELDS, data["collect"])
        except ServiceError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        return data


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label="Output", choices=OutputKind.choices)
    template = forms.ModelChoiceField(
        label="Letter or e-mail",
        queryset=LetterTemplate.objects.order_by("name"),
        required=False,
        help_text="For postcards, letters and e-mail.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") in TEMPLATE_KINDS and not data.get("template"):
            self.add_error("template", "Choose the saved letter or e-mail to send.")
        return data


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["name", "kind", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "body": "Merge fields in double braces, e.g. Dear {{ first_name }}, your "
            "{{ vehicle }} is due on {{ due_date }}. A blank line starts a new paragraph.",
            "subject": "For e-mails; merge fields work here too.",
        }


class FollowUpListForm(forms.ModelForm):
    class Meta:
        model = FollowUpList
        fields = [
            "name",
            "rule",
            "category",
            "due_months",
            "due_miles",
            "days_after",
            "by_email",
            "template",
            "is_active",
        ]


class FollowUpSettingsForm(forms.ModelForm):
    class Meta:
        model = FollowUpSettings
        fields = ["enabled", "min_days_between_mailings"]
