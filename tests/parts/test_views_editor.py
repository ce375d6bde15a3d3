"""The editor's parts typeahead (contributed to workorders' add-line form) and adding the
picked part through parts; a part's stock forms, each with its own security function."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parts.models import PartLine, StockMovement
from tests.parts.factories import PartFactory
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def battery(matrix):
    return PartFactory(
        number="BAT-H6",
        description="Battery, group H6",
        category="Electrical",
        cost=Decimal("118.00"),
        core_charge=Decimal("18.00"),
    )


def _line_post(job, battery, **changes) -> dict:
    version = WorkOrder.objects.get(pk=job.work_order_id).version
    return {
        "version": version,
        "kind": "part",
        "part_number": battery.number,
        "description": battery.description,
        "quantity": "1",
        "unit_price": "196.67",
        "unit_cost": "118.00",
        "discount": "",
        "taxable": "yes",
        "catalog_part": battery.pk,
        **changes,
    }


def test_the_editor_draws_the_typeahead_for_who_may_see_the_parts_list(
    client, brake_job, employee_at
):
    url = reverse("workorders:editor", args=[brake_job.work_order_id])
    client.force_login(employee_at(4))
    html = client.get(url).content.decode()
    assert html.count("data-part-pick") == 1 and html.count("js/parts.js") == 1
    assert reverse("parts:line_add", args=[brake_job.work_order_id, brake_job.pk]) in html


def test_the_editor_has_no_typeahead_below_the_parts_lists_level(
    client, brake_job, employee_at, settings
):
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.update_or_create(
        code="view_parts", defaults={"level": 3, "name": "Parts list", "area": "Parts",
                                     "default_level": 4},
    )  # fmt: skip
    client.force_login(employee_at(4))
    html = client.get(reverse("workorders:editor", args=[brake_job.work_order_id])).content
    assert b"data-part-pick" not in html and b"<form" in html


def test_a_picked_part_is_added_with_its_core_charge_for_htmx(client, brake_job, advisor, battery):
    client.force_login(advisor)
    url = reverse("parts:line_add", args=[brake_job.work_order_id, brake_job.pk])
    response = client.post(url, _line_post(brake_job, battery), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Core charge: Battery, group H6" in html and "catalog" in html
    assert 'id="wo-totals"' in html and 'id="wo-version"' in html
    line = Line.objects.get(job=brake_job, kind="part")
    assert PartLine.objects.get(line=line).part == battery


def test_a_changed_price_is_kept_and_marked_as_an_override(client, brake_job, advisor, battery):
    client.force_login(advisor)
    url = reverse("parts:line_add", args=[brake_job.work_order_id, brake_job.pk])
    client.post(url, _line_post(brake_job, battery, unit_price="179.99"), HTTP_HX_REQUEST="true")
    line = Line.objects.get(job=brake_job, kind="part")
    assert line.unit_price == Decimal("179.99")
    html = client.get(reverse("workorders:editor", args=[brake_job.work_order_id])).content
    assert b"price override" in html and b"The parts list price is $196.67" in html


def test_a_bad_quantity_is_shown_beside_its_field_and_keeps_the_part_picked(
    client, brake_job, advisor, battery
):
    client.force_login(advisor)
    url = reverse("parts:line_add", args=[brake_job.work_order_id, brake_job.pk])
    response = client.post(
        url, _line_post(brake_job, battery, quantity="-2"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Quantity cannot be negative." in html
    assert f'name="catalog_part" value="{battery.pk}"' in html
    assert not Line.objects.filter(job=brake_job).exists()


def test_a_forged_or_vanished_part_adds_nothing(client, brake_job, advisor, battery):
    client.force_login(advisor)
    url = reverse("parts:line_add", args=[brake_job.work_order_id, brake_job.pk])
    response = client.post(
        url, _line_post(brake_job, battery, catalog_part="999999"), HTTP_HX_REQUEST="true"
    )
    assert "no longer in the catalog" in response.content.decode()
    response = client.post(url, _line_post(brake_job, battery, catalog_part="x"))
    assert response.status_code == 302
    assert not Line.objects.filter(job=brake_job).exists()


def test_a_job_of_another_work_order_is_not_found(client, brake_job, advisor, battery):
    client.force_login(advisor)
    url = reverse("parts:line_add", args=[brake_job.work_order_id + 1000, brake_job.pk])
    assert client.post(url, _line_post(brake_job, battery)).status_code == 404


def test_it_refuses_an_employee_who_may_not_write_work_orders(
    client, brake_job, employee_at, battery
):
    client.force_login(employee_at(5))
    url = reverse("parts:line_add", args=[brake_job.work_order_id, brake_job.pk])
    assert client.post(url, _line_post(brake_job, battery)).status_code == 403
    assert not Line.objects.filter(job=brake_job).exists()


def test_the_editor_queries_do_not_grow_with_catalog_lines(
    client, brake_job, advisor, battery, django_assert_max_num_queries
):
    from parts import services

    services.part_line_add(by=advisor, job=brake_job, version=None, part=battery)
    client.force_login(advisor)
    url = reverse("workorders:editor", args=[brake_job.work_order_id])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(5):
        services.part_line_add(by=advisor, job=brake_job, version=None, part=battery)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


class TestStockForms:
    def test_a_receipt_is_posted_by_who_may_receive(self, client, employee_at):
        part = PartFactory()
        client.force_login(employee_at(3))
        response = client.post(
            reverse("parts:stock", args=[part.pk, "receive"]),
            {"quantity": "4", "unit_cost": "27.50", "reason": "Slip 1182"},
        )
        assert response.status_code == 302
        assert StockMovement.objects.get().quantity == 4

    def test_an_adjustment_needs_its_own_function(self, client, employee_at):
        part = PartFactory()
        client.force_login(employee_at(3))
        url = reverse("parts:stock", args=[part.pk, "adjust"])
        response = client.post(url, {"quantity": "-1", "reason": "Damaged"})
        assert response.status_code == 403 and "Adjust stock" in response.content.decode()
        client.force_login(employee_at(2))
        assert client.post(url, {"quantity": "-1", "reason": "Damaged"}).status_code == 302
        assert StockMovement.objects.get().quantity == -1

    def test_an_adjustment_without_a_reason_says_so(self, client, employee_at):
        part = PartFactory()
        client.force_login(employee_at(2))
        response = client.post(
            reverse("parts:stock", args=[part.pk, "adjust"]), {"quantity": "2", "reason": ""}
        )
        assert response.status_code == 400 and "This field is required" in response.content.decode()
        assert not StockMovement.objects.exists()

    def test_a_count_below_zero_is_refused(self, client, employee_at):
        part = PartFactory()
        client.force_login(employee_at(3))
        response = client.post(reverse("parts:stock", args=[part.pk, "count"]), {"counted": "-3"})
        assert response.status_code == 400
        assert "The count cannot be negative." in response.content.decode()
        assert not StockMovement.objects.exists()

    def test_a_receipt_is_refused_below_its_level_and_an_unknown_action_is_not_found(
        self, client, employee_at
    ):
        part = PartFactory()
        client.force_login(employee_at(4))
        url = reverse("parts:stock", args=[part.pk, "receive"])
        assert client.post(url, {"quantity": "1"}).status_code == 403
        assert client.post(reverse("parts:stock", args=[part.pk, "steal"])).status_code == 404
        assert not StockMovement.objects.exists()
