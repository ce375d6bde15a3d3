"""The invoice figures keep the invoice's customer and vehicle, so the reports need not read
the work orders table; existing rows take them from their work order."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE reports_invoicesummary SET
    customer_id = (SELECT w.customer_id FROM workorders_workorder w
                   WHERE w.id = reports_invoicesummary.work_order_id),
    vehicle_id = (SELECT w.vehicle_id FROM workorders_workorder w
                  WHERE w.id = reports_invoicesummary.work_order_id)
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)
        if schema_editor.connection.vendor == "postgresql":
            # Check the new foreign keys now, so the table can be altered next.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("reports", "0002_default_categories"),
        ("workorders", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="invoicesummary",
            options={"verbose_name": "invoice figures", "verbose_name_plural": "invoice figures"},
        ),
        migrations.AddField(
            model_name="invoicesummary",
            name="customer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_invoices",
                to="customers.customer",
            ),
        ),
        migrations.AddField(
            model_name="invoicesummary",
            name="vehicle",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_invoices",
                to="customers.vehicle",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invoicesummary",
            name="customer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_invoices",
                to="customers.customer",
            ),
        ),
        migrations.AlterField(
            model_name="invoicesummary",
            name="vehicle",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_invoices",
                to="customers.vehicle",
            ),
        ),
        migrations.AddIndex(
            model_name="invoicesummary",
            index=models.Index(fields=["customer", "closed_at"], name="reports_invoice_customer"),
        ),
    ]
