"""The accountant's export's settings: the account names (payments/accounting.py)."""

from __future__ import annotations

from django.db import transaction

from payments.accounting import accounting_settings_get
from payments.models import AccountingSettings
from shop.errors import ServiceError
from shop.models import User

ACCOUNT_FIELDS = [
    "receivable", "sales", "sales_tax", "cash", "checks", "card", "other", "finance_charges",
    "adjustments",
]  # fmt: skip


@transaction.atomic
def accounting_settings_update(*, by: User, **names: str) -> AccountingSettings:
    """Save the account names: each one required, at most 80 characters. A name may be
    shared (e.g. one "Undeposited Funds" for every tender) except receivable's."""
    unknown = sorted(set(names) - set(ACCOUNT_FIELDS))
    if unknown:
        raise ServiceError(f"There is no account “{unknown[0]}”.")
    row = AccountingSettings.objects.select_for_update().get(pk=accounting_settings_get().pk)
    cleaned = {}
    for field in ACCOUNT_FIELDS:
        value = " ".join(str(names.get(field, getattr(row, field)) or "").split())
        label = AccountingSettings._meta.get_field(field).verbose_name
        if not value:
            raise ServiceError(f"Name the {label} account.", field=field)
        if len(value) > 80:
            raise ServiceError(f"The {label} account's name is too long (80 at most).", field=field)
        cleaned[field] = value
    receivable = cleaned["receivable"].casefold()
    for field in ACCOUNT_FIELDS[1:]:
        if cleaned[field].casefold() == receivable:
            label = AccountingSettings._meta.get_field(field).verbose_name
            raise ServiceError(
                f"The {label} account cannot be the receivable account: its lines would cancel "
                "out.",
                field=field,
            )
    for field, value in cleaned.items():
        setattr(row, field, value)
    row.save()
    return row
