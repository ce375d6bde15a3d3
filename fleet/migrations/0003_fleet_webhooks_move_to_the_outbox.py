# Fleet webhooks are rows of the shop's outbox now (outbox/): each FleetWebhookDelivery
# becomes an outbox message, its cause the company whose secret signs it. Sent ones keep
# the log; unsent ones are queued and the outbox's relay posts them; those that had used
# up their tries (six) are failed. Then the old table goes.

from django.db import migrations
from django.utils import timezone

OLD_MAX_ATTEMPTS = 6


def deliveries_to_outbox(apps, schema_editor):
    Delivery = apps.get_model("fleet", "FleetWebhookDelivery")
    OutboundMessage = apps.get_model("outbox", "OutboundMessage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Delivery.objects.exists():
        return
    company_type, _ = ContentType.objects.get_or_create(app_label="fleet", model="fleetcompany")
    now = timezone.now()
    for delivery in Delivery.objects.select_related("company").order_by("pk").iterator():
        url = delivery.company.webhook_url
        fields = {"state": "queued", "last_error": delivery.last_error}
        if delivery.sent_at is not None:
            fields = {"state": "sent", "sent_at": delivery.sent_at, "last_error": ""}
        elif not url:
            fields = {
                "state": "failed",
                "failed_at": now,
                "last_error": "The fleet company has no webhook URL any more.",
            }
        elif delivery.attempts >= OLD_MAX_ATTEMPTS:
            fields = {
                "state": "failed",
                "failed_at": now,
                "last_error": f"Gave up after {delivery.attempts} tries. "
                f"Last error: {delivery.last_error}",
            }
        message = OutboundMessage.objects.create(
            channel="webhook",
            kind="system",
            to=url[:254],
            subject=delivery.event,
            body=delivery.body,
            idempotency_key=f"fleet:{delivery.company_id}:delivery-{delivery.pk}",
            attempts=delivery.attempts,
            cause_type=company_type,
            cause_id=delivery.company_id,
            next_attempt_at=now,
            **fields,
        )
        OutboundMessage.objects.filter(pk=message.pk).update(created_at=delivery.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('fleet', '0002_request_updated_index'),
        ('outbox', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(deliveries_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name='FleetWebhookDelivery'),
        migrations.CreateModel(
            name='FleetWebhook',
            fields=[],
            options={
                'verbose_name': 'fleet webhook',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('outbox.outboundmessage',),
        ),
    ]
