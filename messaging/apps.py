from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Customer messages"

    def ready(self) -> None:
        # Texts and e-mails are channels of the shop's outbox (outbox/transports.py).
        from messaging.services import outbox

        outbox.register()
        # Status updates react to the work orders' "status changed" event.
        from messaging import subscriptions

        subscriptions.connect()
        # Its rows in a customer's and a vehicle's history (customers.history).
        from messaging import history

        history.register()
        # Its marks on the cards of Today's Vehicles Page (workorders.board_providers).
        from messaging import board

        board.register()
