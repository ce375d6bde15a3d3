import pytest

from shop.errors import ServiceError
from tests.workorders.factories import VehicleFactory
from workorders import selectors, services
from workorders.models import Stage, Status

pytestmark = pytest.mark.django_db


def test_it_maps_the_default_ranges_to_stages(statuses):
    assert services.stage_for_number(1) == Stage.ESTIMATE
    assert services.stage_for_number(5) == Stage.ESTIMATE
    assert services.stage_for_number(6) == Stage.REPAIR_ORDER
    assert services.stage_for_number(16) == Stage.REPAIR_ORDER
    assert services.stage_for_number(17) == Stage.INVOICE


def test_it_refuses_a_status_number_in_no_range(owner, statuses):
    with pytest.raises(ServiceError, match="Status number 18 is in no stage range"):
        services.status_create(by=owner, number=18, name="Towed away")
    assert not Status.objects.filter(number=18).exists()


def test_it_follows_changed_ranges(owner, statuses):
    services.workorder_settings_update(by=owner, invoice_from=17, invoice_to=20)
    status = services.status_create(by=owner, number=18, name="Paid by card")
    assert services.stage_for_number(status.number) == Stage.INVOICE


def test_it_refuses_overlapping_ranges(owner, statuses):
    with pytest.raises(ServiceError, match="overlap"):
        services.workorder_settings_update(by=owner, estimate_to=6)
    assert selectors.workorder_settings_get().estimate_to == 5


def test_it_refuses_ranges_that_would_move_a_status_in_use(owner, advisor, statuses, shop_rates):
    services.workorder_create(by=advisor, vehicle=VehicleFactory(), status=statuses[5])
    with pytest.raises(ServiceError, match="used by work orders"):
        services.workorder_settings_update(by=owner, estimate_to=4, repair_order_from=5)
    assert selectors.workorder_settings_get().estimate_to == 5


def test_it_refuses_ranges_that_leave_a_status_outside(owner, statuses):
    with pytest.raises(ServiceError, match="in no range"):
        services.workorder_settings_update(by=owner, invoice_from=18, invoice_to=18)


def test_it_refuses_a_duplicate_number(owner, statuses):
    with pytest.raises(ServiceError, match="already used"):
        services.status_create(by=owner, number=7, name="Again")


def test_a_count_down_status_needs_its_minutes(owner, statuses):
    Status.objects.filter(number=15).delete()
    with pytest.raises(ServiceError, match="default number of minutes"):
        services.status_create(by=owner, number=15, name="Timed", time_display="count_down")


def test_it_refuses_to_delete_a_status_in_use(owner, advisor, statuses, shop_rates):
    services.workorder_create(by=advisor, vehicle=VehicleFactory())
    with pytest.raises(ServiceError, match="is the status of 1 work order"):
        services.status_delete(by=owner, status=statuses[1])
    assert Status.objects.filter(number=1).exists()


def test_it_deletes_a_status_nobody_uses(owner, statuses):
    services.status_delete(by=owner, status=statuses[15])
    assert not Status.objects.filter(number=15).exists()


def test_it_refuses_a_renumbering_that_changes_the_stage_of_a_status_in_use(
    owner, advisor, statuses, shop_rates
):
    Status.objects.filter(number=4).delete()
    services.workorder_create(by=advisor, vehicle=VehicleFactory(), status=statuses[7])
    with pytest.raises(ServiceError, match="another stage"):
        services.status_update(by=owner, status=statuses[7], number=4)
    services.status_update(by=owner, status=statuses[7], name="Working")
    assert Status.objects.get(number=7).name == "Working"


def test_it_refuses_a_bad_colour(owner, statuses):
    with pytest.raises(ServiceError):
        services.status_update(by=owner, status=statuses[3], colour="red")
