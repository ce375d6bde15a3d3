from django.apps import AppConfig


class PartsConfig(AppConfig):
    name = "parts"
    verbose_name = "Parts and inventory"

    def ready(self) -> None:
        # Billing out sells the invoice's stocked parts; reopening returns them.
        from parts import subscriptions

        subscriptions.connect()
        # The typeahead in the editor's add-line form and the catalog marks on its lines
        # (workorders.contributions: workorders never imports parts).
        from parts import contributions

        contributions.register()
        # Imported parts go into the catalog (shop.imported_records).
        from parts import imported

        imported.register()
