from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
    ]

    # Existing rows get the time of the migration: the schema editor fills an auto_now
    # column it adds with now() as a one-off default, so no row is rewritten one by one.
    operations = [
        migrations.AddField(
            model_name="user",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
    ]
