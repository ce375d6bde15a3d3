from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string, module_has_submodule

from shop.seeding import DEMO_EMPLOYEES, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo shop. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "seeding"):
                import_string(f"{app.name}.seeding.seed_demo")(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"The demo shop is ready. Logins (password for all: {DEMO_PASSWORD}):"
            )
        )
        for username, first, last, role, level in DEMO_EMPLOYEES:
            self.stdout.write(f"  {username:<10} level {level}  {role.label} ({first} {last})")
