"""The printed estimate, repair order and invoice."""

from __future__ import annotations

import pytest

from tests.workorders.factories import brake_package
from workorders import selectors
from workorders.documents import work_order_html
from workorders.models import Stage
from workorders.services import job_add, job_add_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def brakes_and_an_empty_job(estimate, advisor):
    job_add_package(by=advisor, work_order=estimate, version=None,
                    package=brake_package(name="Front brakes"))  # fmt: skip
    job_add(by=advisor, work_order=estimate, version=None, title="Look at the rattle")
    return selectors.work_order_for_editor(estimate.pk)


@pytest.mark.parametrize("stage", [Stage.ESTIMATE, Stage.INVOICE])
def test_an_empty_job_does_not_print_on_estimates_and_invoices(brakes_and_an_empty_job, stage):
    work_order = brakes_and_an_empty_job
    work_order.stage = stage
    html = work_order_html(work_order)
    assert "Front brakes" in html and "Replace front pads" in html
    assert "Look at the rattle" not in html


def test_the_repair_order_still_shows_the_empty_job_to_the_technician(brakes_and_an_empty_job):
    work_order = brakes_and_an_empty_job
    work_order.stage = Stage.REPAIR_ORDER
    html = work_order_html(work_order)
    assert "Front brakes" in html and "Look at the rattle" in html
