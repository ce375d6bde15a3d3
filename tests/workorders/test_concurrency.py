"""Two advisors saving the same work order at the same moment, on PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection, connections

from shop.errors import ServiceError
from workorders import services
from workorders.models import WorkOrder

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_exactly_one_of_two_simultaneous_saves_wins(estimate, advisor, owner):
    opened = estimate.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name, by):
        try:
            barrier.wait()
            services.workorder_update(by=by, work_order=estimate, version=opened, concern=name)
            outcomes[name] = "saved"
        except ServiceError as error:
            outcomes[name] = error.code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(name, by))
        for name, by in [("first", advisor), ("second", owner)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    saved = WorkOrder.objects.get(pk=estimate.pk)
    assert saved.concern == winner and saved.version == opened + 1
