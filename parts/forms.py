from __future__ import annotations

from django import forms

from parts.models import PricingBand, Vendor
from workorders.forms import LineForm
from workorders.models import LineKind

# Amounts are text fields: the services read "$1,234.50" and explain a bad value in words.


def _amount(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(max_length=20, required=required, label=label, help_text=help_text)


class PartsSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        help_text="Part # (with or without dashes), a vendor's #, or words of the description.",
    )
    category = forms.ChoiceField(required=False, label="Category")
    kind = forms.ChoiceField(
        required=False, label="Type", choices=[("", "All types"), *LineKind.choices]
    )
    inactive = forms.BooleanField(required=False, label="Include inactive")
    low = forms.BooleanField(required=False, label="Below reorder point")

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [(c, c) for c in categories]


class PartForm(forms.Form):
    number = forms.CharField(max_length=40, label="Part #")
    description = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=LineKind.choices, label="Type")
    category = forms.CharField(
        max_length=60,
        required=False,
        help_text="As the jobs' categories: Brakes, Maintenance…",
        widget=forms.TextInput(attrs={"list": "part-categories"}),
    )
    brand = forms.CharField(max_length=60, required=False)
    cost = _amount("Cost", help_text="What the shop pays; the matrix prices from it.")
    fixed_price = _amount("Fixed price", help_text="Empty: from the cost through the matrix.")
    list_price = _amount("List price")
    core_charge = _amount("Core charge")
    taxable = forms.BooleanField(required=False, label="Taxable")
    stocked = forms.BooleanField(required=False, label="Stocked (kept on the shelf)")
    bin_location = forms.CharField(max_length=30, required=False, label="Bin")
    reorder_point = _amount("Reorder point", help_text="Reorder when on hand falls below this.")
    reorder_quantity = _amount("Reorder quantity")
    is_active = forms.BooleanField(required=False, label="Active", initial=True)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = [
            "name",
            "account_number",
            "contact_name",
            "phone",
            "email",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class VendorPartForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.filter(is_active=True), label="Vendor")
    vendor_number = forms.CharField(max_length=40, label="Vendor's part #")
    cost = _amount("Vendor's cost", required=True)


class StockReceiveForm(forms.Form):
    quantity = _amount("Quantity received", required=True)
    unit_cost = _amount("Unit cost", help_text="Empty: the part's cost.")
    reason = forms.CharField(max_length=200, required=False, label="Note (packing slip, vendor)")


class StockAdjustForm(forms.Form):
    quantity = _amount("Change", required=True, help_text="2 adds two; -1 takes one off.")
    reason = forms.CharField(max_length=200, label="Why")


class StockCountForm(forms.Form):
    counted = _amount("Counted on the shelf", required=True)


class PricingBandForm(forms.Form):
    cost_from = _amount("Cost from")
    cost_to = _amount("Up to", help_text="Empty on the last band: and up.")
    method = forms.ChoiceField(choices=PricingBand.Method.choices, label="Markup or margin")
    percent = _amount("Percent")


PricingBandFormSet = forms.formset_factory(PricingBandForm, extra=2, max_num=30)


class PartLineForm(LineForm):
    """The editor's add-line form with the catalog part picked in the typeahead."""

    catalog_part = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
