"""What each kind of file may hold: the fields a column can be mapped to, which are required,
and the header names old systems give them (to suggest a mapping)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models


class FileKind(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    VEHICLES = "vehicles", "Vehicles"
    INVOICES = "invoices", "Invoice headers"
    INVOICE_LINES = "invoice_lines", "Invoice lines"
    AR_ITEMS = "ar_items", "A/R open items"
    PARTS = "parts", "Parts"


# The order files are applied in: a vehicle needs its customer, a line its invoice.
KIND_ORDER = [
    FileKind.CUSTOMERS,
    FileKind.VEHICLES,
    FileKind.INVOICES,
    FileKind.INVOICE_LINES,
    FileKind.AR_ITEMS,
    FileKind.PARTS,
]


@dataclass(frozen=True)
class TargetField:
    code: str
    label: str
    required: bool = False
    # Header names (lower case, letters and digits only) that mean this field.
    synonyms: tuple[str, ...] = ()


def _f(code: str, label: str, *synonyms: str, required: bool = False) -> TargetField:
    return TargetField(code, label, required, (code.replace("_", ""), *synonyms))


FIELDS: dict[str, list[TargetField]] = {
    FileKind.CUSTOMERS: [
        _f("customer_key", "Customer number (old system's key)", "customerno", "customernumber",
           "custno", "custnum", "customerid", "custid", "accountno", "account", "id", "number",
           required=True),
        _f("first_name", "First name", "firstname", "first", "fname", "givenname"),
        _f("last_name", "Last name", "lastname", "last", "lname", "surname", "familyname"),
        _f("company_name", "Company", "company", "companyname", "business", "businessname"),
        _f("address_line1", "Address", "address", "address1", "street", "streetaddress", "addr1"),
        _f("address_line2", "Address line 2", "address2", "addr2", "suite", "apt"),
        _f("city", "City", "town"),
        _f("state", "State", "st", "province"),
        _f("postcode", "ZIP / postcode", "zip", "zipcode", "postalcode", "postcode"),
        _f("cell_phone", "Cell phone", "cell", "cellphone", "mobile", "mobilephone", "cellno"),
        _f("home_phone", "Home phone", "home", "homephone", "phone", "phone1", "telephone"),
        _f("work_phone", "Work phone", "work", "workphone", "businessphone", "phone2"),
        _f("email", "E-mail", "email", "emailaddress", "mail"),
        _f("is_ar", "A/R account (yes/no)", "ar", "araccount", "charge", "chargeaccount",
           "chargeacct"),
        _f("notes", "Notes", "note", "comments", "remarks"),
    ],
    FileKind.VEHICLES: [
        _f("vehicle_key", "Vehicle id (old system's key)", "vehicleid", "vehid", "vehicleno",
           "vehno", "unitid", "carid", "id", required=True),
        _f("customer_key", "Customer number", "customerno", "customernumber", "custno",
           "custnum", "customerid", "custid", "owner", "accountno", required=True),
        _f("year", "Year", "yr", "modelyear", "vehyear"),
        _f("make", "Make", "mfr", "manufacturer", "vehmake"),
        _f("model", "Model", "vehmodel"),
        _f("engine", "Engine", "eng", "motor", "enginesize"),
        _f("vin", "VIN", "vinnumber", "serial", "serialno"),
        _f("plate", "License plate", "license", "licenseno", "licenseplate", "tag", "plateno"),
        _f("plate_state", "Plate state", "licensestate", "tagstate", "platest", "licst"),
        _f("color", "Color", "colour"),
        _f("odometer", "Odometer", "mileage", "miles", "odo", "lastmileage"),
        _f("notes", "Notes", "note", "comments"),
    ],
    FileKind.INVOICES: [
        _f("invoice_key", "Invoice number", "invoiceno", "invoicenumber", "invno", "invnum",
           "ticket", "rono", "ronumber", "number", required=True),
        _f("customer_key", "Customer number", "customerno", "custno", "customerid", "custid",
           "accountno", required=True),
        _f("vehicle_key", "Vehicle id", "vehicleid", "vehid", "vehicleno", "vehno", "unitid",
           required=True),
        _f("date", "Invoice date", "invoicedate", "invdate", "closed", "closeddate",
           "dateclosed", "billed", "date", required=True),
        _f("odometer", "Odometer", "mileage", "miles", "odometerin", "odometerout", "mileagein"),
        _f("labor_total", "Labor total", "labor", "laboramount", "totallabor"),
        _f("parts_total", "Parts total", "parts", "partsamount", "totalparts"),
        _f("fees_total", "Fees total", "fees", "shopsupplies", "supplies", "misc"),
        _f("sublet_total", "Sublet total", "sublet"),
        _f("discount_total", "Discount", "discount", "discounts"),
        _f("tax_total", "Tax", "tax", "salestax", "taxamount", "totaltax"),
        _f("grand_total", "Invoice total (as printed)", "total", "invoicetotal", "grandtotal",
           "amount", "totalamount", required=True),
        _f("concern", "Concern / notes", "concern", "complaint", "notes", "comments"),
    ],
    FileKind.INVOICE_LINES: [
        _f("invoice_key", "Invoice number", "invoiceno", "invoicenumber", "invno", "invnum",
           "ticket", "rono", required=True),
        _f("kind", "Line type (labor, part, fee, sublet)", "type", "linetype", "kind", "class"),
        _f("part_number", "Part number", "partno", "partnumber", "partnum", "sku", "code"),
        _f("description", "Description", "desc", "description", "item", "text", required=True),
        _f("quantity", "Quantity / hours", "qty", "quantity", "hours", "hrs"),
        _f("unit_price", "Unit price / rate", "price", "unitprice", "rate", "sellprice", "each"),
        _f("unit_cost", "Unit cost", "cost", "unitcost"),
        _f("amount", "Line amount (as printed)", "amount", "extended", "ext", "total", "linetotal"),
        _f("taxable", "Taxable (yes/no)", "taxable", "tax", "taxed"),
    ],
    FileKind.AR_ITEMS: [
        _f("customer_key", "Customer number", "customerno", "custno", "customerid", "custid",
           "accountno", required=True),
        _f("invoice_key", "Invoice number", "invoiceno", "invoicenumber", "invno", "document"),
        _f("date", "Date", "invoicedate", "date", "transdate", "docdate"),
        _f("due_date", "Due date", "duedate", "due"),
        _f("amount", "Original amount", "amount", "original", "originalamount", "charge"),
        _f("balance", "Open balance", "balance", "open", "openbalance", "balancedue",
           required=True),
    ],
    FileKind.PARTS: [
        _f("part_number", "Part number", "partno", "partnumber", "partnum", "sku", "code",
           required=True),
        _f("description", "Description", "desc", "description", "name"),
        _f("vendor", "Vendor", "supplier", "vendorname"),
        _f("vendor_part_number", "Vendor's part number", "vendorpartno", "mfrpartno"),
        _f("cost", "Cost", "cost", "unitcost"),
        _f("price", "Price", "price", "list", "listprice", "retail", "sellprice"),
        _f("quantity_on_hand", "Quantity on hand", "qoh", "onhand", "qty", "quantity", "stock"),
        _f("bin", "Bin / location", "bin", "location", "shelf"),
    ],
}  # fmt: skip

# The key column of each kind: a second import finds its rows by it.
KEY_FIELD = {
    FileKind.CUSTOMERS: "customer_key",
    FileKind.VEHICLES: "vehicle_key",
    FileKind.INVOICES: "invoice_key",
    FileKind.PARTS: "part_number",
}


def fields_for(kind: str) -> list[TargetField]:
    return FIELDS[kind]


def field_labels(kind: str) -> dict[str, str]:
    return {field.code: field.label for field in FIELDS[kind]}


def _squash(header: str) -> str:
    """ "Invoice #" and "Invoice No." alike: "invoiceno"."""
    return re.sub(r"[^a-z0-9]", "", header.lower().replace("#", "no"))


def mapping_suggest(kind: str, headers: list[str]) -> dict[str, str]:
    """{header: field code} from the header names; a field is suggested for one column only."""
    suggested: dict[str, str] = {}
    taken: set[str] = set()
    fields = FIELDS[kind]
    # Exact names first (the field's own code), then the synonyms in the order listed.
    for header in headers:
        squashed = _squash(header)
        for field in fields:
            if field.code not in taken and squashed == field.synonyms[0]:
                suggested[header] = field.code
                taken.add(field.code)
                break
    for header in headers:
        if header in suggested:
            continue
        squashed = _squash(header)
        for field in fields:
            if field.code not in taken and squashed in field.synonyms:
                suggested[header] = field.code
                taken.add(field.code)
                break
    return suggested


def mapping_problems(kind: str, mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping: a required field no column maps to, a field mapped twice."""
    problems = []
    labels = field_labels(kind)
    used: dict[str, str] = {}
    for header, code in mapping.items():
        if not code:
            continue
        if code not in labels:
            problems.append(f"“{header}” is mapped to a field {kind} files do not have.")
        elif code in used:
            problems.append(
                f"“{labels[code]}” is mapped from two columns, “{used[code]}” and “{header}”."
            )
        else:
            used[code] = header
    for field in FIELDS[kind]:
        if field.required and field.code not in used:
            problems.append(f"No column is mapped to “{field.label}”, which is required.")
    return problems
