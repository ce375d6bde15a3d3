from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        # The signed "webhook" channel; the apps that own texts and e-mails (messaging)
        # register theirs, and the signers of webhooks, in their own ready().
        from outbox import webhooks

        webhooks.register()
