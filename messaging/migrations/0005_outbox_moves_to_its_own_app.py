# The outbox (OutboundMessage, SendAttempt) moves to the outbox app with its rows:
# the tables are renamed, nothing is copied. outbox/migrations/0001_initial.py takes
# the models over in Django's state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0004_webhookreceipt_received_at_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='outboundmessage', table='outbox_outboundmessage'),
                migrations.AlterModelTable(name='sendattempt', table='outbox_sendattempt'),
            ],
            state_operations=[
                migrations.DeleteModel(name='SendAttempt'),
                migrations.DeleteModel(name='OutboundMessage'),
            ],
        ),
    ]
