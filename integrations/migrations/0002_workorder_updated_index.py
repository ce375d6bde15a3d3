"""An index for polling work orders by "updated since" (integrations/api/readback.py).

workorders/0005 has since taken it over under the model's name (workorder_updated).

The read-back walks work orders ordered by (updated_at, id) from a time; without
this index PostgreSQL sorts the whole table for every page. It lives here, beside
the query that needs it, as plain SQL on the work orders' table (both PostgreSQL
and SQLite know CREATE INDEX IF NOT EXISTS).
"""

from django.db import migrations

INDEX = "integrations_workorder_updated"


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("workorders", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON workorders_workorder (updated_at, id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
