from __future__ import annotations

from pathlib import Path

from imports import services
from imports.models import ImportRun
from tests.imports.conftest import uploads


def checked_run(owner, paths: dict[str, Path], *, kinds=None, name="Old system") -> ImportRun:
    """Upload the files (mapped as suggested or as saved) and run the dry run."""
    run = services.import_run_create(by=owner, name=name, files=uploads(paths, kinds))
    return services.import_dry_run(run_id=run.pk)


def applied(owner, run: ImportRun, capture, *, skip_bad_rows=True) -> ImportRun:
    """Apply as the owner would: skip the bad rows, then run the job (inline here)."""
    services.import_decisions_set(
        by=owner, run_id=run.pk, duplicates={}, skip_bad_rows=skip_bad_rows
    )
    with capture(execute=True):
        services.import_apply_start(by=owner, run_id=run.pk)
    run.refresh_from_db()
    return run


def shop_twin_of(paths: dict[str, Path], key: str):
    """A customer already in the shop who is the sample's customer `key`: same name and
    cell, typed at the counter with the area code (the old system kept seven digits)."""
    from customers.models import Customer, CustomerPhone
    from imports.reading import TableReader
    from imports.values import phone_read

    with paths["customers"].open("rb") as handle:
        row = next(r for _n, r in TableReader(handle, "c.csv").rows() if r["Cust No"] == key)
    twin = Customer.objects.create(first_name=row["First Name"], last_name=row["Last Name"])
    read = phone_read(row["Cell Phone"], area_code="217")
    national = read.e164[2:]
    CustomerPhone.objects.create(
        customer=twin,
        kind="cell",
        number=f"({national[:3]}) {national[3:6]}-{national[6:]}",
        e164=read.e164,
    )
    return twin
