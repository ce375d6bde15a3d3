"""The typeahead's prefix searches in the "C" collation (parts.selectors._prefix_matches).

PostgreSQL only, as the trigram index of 0001 (SQLite compares bytes already): an index of
the part number key and of the vendor's number key in the "C" collation both finds the
numbers that start with what was typed (LIKE 'WX0%' becomes a range of the index) and gives
them in order, so the first ten are read and the scan stops. And the movements' quantities
beside their part (a covering index): on hand, summed per part by the typeahead, the parts
list and the inventory valuation, is read from the index alone.
"""

from django.db import migrations

INDEXES = [
    ("part_number_key_c", "parts_part", "number_key"),
    ("vendorpart_number_key_c", "parts_vendorpart", "vendor_number_key"),
]

MOVEMENT_INDEX = "movement_part_quantity"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} COLLATE "C")'
        )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {MOVEMENT_INDEX} ON parts_stockmovement (part_id) "
        "INCLUDE (quantity)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [MOVEMENT_INDEX, *(index[0] for index in INDEXES)]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("parts", "0003_partspo_purchasing")]

    operations = [migrations.RunPython(forwards, backwards)]
