"""Where a login lands after logging in."""

import pytest
from django.urls import reverse

from fleet.models import FleetCompany, FleetUser
from shop.models import User

pytestmark = pytest.mark.django_db


def test_a_fleet_login_lands_on_its_portal(client):
    company = FleetCompany.objects.create(name="Rapid Rentals", fleet_company_id="RR-1")
    login = User.objects.create_user("fleetuser", password="a-long-password-77")
    FleetUser.objects.create(user=login, company=company)
    client.force_login(login)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("fleet:portal")


def test_a_login_that_is_neither_employee_nor_fleet_is_refused(client):
    client.force_login(User.objects.create_user("nobody", password="a-long-password-77"))
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "employees" in response.content.decode()
