from django.core.management.base import BaseCommand

from reports.services import invoice_summaries_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the reports' figures of every billed-out invoice, e.g. after importing work "
        "orders without the work orders' services. --missing writes only those that have none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true")

    def handle(self, *args, missing: bool, **options):
        written = invoice_summaries_rebuild(only_missing=missing)
        self.stdout.write(self.style.SUCCESS(f"{written} invoices written."))
