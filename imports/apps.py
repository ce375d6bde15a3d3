from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Moving in from another system"

    def ready(self) -> None:
        # Undoing an import from the customer utilities' log runs the import's own undo.
        from imports import subscriptions

        subscriptions.connect()
