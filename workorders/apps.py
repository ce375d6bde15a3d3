from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "workorders"
    verbose_name = "Work orders"

    def ready(self) -> None:
        # Its rows in a customer's and a vehicle's history (customers.history).
        from workorders import history

        history.register()
