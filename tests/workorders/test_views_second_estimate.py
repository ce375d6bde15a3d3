"""A second open estimate for one vehicle is started only knowing the first (issue 14.9)."""

import pytest
from django.urls import reverse

from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


def test_the_new_estimate_page_warns_of_the_vehicles_open_estimate(
    client, advisor, estimate, vehicle
):
    client.force_login(advisor)
    page = client.get(reverse("workorders:new"), {"vehicle": vehicle.pk}).content.decode()
    assert "already has an open estimate" in page
    assert f'href="{reverse("workorders:editor", args=[estimate.pk])}"' in page
    assert f'href="{reverse("customers:detail", args=[vehicle.customer_id])}"' in page
    assert 'name="second_estimate" value="1">Start another estimate anyway</button>' in page


def test_a_second_estimate_is_not_started_without_the_choice(client, advisor, estimate, vehicle):
    client.force_login(advisor)
    response = client.post(reverse("workorders:new"), {"vehicle": vehicle.pk, "concern": "Noise"})
    assert response["Location"] == f"{reverse('workorders:new')}?vehicle={vehicle.pk}"
    assert WorkOrder.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "already has an open estimate: open it, or start another" in page


def test_a_second_estimate_is_started_when_chosen(client, advisor, estimate, vehicle):
    client.force_login(advisor)
    response = client.post(
        reverse("workorders:new"),
        {"vehicle": vehicle.pk, "concern": "Noise", "second_estimate": "1"},
    )
    assert response.status_code == 302
    assert WorkOrder.objects.filter(vehicle=vehicle).count() == 2


def test_a_repair_order_is_not_an_open_estimate(client, advisor, statuses, shop_rates):
    vehicle = VehicleFactory()
    services.workorder_create(by=advisor, vehicle=vehicle, status=statuses[6])
    client.force_login(advisor)
    page = client.get(reverse("workorders:new"), {"vehicle": vehicle.pk}).content.decode()
    assert "open estimate" not in page
    response = client.post(reverse("workorders:new"), {"vehicle": vehicle.pk, "concern": "Noise"})
    assert response.status_code == 302
    assert WorkOrder.objects.filter(vehicle=vehicle).count() == 2


def test_a_technician_cannot_start_an_estimate(client, technician, estimate, vehicle):
    client.force_login(technician)
    response = client.post(
        reverse("workorders:new"), {"vehicle": vehicle.pk, "second_estimate": "1"}
    )
    assert response.status_code == 403
    assert WorkOrder.objects.count() == 1
