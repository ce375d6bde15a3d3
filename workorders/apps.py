from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "workorders"
    verbose_name = "Work orders"

    def ready(self) -> None:
        # A billed-out work order's odometer feeds the vehicle's annual mileage (customers).
        from workorders import subscriptions

        subscriptions.connect()
        # Its rows in a customer's and a vehicle's history (customers.history).
        from workorders import history

        history.register()
