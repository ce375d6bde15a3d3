from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = "Follow-ups and mailings"

    def ready(self) -> None:
        # Its rows in a customer's and a vehicle's history (customers.history).
        from followups import history

        history.register()
