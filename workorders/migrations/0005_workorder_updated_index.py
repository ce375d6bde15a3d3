"""The index on work orders' (updated_at, id), now declared on the model.

integrations/0002 made it first, as plain SQL named integrations_workorder_updated.
Here the model takes it over: on PostgreSQL the index is renamed (no rebuild of a
big table); elsewhere it is dropped and made again under the model's name.
"""

from django.db import migrations, models

OLD, NEW = "integrations_workorder_updated", "workorder_updated"
TABLE = "workorders_workorder"


def _move(schema_editor, old: str, new: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {old} RENAME TO {new}")
    else:
        schema_editor.execute(f"DROP INDEX IF EXISTS {old}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {new} ON {TABLE} (updated_at, id)")


def forwards(apps, schema_editor):
    _move(schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _move(schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0004_appointment_cancel"),
        ("integrations", "0002_workorder_updated_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="workorder",
                    index=models.Index(fields=["updated_at", "id"], name="workorder_updated"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
