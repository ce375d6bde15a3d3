"""The work orders' named events (workorders.events): which services send them, with what,
inside their transaction. Other apps react to these, never to a raw save."""

from __future__ import annotations

import pytest
from django.db import transaction

from workorders import events, services
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every work_order_created and work_order_changed sent during the test, in order."""
    received: list[tuple[str, dict]] = []

    def created(sender, **kwargs):
        received.append(("created", kwargs))

    def changed(sender, **kwargs):
        received.append(("changed", kwargs))

    events.work_order_created.connect(created, dispatch_uid="test.created")
    events.work_order_changed.connect(changed, dispatch_uid="test.changed")
    yield received
    events.work_order_created.disconnect(dispatch_uid="test.created")
    events.work_order_changed.disconnect(dispatch_uid="test.changed")


def test_it_sends_created_once_for_a_new_work_order(sent, statuses, shop_rates, vehicle, advisor):
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, concern="Pulls left")
    [(name, kwargs)] = sent
    assert name == "created"
    assert kwargs["work_order"] == work_order and kwargs["by"] == advisor
    # Sent after the row and its first status change were written.
    assert kwargs["work_order"].status_changes.count() == 1


def test_each_change_to_a_work_order_its_jobs_and_lines_sends_changed(
    estimate, advisor, statuses, sent
):
    services.workorder_update(by=advisor, work_order=estimate, version=None, concern="Squeal")
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Brakes")
    line = services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="labor",
        description="Pads",
        quantity="1",
        unit_price="120",
    )
    services.line_update(by=advisor, line=line, version=None, quantity="2")
    services.workorder_priority_set(by=advisor, work_order=estimate, priority=3)
    services.workorder_status_set(by=advisor, work_order=estimate, version=None, status=statuses[7])
    names = [name for name, _kwargs in sent]
    assert names == ["changed"] * len(sent) and len(sent) >= 6
    versions = [kwargs["work_order"].version for _name, kwargs in sent]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert versions[-1] == WorkOrder.objects.get(pk=estimate.pk).version
    assert sent[0][1]["fields"] == ["concern", "version", "updated_at"]
    assert "status" in sent[-1][1]["fields"]


def test_a_refused_change_sends_nothing_and_a_raw_save_sends_nothing(estimate, advisor, sent):
    from shop.errors import ServiceError

    with pytest.raises(ServiceError):
        services.workorder_update(by=advisor, work_order=estimate, version=None, odometer_in=-5)
    # The events come from the services: a save outside them (a fixture, a data fix) is
    # no event, as a bulk update never was.
    estimate.concern = "Typed in the shell"
    estimate.save()
    assert sent == []


def test_events_are_sent_inside_the_transaction(estimate, advisor):
    seen = []

    def changed(sender, work_order, **kwargs):
        seen.append(transaction.get_connection().in_atomic_block)

    events.work_order_changed.connect(changed, dispatch_uid="test.inside")
    try:
        services.workorder_update(by=advisor, work_order=estimate, version=None, concern="Tick")
    finally:
        events.work_order_changed.disconnect(dispatch_uid="test.inside")
    assert seen == [True]
