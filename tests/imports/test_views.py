"""The import's pages: the owner's level opens them, a manager's does not; bad uploads say why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers.models import Customer
from imports.models import ColumnMapping, ImportFile, ImportRun
from tests.imports.conftest import upload
from tests.imports.helpers import applied, checked_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(employee_at):
    return employee_at(2)


def test_it_opens_every_page_for_level_1_and_refuses_level_2(
    client, shop, owner, manager, small_sample_paths
):
    run = checked_run(owner, small_sample_paths, kinds={"customers"})
    pages = [
        reverse("imports:list"),
        reverse("imports:new"),
        reverse("imports:detail", args=[run.pk]),
        reverse("imports:columns", args=[run.pk]),
        reverse("imports:progress", args=[run.pk]),
        reverse("imports:checking", args=[run.pk]),
    ]
    client.force_login(manager)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Import from another system" in response.content.decode()
    for name in ["check", "choices", "apply", "undo"]:
        assert client.post(reverse(f"imports:{name}", args=[run.pk])).status_code == 403
    client.force_login(owner)
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_list_takes_the_same_queries_whatever_the_number_of_imports(
    client, shop, owner, small_sample_paths, django_assert_max_num_queries
):
    client.force_login(owner)
    checked_run(owner, small_sample_paths, kinds={"customers"})
    with django_assert_max_num_queries(8):
        first = client.get(reverse("imports:list"))
    for index in range(5):
        ImportRun.objects.create(name=f"Old {index}", created_by=owner)
    with django_assert_max_num_queries(8):
        many = client.get(reverse("imports:list"))
    assert first.status_code == many.status_code == 200
    assert "Old 4" in many.content.decode()


def test_uploading_goes_to_the_columns_with_a_sample_and_a_suggestion(
    client, shop, owner, small_sample_paths
):
    client.force_login(owner)
    response = client.post(
        reverse("imports:new"),
        {"name": "StockTrac", "customers": upload(small_sample_paths["customers"])},
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:columns", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Cust No" in page and "Windows-1252" in page
    assert '<option value="customer_key" selected>' in page


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.csv", b"", "empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV"),
        ("jp.csv", "番号,名前\n1,山田太郎\n2,鈴木花子\n".encode("shift_jis"), "encoding"),
        ("header.csv", b"Cust No,Name\n", "no rows"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_kept(
    client, shop, owner, name, data, says
):
    client.force_login(owner)
    response = client.post(
        reverse("imports:new"),
        {"name": "Bad", "customers": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not ImportRun.objects.exists() and not ImportFile.objects.exists()


def test_mapping_two_columns_by_hand_saves_it_by_name_and_runs_the_dry_run(
    client, shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    run = checked_run(owner, small_sample_paths, kinds={"customers"})
    import_file = run.files.get()
    posted = {"save_as": "StockTrac export"}
    for index, header in enumerate(import_file.headers):
        posted[f"map-customers-{index}"] = import_file.mapping.get(header, "")
    # By hand: the home phone column is the cell, and the notes are not imported.
    posted[f"map-customers-{import_file.headers.index('Home Phone')}"] = "notes"
    posted[f"map-customers-{import_file.headers.index('Charge Acct')}"] = ""
    with django_capture_on_commit_callbacks(execute=True):  # the dry run job
        response = client.post(reverse("imports:columns", args=[run.pk]), posted)
    assert response.status_code == 302
    import_file.refresh_from_db()
    assert import_file.mapping["Home Phone"] == "notes"
    assert import_file.mapping_name == "StockTrac export"
    saved = ColumnMapping.objects.get(name="StockTrac export", kind="customers")
    assert saved.columns["Home Phone"] == "notes" and "Charge Acct" not in saved.columns
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKED
    # The next files with these columns are mapped the same way.
    again = checked_run(owner, small_sample_paths, kinds={"customers"})
    assert again.files.get().mapping_name == "StockTrac export"
    assert again.files.get().mapping["Home Phone"] == "notes"


def test_a_forged_field_in_the_mapping_is_refused_and_changes_nothing(
    client, shop, owner, small_sample_paths
):
    client.force_login(owner)
    run = checked_run(owner, small_sample_paths, kinds={"customers"})
    before = run.files.get().mapping
    response = client.post(reverse("imports:columns", args=[run.pk]), {"map-customers-0": "pk"})
    assert response.status_code == 400
    assert "is not a field" in response.content.decode()
    assert run.files.get().mapping == before


def test_the_dry_run_page_shows_counts_problems_duplicates_and_years(
    client, shop, owner, small_sample_paths, django_assert_max_num_queries
):
    client.force_login(owner)
    run = checked_run(owner, small_sample_paths)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Dry run: what the import would do" in page
    assert "is not a date" in page
    assert "Possible duplicates" in page and "Same person" in page
    assert "Invoice history by year" in page
    assert "Apply the import" in page


def test_choices_apply_and_undo_through_the_pages(
    client, shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    run = checked_run(owner, small_sample_paths)
    pair = run.dry_run["duplicates"][0]
    # Apply is refused while rows have errors and they are not skipped by choice.
    response = client.post(reverse("imports:apply", args=[run.pk]), follow=True)
    assert "Skip the rows with errors" in response.content.decode()
    assert not Customer.objects.exists()
    client.post(
        reverse("imports:choices", args=[run.pk]),
        {f"pair:{pair['id']}": "separate", "skip_bad_rows": "on"},
    )
    run.refresh_from_db()
    assert run.decisions["duplicates"][pair["id"]] == "separate"
    assert run.decisions["skip_bad_rows"] is True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
    assert run.counts["customers"].get("merge", 0) == len(
        [p for p in run.dry_run["duplicates"] if p["sure"]]
    ) - (1 if pair["sure"] else 0)
    progress = client.get(reverse("imports:progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    response = client.post(reverse("imports:undo", args=[run.pk]), follow=True)
    assert "is undone" in response.content.decode()
    assert not Customer.objects.exists()


def test_a_forged_duplicate_choice_is_refused(client, shop, owner, small_sample_paths):
    client.force_login(owner)
    run = checked_run(owner, small_sample_paths)
    before = run.decisions
    response = client.post(
        reverse("imports:choices", args=[run.pk]), {"pair:C1>c999999": "merge"}, follow=True
    )
    assert "not one of the dry run" in response.content.decode()
    run.refresh_from_db()
    assert run.decisions == before


def test_a_finished_import_answers_the_progress_poll_with_a_refresh(
    client, shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    run = applied(
        owner, checked_run(owner, small_sample_paths, kinds={"customers"}),
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    response = client.get(reverse("imports:progress", args=[run.pk]))
    assert response.status_code == 200 and "Imported" in response.content.decode()


def test_the_import_is_undone_from_the_utilities_log_by_its_own_level_only(
    client, shop, owner, manager, small_sample_paths, django_capture_on_commit_callbacks
):
    run = applied(
        owner, checked_run(owner, small_sample_paths, kinds={"customers"}),
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    log = reverse("customers:utilities")
    undo = reverse("customers:utility_undo", args=[run.log_entry_id])
    client.force_login(manager)
    page = client.get(log).content.decode()
    assert "Import from another system" in page and run.log_entry.summary in page
    assert undo not in page
    assert client.post(undo).status_code == 403
    assert Customer.objects.exists()
    client.force_login(owner)
    assert undo in client.get(log).content.decode()
    response = client.post(undo, follow=True)
    assert "Undone:" in response.content.decode()
    run.refresh_from_db()
    assert run.state == ImportRun.State.UNDONE
    assert not Customer.objects.exists()
