from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments and A/R"

    def ready(self) -> None:
        # Billing out writes the invoice's charge; reopening reverses it (workorders.events).
        from payments import subscriptions

        subscriptions.connect()
        # The paid / partial / unpaid panel in the editor, the list's column, the invoice's box.
        from payments import contributions

        contributions.register()
        # The customer's account (balance, A/R Status, Paid A/R) on the customer's page.
        from payments import history

        history.register()
        # Imported A/R open items become ledger balances (shop.imported_records).
        from payments import imported

        imported.register()
