"""A/R open items brought in from a shop's old system become ledger balances.

Registered in `shop.imported_records` (kind "ar_items") from `PaymentsConfig.ready()`: the
importer hands over each batch of open items, in its own transaction, and keeps the ids
of the entries written here in its undo journal. Each open item is one ADJUSTMENT entry
of its balance (a credit balance is negative), on the imported invoice's bucket when the
old system said which invoice it is, dated the item's date, tagged with the import's
`source` in `reference`. Nothing is charged again: the imported invoices themselves write
no charge (an import sends no bill-out events), so the customer's balance is exactly the
old system's open items.

Undo: the ledger is append-only and a trigger refuses any DELETE, except (migration
`0003_importspeed_ledger_import_undo`) of an adjustment whose `reference` is the import
being undone, named for the transaction with `set_config('payments.undo_import', …, true)`.
An import whose customers have had any other entry since (a payment on the old balance, a
new invoice) is refused by name, unless the importer keeps those customers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from customers.models import Customer
from payments.models import LedgerEntry
from shop.errors import ServiceError
from shop.models import User

NAMED = 5


def _reason(row: dict[str, Any]) -> str:
    invoice = f", invoice {row['invoice_key']}" if row.get("invoice_key") else ""
    due = f", due {row['due_on']:%m/%d/%Y}" if row.get("due_on") else ""
    return f"Opening balance from the old system{invoice}{due}"[:300]


def imported_balances_write(
    *, rows: list[dict[str, Any]], source: str, by: User | None
) -> list[int]:
    now = timezone.now()
    entries = [
        LedgerEntry(
            kind=LedgerEntry.Kind.ADJUSTMENT,
            customer_id=row["customer_id"],
            work_order_id=row.get("work_order_id"),
            amount=row["balance"],
            reason=_reason(row),
            reference=source[:60],
            business_date=row.get("dated") or timezone.localdate(now),
            recorded_by=by,
            recorded_at=now,
        )
        for row in rows
        if row["balance"] != Decimal("0.00")
    ]
    return [entry.pk for entry in LedgerEntry.objects.bulk_create(entries)]


def imported_balances_undo(
    *, ids: list[int], source: str, by: User | None, keep_customer_ids=frozenset()
) -> None:
    entries = LedgerEntry.objects.filter(pk__in=ids, kind=LedgerEntry.Kind.ADJUSTMENT)
    removed = entries.exclude(customer_id__in=keep_customer_ids)
    customers = set(removed.values_list("customer_id", flat=True))
    since = (
        LedgerEntry.objects.filter(customer_id__in=customers)
        .exclude(pk__in=ids)
        .values_list("customer_id", flat=True)
        .distinct()
    )
    built_upon = sorted(set(since))
    if built_upon:
        names = [
            c.display_name
            for c in Customer.objects.filter(pk__in=built_upon[:NAMED]).order_by("pk")
        ]
        more = f"; and {len(built_upon) - NAMED} more" if len(built_upon) > NAMED else ""
        raise ServiceError(
            f"{len(built_upon)} customer(s) have had payments or charges on their account since "
            f"the import: {'; '.join(names)}{more}. Their imported balances cannot be taken "
            "back. Nothing was undone."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('payments.undo_import', %s, true)", [source])
        cursor.execute(
            "DELETE FROM payments_ledgerentry WHERE id = ANY(%s) AND kind = %s AND reference = %s",
            [list(removed.values_list("pk", flat=True)), LedgerEntry.Kind.ADJUSTMENT, source],
        )
        cursor.execute("SELECT set_config('payments.undo_import', '', true)")


def register() -> None:
    from shop.imported_records import import_target_register

    import_target_register(
        "ar_items",
        model=LedgerEntry._meta.label_lower,
        label="Ledger balances",
        write=imported_balances_write,
        undo=imported_balances_undo,
    )
