from __future__ import annotations

from django import forms

from imports.fields import FileKind

HELP = {
    FileKind.CUSTOMERS: "Customer number, names, address, phones, e-mail.",
    FileKind.VEHICLES: "Vehicle id, the owner's customer number, year, make, model, VIN, plate.",
    FileKind.INVOICES: "Invoice number, customer number, vehicle id, date, odometer, totals.",
    FileKind.INVOICE_LINES: "Invoice number, type, part number, description, quantity, price.",
    FileKind.AR_ITEMS: "Customer number, invoice number, date, open balance.",
    FileKind.PARTS: "Part number, description, vendor, cost, price, quantity on hand.",
}
ACCEPT = (
    ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class UploadForm(forms.Form):
    name = forms.CharField(
        label="What these files are",
        max_length=120,
        initial="Import from the old system",
        help_text="A name to find the import by later, e.g. “StockTrac export, March 2026”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in FileKind:
            self.fields[kind.value] = forms.FileField(
                label=f"{kind.label} (CSV or XLSX)",
                required=False,
                help_text=HELP[kind],
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )

    def files_by_kind(self) -> dict:
        return {kind.value: self.cleaned_data.get(kind.value) for kind in FileKind}
