"""The main source categories every shop starts with (editable afterwards)."""

from django.db import migrations

CATEGORIES = [
    "Internet",
    "Referral",
    "Drive-by",
    "Signage",
    "Mailers",
    "Fleet",
    "Other New Customers",
]


def create_categories(apps, schema_editor):
    SourceCategory = apps.get_model("reports", "SourceCategory")
    for position, name in enumerate(CATEGORIES, 1):
        SourceCategory.objects.get_or_create(
            name=name,
            defaults={"position": position, "receives_unmapped": name == "Other New Customers"},
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
