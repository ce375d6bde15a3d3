# The outbox's models were messaging's (messaging 0001-0004). Their tables were renamed
# by messaging 0005 with their rows; here the outbox takes them over in Django's state
# only. The content types follow, so permissions and anything pointing at a message by
# content type keep pointing at it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["outboundmessage", "sendattempt"]


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="outbox", model=model).exists():
            ContentType.objects.filter(app_label="messaging", model=model).update(
                app_label="outbox"
            )


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="messaging", model=model).exists():
            ContentType.objects.filter(app_label="outbox", model=model).update(
                app_label="messaging"
            )


def old_relay_entry_forget(apps, schema_editor):
    # The beat entry "messaging-outbox-relay" named a task that is gone; the scheduler
    # adds "outbox-relay" from settings.CELERY_BEAT_SCHEDULE at its next start.
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name="messaging-outbox-relay").delete()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('customers', '0004_odometer_readings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('messaging', '0005_outbox_moves_to_its_own_app'),
        # The relay's beat entry changes its name with its task (below).
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboundMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('sms', 'Text'), ('email', 'E-mail'), ('webhook', 'Webhook')], max_length=10)),
                        ('kind', models.CharField(choices=[('status_update', 'Status update'), ('manual', 'Message from the shop'), ('system', 'Automatic reply')], default='manual', max_length=20)),
                        ('to', models.CharField(max_length=254)),
                        ('subject', models.CharField(blank=True, max_length=200)),
                        ('body', models.TextField()),
                        ('idempotency_key', models.CharField(max_length=200, unique=True)),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('undelivered', 'Not delivered'), ('failed', 'Failed'), ('suppressed', 'Not sent (no consent)')], default='queued', max_length=20)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('provider_message_id', models.CharField(blank=True, db_index=True, max_length=100)),
                        ('cause_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('next_attempt_at', models.DateTimeField()),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('failed_at', models.DateTimeField(blank=True, null=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('cause_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
                        ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='outbound_messages', to='customers.customer')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='SendAttempt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField()),
                        ('started_at', models.DateTimeField()),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('succeeded', models.BooleanField(default=False)),
                        ('error', models.TextField(blank=True)),
                        ('retry_in', models.FloatField(blank=True, null=True)),
                        ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tries', to='outbox.outboundmessage')),
                    ],
                    options={
                        'ordering': ['message', 'number'],
                    },
                ),
                migrations.AddIndex(
                    model_name='outboundmessage',
                    index=models.Index(condition=models.Q(('state', 'queued')), fields=['next_attempt_at'], name='outbound_queued_due'),
                ),
                migrations.AddIndex(
                    model_name='outboundmessage',
                    index=models.Index(condition=models.Q(('state', 'sending')), fields=['claimed_at'], name='outbound_sending'),
                ),
                migrations.AddIndex(
                    model_name='outboundmessage',
                    index=models.Index(fields=['customer', 'channel', '-created_at'], name='outbound_customer'),
                ),
                migrations.AddIndex(
                    model_name='outboundmessage',
                    index=models.Index(fields=['cause_type', 'cause_id'], name='outbound_cause'),
                ),
                migrations.AddConstraint(
                    model_name='sendattempt',
                    constraint=models.UniqueConstraint(fields=('message', 'number'), name='send_attempt_number'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
        migrations.RunPython(old_relay_entry_forget, migrations.RunPython.noop),
    ]
