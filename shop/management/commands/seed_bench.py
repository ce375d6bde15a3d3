import random
import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = (
        "Fill the database with a shop of realistic size for `make bench`. Each app's "
        "seeding.seed_bench() adds its part and skips what is already there (an app whose "
        "seeding has only a demo part is skipped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261126)

    def handle(self, *args, seed, **options):
        rng = random.Random(seed)
        for app in apps.get_app_configs():
            if not module_has_submodule(app.module, "seeding"):
                continue
            seeding = import_module(f"{app.name}.seeding")
            if hasattr(seeding, "seed_bench"):
                started = time.monotonic()
                seeding.seed_bench(self.stdout, rng=rng)
                self.stdout.write(f"  {app.label}: {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("The bench shop is ready."))
