from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        # The Bearer token's entry in the OpenAPI schema.
        from integrations import schema, webhooks  # noqa: F401

        # Events to subscribed outside systems, through messaging's outbox.
        webhooks.connect()
