"""The append-only ledger lets one kind of DELETE through: an import's undo taking back the
opening balances that import wrote (an adjustment whose `reference` is the import, named
for the transaction in `payments.undo_import`; see payments/imported.py). Every other
UPDATE and DELETE is refused as before."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.kind = 'adjustment' AND OLD.reference <> ''
           AND OLD.reference = current_setting('payments.undo_import', true) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'Ledger entries are never deleted: write a reversing entry.';
    END IF;
    IF (to_jsonb(NEW) - 'customer_id') IS DISTINCT FROM (to_jsonb(OLD) - 'customer_id') THEN
        RAISE EXCEPTION 'Ledger entries are never updated (only Combine Customers moves one).';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Ledger entries are never deleted: write a reversing entry.';
    END IF;
    IF (to_jsonb(NEW) - 'customer_id') IS DISTINCT FROM (to_jsonb(OLD) - 'customer_id') THEN
        RAISE EXCEPTION 'Ledger entries are never updated (only Combine Customers moves one).';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_statements_finance_charges")]

    operations = [migrations.RunPython(create, restore)]
