from django.apps import AppConfig


class PartsConfig(AppConfig):
    name = "parts"
    verbose_name = "Parts and inventory"

    def ready(self) -> None:
        # Billing out sells the invoice's stocked parts; reopening returns them.
        from parts import subscriptions

        subscriptions.connect()
        # part.low_stock: its own event, delivered through the integrations' webhooks.
        from parts import webhooks

        webhooks.connect()
        # The typeahead in the editor's add-line form and the catalog marks on its lines
        # (workorders.contributions: workorders never imports parts).
        from parts import contributions

        contributions.register()
        # "Parts arrived" on the board's cards (workorders.board_providers) and the PDF an
        # e-mailed purchase order carries (outbox.attachments).
        from outbox import attachments
        from parts import board
        from parts.documents import purchase_order_attachments

        board.register()
        attachments.register("parts.purchaseorder", purchase_order_attachments)
        # Imported parts go into the catalog (shop.imported_records).
        from parts import imported

        imported.register()
