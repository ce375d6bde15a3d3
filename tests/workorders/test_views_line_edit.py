"""A line edited in place in the editor: Edit opens its row as a form, Save sends it (the
totals and the version follow out of band), Cancel draws the row again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from workorders import services
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def fresh(work_order) -> WorkOrder:
    return WorkOrder.objects.get(pk=work_order.pk)


@pytest.fixture
def job(estimate, advisor):
    return services.job_add(
        by=advisor, work_order=estimate, version=None, title="Front brakes", category="Brakes"
    )


@pytest.fixture
def part(job, advisor):
    return services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        part_number="BP-1",
        description="Brake pads",
        quantity="1",
        unit_price="64.99",
    )


def labor(estimate) -> Line:
    return Line.objects.get(work_order=estimate, kind="labor")


def edit_url(line) -> str:
    return reverse("workorders:line_edit", args=[line.work_order_id, line.job_id, line.pk])


def edit_post(line, version, **fields) -> dict:
    return {
        "version": version,
        "part_number": line.part_number,
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "unit_cost": str(line.unit_cost),
        "discount": "",
        "taxable": "yes" if line.taxable else "no",
        **fields,
    }


def state(estimate) -> tuple:
    work_order = fresh(estimate)
    return work_order.version, work_order.grand_total, list(Line.objects.values().order_by("id"))


def test_an_advisor_opens_a_row_as_a_form_and_a_technician_is_refused(
    client, estimate, advisor, technician, part, statuses
):
    client.force_login(advisor)
    response = client.get(edit_url(part), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<tr id="line-{part.pk}" class="line-edit">' in html
    assert 'value="Brake pads"' in html and 'value="64.99"' in html
    assert "Save" in html and "Cancel" in html
    assert 'name="technician"' not in html  # a part has no technician
    services.workorder_status_set(by=advisor, work_order=estimate, version=None, status=statuses[7])
    client.force_login(technician)  # level 5 views repair orders but does not write them
    assert client.get(edit_url(part), **HTMX).status_code == 403
    before = state(estimate)
    response = client.post(edit_url(part), edit_post(part, fresh(estimate).version, quantity="9"))
    assert response.status_code == 403
    assert state(estimate) == before


def test_saving_the_automatic_labor_line_updates_the_row_totals_and_version(
    client, estimate, advisor, technician, part
):
    automatic = labor(estimate)
    client.force_login(advisor)
    form = client.get(edit_url(automatic), **HTMX).content.decode()
    assert "Hours" in form and 'name="technician"' in form and str(technician) in form
    version = fresh(estimate).version
    response = client.post(
        edit_url(automatic),
        edit_post(automatic, version, quantity="2.5", technician=technician.pk),
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    work_order = fresh(estimate)
    line = labor(estimate)
    assert (line.quantity, line.amount, line.technician) == (
        Decimal("2.50"),
        Decimal("347.50"),
        technician,
    )
    assert work_order.version == version + 1
    assert f'<tr id="line-{line.pk}">' in html and "$347.50" in html
    assert 'id="wo-totals"' in html and 'hx-swap-oob="true"' in html
    assert f"${work_order.grand_total:,.2f}" in html
    assert f'id="wo-version" value="{work_order.version}" hx-swap-oob="true"' in html
    assert "autofocus" in html  # back on the row's Edit


def test_the_second_writer_is_told_and_nothing_is_overwritten(client, estimate, advisor, part):
    client.force_login(advisor)
    opened = fresh(estimate).version
    client.post(edit_url(part), edit_post(part, opened, quantity="3"), **HTMX)
    before = state(estimate)
    response = client.post(edit_url(part), edit_post(part, opened, quantity="5"), **HTMX)
    html = response.content.decode()
    assert "changed by someone else" in html
    assert 'class="line-edit"' in html and 'value="5"' in html  # what was typed stays
    assert 'id="wo-version"' not in html  # the page keeps its old version: reload first
    assert state(estimate) == before
    assert Line.objects.get(pk=part.pk).quantity == Decimal("3.00")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": "-1"}, "Quantity cannot be negative."),
        ({"unit_price": "ten"}, "The price must be a number."),
        ({"description": ""}, "This field is required."),
        ({"discount": "500"}, "The discount cannot be more than the line"),
        ({"taxable": "maybe"}, "Select a valid choice."),
    ],
)
def test_a_bad_value_is_shown_in_the_row_and_changes_nothing(
    client, estimate, advisor, part, fields, message
):
    client.force_login(advisor)
    before = state(estimate)
    response = client.post(
        edit_url(part), edit_post(part, fresh(estimate).version, **fields), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'class="line-edit"' in html
    assert state(estimate) == before


def test_a_billed_out_invoice_refuses_the_edit(client, estimate, advisor, part, statuses):
    services.workorder_status_set(
        by=advisor, work_order=estimate, version=None, status=statuses[17]
    )
    client.force_login(advisor)
    before = state(estimate)
    response = client.post(
        edit_url(part), edit_post(part, fresh(estimate).version, quantity="2"), **HTMX
    )
    assert "billed out and locked" in response.content.decode()
    assert state(estimate) == before
    row = client.get(edit_url(part), **HTMX).content.decode()
    assert "line-edit" not in row and "Edit" not in row
    page = client.get(reverse("workorders:editor", args=[estimate.pk])).content.decode()
    assert edit_url(part) not in page


def test_cancel_draws_the_row_again(client, estimate, advisor, part):
    client.force_login(advisor)
    url = reverse("workorders:line_row", args=[estimate.pk, part.job_id, part.pk])
    html = client.get(url, **HTMX).content.decode()
    assert f'<tr id="line-{part.pk}">' in html and "Brake pads" in html
    assert f'hx-get="{edit_url(part)}"' in html


def test_without_htmx_the_editor_opens_the_row_and_the_save_redirects(
    client, estimate, advisor, part
):
    client.force_login(advisor)
    response = client.get(edit_url(part))
    editor = reverse("workorders:editor", args=[estimate.pk])
    assert response["Location"] == f"{editor}?edit_line={part.pk}#line-{part.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'<tr id="line-{part.pk}" class="line-edit">' in page
    response = client.post(
        edit_url(part), edit_post(part, fresh(estimate).version, description="Ceramic pads")
    )
    assert response["Location"] == f"{editor}#line-{part.pk}"
    assert Line.objects.get(pk=part.pk).description == "Ceramic pads"
    page = client.get(editor).content.decode()
    assert "Ceramic pads" in page and 'class="line-edit"' not in page


def test_a_line_of_another_job_is_not_found(client, estimate, advisor, job, part):
    other = services.job_add(by=advisor, work_order=estimate, version=None, title="Oil")
    client.force_login(advisor)
    url = reverse("workorders:line_edit", args=[estimate.pk, other.pk, part.pk])
    assert client.get(url, **HTMX).status_code == 404
    assert client.post(url, edit_post(part, fresh(estimate).version), **HTMX).status_code == 404


def test_saving_a_line_costs_the_same_queries_whatever_the_lines(
    client, estimate, advisor, job, part, django_assert_max_num_queries
):
    client.force_login(advisor)
    client.post(edit_url(part), edit_post(part, fresh(estimate).version, quantity="2"), **HTMX)
    with django_assert_max_num_queries(40) as few:
        client.post(edit_url(part), edit_post(part, fresh(estimate).version, quantity="3"), **HTMX)
    for _ in range(20):
        services.line_add(
            by=advisor,
            job=job,
            version=None,
            kind="fee",
            description="F",
            quantity="1",
            unit_price="1",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.post(
            edit_url(part), edit_post(part, fresh(estimate).version, quantity="4"), **HTMX
        )
    assert response.content.decode().count('<tr id="line-') == 1
    assert Line.objects.get(pk=part.pk).quantity == Decimal("4.00")
