from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        # The Bearer token's entry in the OpenAPI schema.
        from integrations import schema, webhooks  # noqa: F401
        from integrations.models import WebhookSubscription
        from outbox.webhooks import register_signer

        # A subscription's webhooks go through the outbox, signed in this app's format.
        register_signer(WebhookSubscription, webhooks.signed_headers)
        # Events to subscribed outside systems.
        webhooks.connect()
