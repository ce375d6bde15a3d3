from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "fleet"
    verbose_name = "Fleet approval"

    def ready(self) -> None:
        # Billing out a fleet work order: the fleet's bill-out check refuses it without
        # approval (workorders.bill_out); its reactions to the work orders' "closed" and
        # "stage entered" events record how it went (fleet.services.billing).
        from fleet import subscriptions

        subscriptions.connect()
        # Its rows in a customer's and a vehicle's history (customers.history).
        from fleet import history

        history.register()
        # Its panel and save button in the editor, its box on the invoice.
        from fleet import contributions

        contributions.register()
        # Webhooks to fleet networks go through the shop's outbox, signed in the fleet's
        # format (X-Fleet-Signature), which its receivers verify.
        from fleet.models import FleetCompany
        from fleet.services.webhooks import signed_headers
        from outbox.webhooks import register_signer

        register_signer(FleetCompany, signed_headers)
