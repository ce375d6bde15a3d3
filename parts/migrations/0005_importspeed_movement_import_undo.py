"""Stock movements stay immutable, but an import's undo may take back the counts of the
parts that import brought in (a COUNTED movement whose `reason` is the one the import
wrote, named for the transaction in `parts.undo_import`; see parts/imported.py)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION parts_movement_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.kind = 'counted' AND OLD.reason <> ''
       AND OLD.reason = current_setting('parts.undo_import', true) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'A stock movement is never changed or deleted: record another.';
END;
$$ LANGUAGE plpgsql
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION parts_movement_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A stock movement is never changed or deleted: record another.';
END;
$$ LANGUAGE plpgsql
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("parts", "0004_partsspeed_prefix_indexes")]

    operations = [migrations.RunPython(create, restore)]
