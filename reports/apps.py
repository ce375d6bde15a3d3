from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and marketing"

    def ready(self) -> None:
        # The invoice figures follow the work orders' "closed" and "stage entered" events.
        from reports import subscriptions

        subscriptions.connect()
        # Its marks on the cards of Today's Vehicles Page (workorders.board_providers).
        from reports import board

        board.register()
