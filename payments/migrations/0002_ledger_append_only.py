"""On PostgreSQL the database itself keeps the ledger append-only: an UPDATE may change
only `customer_id` (Combine Customers' move and its undo, see LedgerEntry's docstring),
and a DELETE is refused. A test database is emptied with TRUNCATE, which this allows."""

from django.db import migrations

CREATE = """
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
CREATE TRIGGER payments_ledger_append_only
    BEFORE UPDATE OR DELETE ON payments_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS payments_ledger_append_only ON payments_ledgerentry;
DROP FUNCTION IF EXISTS payments_ledger_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
