from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "fleet"
    verbose_name = "Fleet approval"

    def ready(self) -> None:
        # Billing out a fleet work order reacts to the work orders' "closed" event.
        from fleet import subscriptions

        subscriptions.connect()
        # Its rows in a customer's and a vehicle's history (customers.history).
        from fleet import history

        history.register()
        # Its panel and save button in the editor, its box on the invoice.
        from fleet import contributions

        contributions.register()
