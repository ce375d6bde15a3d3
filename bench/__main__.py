"""`python -m bench [prefix ...]`: run the scenarios, print a table, write bench/results.json."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from bench import scenarios  # noqa: E402
from bench.harness import Bench, registered  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"
COLUMNS = ["scenario", "n", "p50_ms", "p95_ms", "queries"]


def main(prefixes: list[str]) -> int:
    for module in pkgutil.iter_modules(scenarios.__path__):
        importlib.import_module(f"bench.scenarios.{module.name}")
    rows: list[dict] = []
    failed: list[str] = []
    for name, function in sorted(registered().items()):
        if prefixes and not any(name.startswith(prefix) for prefix in prefixes):
            continue
        bench = Bench(name)
        try:
            function(bench)
        except Exception as error:  # one broken scenario must not lose the others' figures
            failed.append(name)
            print(f"{name}: FAILED: {error!r}", file=sys.stderr)
        rows.extend(bench.rows)
    RESULTS.write_text(json.dumps(rows, indent=2) + "\n")
    print_table(rows)
    print(f"\n{len(rows)} rows written to {RESULTS}")
    if failed:
        print(f"failed scenarios: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def print_table(rows: list[dict]) -> None:
    widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in COLUMNS}
    print("  ".join(c.ljust(widths[c]) for c in COLUMNS) + "  extra")
    for row in rows:
        extra = {k: v for k, v in row.items() if k not in COLUMNS}
        cells = [str(row.get(c, "")).ljust(widths[c]) for c in COLUMNS]
        print("  ".join(cells) + ("  " + json.dumps(extra) if extra else ""))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
