"""How the reports talk to the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def report_queries() -> Iterator[None]:
    """Run a report's queries with PostgreSQL's JIT compiler off and room to sort in memory.

    A report's aggregate over a year of invoices is estimated costly enough for JIT, and
    compiling it takes about 100 ms, longer than running it does. Ten years of invoices
    grouped by band and vehicle year spill a sort to disk at the default 4 MB of work
    memory. SET LOCAL ends with the transaction: no other query on the connection changes.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        yield
