"""The dry run of the sample export: counts, bad rows, duplicates, totals by year."""

from __future__ import annotations

import pytest

from imports.models import ImportProblem, ImportRun
from imports.sample import SAMPLE_FLAWS
from imports.services import counts_expected
from tests.imports.helpers import checked_run, shop_twin_of
from tests.imports.snapshot import table_rows

pytestmark = pytest.mark.django_db


def test_it_reads_the_sample_and_writes_nothing_but_its_findings(shop, owner, sample_paths):
    before = table_rows()
    run = checked_run(owner, sample_paths)
    assert table_rows() == before
    assert run.state == ImportRun.State.CHECKED
    counts = run.dry_run["counts"]
    # 495 people, one without a name; five typed again; one number used twice.
    assert counts["customers"] == {
        "create": 499, "update": 0, "unchanged": 0, "merge": 0, "skip": 2,
    }  # fmt: skip
    assert counts["vehicles"]["create"] == 699
    assert counts["vehicles"]["skip"] == 1
    assert counts["invoices"] == {"create": 4999, "unchanged": 0, "skip": 1}
    assert counts["parts"]["create"] == 11
    assert counts["ar_items"]["create"] == 9
    years = {year: (count, total) for year, count, total in run.dry_run["years"]}
    assert set(years) == set(range(2018, 2027))
    assert sum(count for count, _total in years.values()) == 4999


def test_it_lists_every_bad_row_with_its_line_column_and_why(shop, owner, sample_paths):
    run = checked_run(owner, sample_paths)
    problems = list(run.problems.values_list("kind", "line", "column", "message", "severity"))
    messages = [p[3] for p in problems]
    errors = [p for p in problems if p[4] == ImportProblem.Severity.ERROR]
    assert ("customers", 401, "Last Name", "no name and no company", "error") in problems
    assert any(f"“{SAMPLE_FLAWS.customer_key_twice}” is used twice: first on line 3" in m
               for m in messages)  # fmt: skip
    assert any(p[0] == "vehicles" and p[2] == "Cust No" and "orphan vehicle" in p[3]
               for p in errors)  # fmt: skip
    assert any(p[0] == "invoices" and p[2] == "Date" and "“13/45/2019” is not a date" in p[3]
               for p in errors)  # fmt: skip
    # Kept, but flagged: a wrong VIN check digit, a phone that is not one, a printed total.
    warnings = [p for p in problems if p[4] == ImportProblem.Severity.WARNING]
    assert any(p[0] == "vehicles" and "check digit" in p[3] for p in warnings)
    assert any("“call after 5” is not a phone number: left out" in p[3] for p in warnings)
    assert any(f"invoice {SAMPLE_FLAWS.printed_total_differs}: lines" in p[3] for p in warnings)
    assert run.dry_run["row_errors"] == len(errors) == 4


def test_it_finds_customers_typed_twice_in_the_file_with_the_combine_finder(
    shop, owner, sample_paths
):
    run = checked_run(owner, sample_paths)
    pairs = run.dry_run["duplicates"]
    repeated = {pair["incoming"]["key"] for pair in pairs if pair["target"]["type"] == "file"}
    assert set(SAMPLE_FLAWS.repeated_customers) <= repeated
    pair = next(p for p in pairs if p["incoming"]["key"] == SAMPLE_FLAWS.repeated_customers[0])
    assert pair["sure"]
    assert "same cell phone" in pair["agrees"]
    # A sure pair starts as merge: the counts follow the choice.
    assert run.decisions["duplicates"][pair["id"]] == "merge"
    expected = counts_expected(run)
    sure = sum(1 for p in pairs if p["sure"])
    assert expected["customers"]["merge"] == sure
    assert expected["customers"]["create"] == 499 - sure


def test_it_finds_an_incoming_customer_already_in_the_shop(shop, owner, sample_paths):
    existing = shop_twin_of(sample_paths, "C1003")
    run = checked_run(owner, sample_paths, kinds={"customers"})
    pair = next(p for p in run.dry_run["duplicates"] if p["incoming"]["key"] == "C1003")
    assert pair["target"] == {**pair["target"], "type": "shop", "customer_id": existing.pk}
    assert pair["sure"]


def test_a_required_column_unmapped_is_a_file_problem(
    shop, owner, sample_paths, django_capture_on_commit_callbacks
):
    from imports.services import import_mapping_set

    run = checked_run(owner, sample_paths, kinds={"customers"})
    with django_capture_on_commit_callbacks(execute=True):  # the dry run job
        import_mapping_set(
            by=owner,
            run_id=run.pk,
            mappings={"customers": {"Cust No": "", "Last Name": "last_name"}},
        )
    run.refresh_from_db()
    assert run.dry_run["file_errors"] == 1
    problem = run.problems.get()
    assert problem.line is None
    assert "Customer number" in problem.message and "required" in problem.message
