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
        # Webhooks to fleet networks go through the shop's outbox, signed in the fleet's
        # format (X-Fleet-Signature), which its receivers verify.
        from fleet.models import FleetCompany
        from fleet.services.webhooks import signed_headers
        from outbox.webhooks import register_signer

        register_signer(FleetCompany, signed_headers)
