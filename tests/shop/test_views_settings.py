from decimal import Decimal

import pytest
from django.urls import reverse

from shop.selectors import shop_profile_get

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Elm Street Garage",
    "address_line1": "5 Elm Street",
    "address_line2": "",
    "city": "Shelbyville",
    "state": "IL",
    "postcode": "62565",
    "phone": "217-555-0199",
    "reply_email": "desk@elm.example",
    "hours": "Mon–Fri 8–5",
    "tax_rate": "7.250",
    "labor_rate": "125.50",
}


def test_the_owner_saves_the_shop_settings(client, owner):
    client.force_login(owner)
    response = client.post(reverse("shop:settings"), VALID)
    assert response.status_code == 302
    profile = shop_profile_get()
    assert profile.name == "Elm Street Garage"
    assert profile.tax_rate == Decimal("7.250")
    assert profile.labor_rate == Decimal("125.50")
    assert "Elm Street Garage" in client.get(reverse("shop:menu")).content.decode()


def test_a_bad_tax_rate_is_refused_and_nothing_changes(client, owner):
    client.force_login(owner)
    before = shop_profile_get().name
    response = client.post(reverse("shop:settings"), {**VALID, "tax_rate": "45"})
    assert response.status_code == 200
    assert "less than or equal to 30" in response.content.decode()
    assert shop_profile_get().name == before


def test_an_advisor_cannot_change_them(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("shop:settings"), VALID)
    assert response.status_code == 403
    assert shop_profile_get().name != "Elm Street Garage"


def test_system_status_says_tasks_run_in_process_without_redis(client, owner, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(owner)
    assert "In-process" in client.get(reverse("shop:system_status")).content.decode()


def test_the_owner_sets_the_default_area_code(client, owner):
    client.force_login(owner)
    response = client.post(reverse("shop:settings"), {**VALID, "default_area_code": "217"})
    assert response.status_code == 302
    assert shop_profile_get().default_area_code == "217"


@pytest.mark.parametrize("code", ["21", "117", "abc"])
def test_a_bad_default_area_code_is_refused_and_nothing_changes(client, owner, code):
    client.force_login(owner)
    response = client.post(reverse("shop:settings"), {**VALID, "default_area_code": code})
    assert response.status_code == 200
    assert "An area code is three digits" in response.content.decode()
    assert shop_profile_get().default_area_code == ""


def test_an_advisor_cannot_set_the_default_area_code(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("shop:settings"), {**VALID, "default_area_code": "217"})
    assert response.status_code == 403
    assert shop_profile_get().default_area_code == ""
