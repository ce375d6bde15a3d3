"""Write a realistic export of a small shop's old system, to try Import from another system."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from imports.sample import SAMPLE_FLAWS, sample_write


class Command(BaseCommand):
    help = (
        "Write a sample export of a small shop (500 customers, 700 vehicles, 5,000 invoices "
        "with lines, A/R items, parts) into DIR, with duplicates and bad rows on purpose."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="The folder to write the files into.")
        parser.add_argument("--customers", type=int, default=500)
        parser.add_argument("--vehicles", type=int, default=700)
        parser.add_argument("--invoices", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--lines-per-invoice",
            type=float,
            default=None,
            help="Bigger jobs: about this many lines an invoice (the small shop's is 3.5).",
        )

    def handle(self, *args, directory: str, **options) -> None:
        paths = sample_write(
            directory,
            customers=options["customers"],
            vehicles=options["vehicles"],
            invoices=options["invoices"],
            seed=options["seed"],
            lines_per_invoice=options["lines_per_invoice"],
        )
        for kind, path in paths.items():
            self.stdout.write(f"{kind:14} {path}")
        self.stdout.write(
            "On purpose: customer "
            f"{SAMPLE_FLAWS.customer_without_name} has no name, {SAMPLE_FLAWS.customer_key_twice} "
            f"is used twice, vehicle {SAMPLE_FLAWS.orphan_vehicle} has no customer, invoice "
            f"{SAMPLE_FLAWS.bad_date_invoice} has a date that is not one, invoice "
            f"{SAMPLE_FLAWS.printed_total_differs}'s lines do not add up to its printed total, "
            f"and {', '.join(SAMPLE_FLAWS.repeated_customers)} repeat earlier customers."
        )
