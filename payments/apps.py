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
        # Pay by link: the editor's panel and the balance with Pay on the customer's link.
        from payments import contributions_paylink

        contributions_paylink.register()
        # payment.received and invoice.paid to the integrations' webhook subscribers.
        from payments import webhooks

        webhooks.connect()
        # Money collected and A/R outstanding on the owner's dashboard (reports).
        from payments import dashboard

        dashboard.register()
        # An e-mailed statement carries its PDF (outbox.attachments).
        from outbox import attachments
        from payments.services.statements import statement_attachments

        attachments.register("payments.statement", statement_attachments)
        # Imported A/R open items become ledger balances (shop.imported_records).
        from payments import imported

        imported.register()
