import pytest
from django.urls import reverse

from customers.models import Customer, Vehicle
from customers.selectors import customer_search_ids
from tests.api.pages import ids, walk
from tests.customers.factories import (
    CustomerEmailFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    VehicleFactory,
)

pytestmark = pytest.mark.django_db


def test_it_lists_customers_with_phones_and_emails(client, advisor):
    customer = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=customer, number="(217) 555-0188", e164="+12175550188")
    CustomerEmailFactory(customer=customer, address="maria@example.com")
    client.force_login(advisor)
    [row] = client.get(reverse("customer-list")).json()["results"]
    assert row["display_name"] == "Maria Gonzalez"
    assert row["phones"][0]["e164"] == "+12175550188"
    assert row["emails"][0]["address"] == "maria@example.com"


def test_it_searches_and_filters(client, advisor):
    maria = CustomerFactory(first_name="Maria", last_name="Gonzalez", city="Decatur")
    CustomerPhoneFactory(customer=maria, number="217-555-0188", e164="+12175550188")
    other = CustomerFactory(last_name="Other", city="Peoria", is_ar=True)
    client.force_login(advisor)
    url = reverse("customer-list")
    assert [r["id"] for r in client.get(url, {"q": "0188"}).json()["results"]] == [maria.pk]
    assert [r["id"] for r in client.get(url, {"city": "decatur"}).json()["results"]] == [maria.pk]
    assert ids(walk(client, url, {"is_ar": "true"})) == [other.pk]


def test_a_search_answers_its_best_matches_first_in_one_page(client, advisor):
    for first_name in ["Dana", "Danny", "Zed"]:
        CustomerFactory(first_name=first_name, last_name="Brooks")
    CustomerFactory(first_name="Dana", last_name="Young")
    client.force_login(advisor)
    best_first = customer_search_ids("Brooks", limit=100)
    assert len(best_first) == 3

    page = client.get(reverse("customer-list"), {"q": "Brooks", "page_size": 1}).json()

    assert ids(page["results"]) == best_first  # the search's order, not the cursor's
    assert page["next"] is None and page["previous"] is None


def test_the_customer_list_has_a_fixed_number_of_queries(
    client, advisor, django_assert_max_num_queries
):
    def make(count):
        for _ in range(count):
            customer = CustomerFactory()
            CustomerPhoneFactory(customer=customer)
            CustomerEmailFactory(customer=customer)

    make(2)
    client.force_login(advisor)
    url = reverse("customer-list")
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url, {"page_size": 50})
    make(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"page_size": 50})
    page = response.json()
    assert len(page["results"]) == 50 and page["next"]
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(page["next"]).json()["results"]) == 12


def test_the_customer_cursor_walks_every_row_once_newest_first(client, advisor):
    made = [CustomerFactory().pk for _ in range(7)]
    client.force_login(advisor)
    seen = ids(walk(client, reverse("customer-list"), {"page_size": 3}))
    assert seen == sorted(made, reverse=True)
    assert ids(walk(client, reverse("customer-list"), {"page_size": 3, "city": "nowhere"})) == []


def test_it_creates_a_customer_through_the_services(client, advisor):
    client.force_login(advisor)
    response = client.post(
        reverse("customer-list"),
        {
            "first_name": "Dana",
            "last_name": "Brooks",
            "phones": [{"number": "217.555.0101", "kind": "cell"}],
            "emails": [{"address": "dana@example.com"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["phones"][0]["e164"] == "+12175550101"
    assert Customer.objects.get().emails.get().address == "dana@example.com"


def test_it_refuses_an_unparseable_phone_with_a_400(client, advisor):
    client.force_login(advisor)
    response = client.post(
        reverse("customer-list"),
        {"last_name": "Brooks", "phones": [{"number": "nope", "kind": "cell"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "is not a phone number" in response.json()["phones-0-number"][0]
    assert not Customer.objects.exists()


def test_it_refuses_a_technician_reads_and_writes(client, technician):
    client.force_login(technician)
    response = client.get(reverse("customer-list"))
    assert response.status_code == 403
    assert "Look up customers" in response.json()["detail"]
    assert client.get(reverse("vehicle-list")).status_code == 403


def test_a_level_four_employee_reads_but_the_owner_sets_writes_higher(client, employee_at):
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.filter(code="edit_customers").update(level=2)
    client.force_login(employee_at(4))
    assert client.get(reverse("customer-list")).status_code == 200
    response = client.post(
        reverse("customer-list"), {"last_name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_it_lists_and_filters_vehicles(client, advisor, django_assert_max_num_queries):
    vehicle = VehicleFactory(plate="MRG417", vin="1HGCM82633A004352")
    disabled = VehicleFactory(is_active=False)
    client.force_login(advisor)
    url = reverse("vehicle-list")
    assert [r["id"] for r in client.get(url, {"plate": "mrg 417"}).json()["results"]] == [
        vehicle.pk
    ]
    assert ids(walk(client, url, {"vin": "1hgcm82633a004352"})) == [vehicle.pk]
    assert ids(walk(client, url, {"is_active": "false", "page_size": 1})) == [disabled.pk]
    with django_assert_max_num_queries(6) as few:
        client.get(url, {"page_size": 10})
    more = [VehicleFactory().pk for _ in range(20)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url, {"page_size": 10}).json()["results"]) == 10
    seen = ids(walk(client, url, {"page_size": 10}))
    assert seen == sorted([vehicle.pk, disabled.pk, *more], reverse=True)
    active = ids(walk(client, url, {"is_active": "true", "page_size": 4}))
    assert active == sorted([vehicle.pk, *more], reverse=True)


def test_it_adds_a_vehicle_and_refuses_an_invalid_vin(client, advisor):
    customer = CustomerFactory()
    client.force_login(advisor)
    url = reverse("vehicle-list")
    response = client.post(
        url, {"customer": customer.pk, "vin": "1HGCM82633A004352"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert (response.json()["year"], response.json()["make"]) == (2003, "Honda")
    bad = client.post(
        url, {"customer": customer.pk, "vin": "1HGCM82643A004352"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "check digit" in bad.json()["vin"][0]
    assert Vehicle.objects.count() == 1


def test_it_disables_a_vehicle_by_patch(client, advisor):
    vehicle = VehicleFactory()
    client.force_login(advisor)
    response = client.patch(
        reverse("vehicle-detail", args=[vehicle.pk]),
        {"is_active": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert not Vehicle.objects.get(pk=vehicle.pk).is_active


def test_the_schema_describes_customers_and_vehicles(client):
    paths = client.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert "/api/v1/customers/" in paths and "/api/v1/vehicles/" in paths


def test_it_creates_a_customer_with_a_seven_digit_phone(client, advisor):
    from shop.models import ShopProfile

    ShopProfile.objects.update_or_create(pk=1, defaults={"name": "A", "default_area_code": "217"})
    client.force_login(advisor)
    response = client.post(
        reverse("customer-list"),
        {"last_name": "Brooks", "phones": [{"number": "555-0188", "kind": "cell"}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["phones"][0]["e164"] == "+12175550188"


def test_it_refuses_a_bad_seven_digit_phone_with_a_400(client, advisor):
    from shop.models import ShopProfile

    ShopProfile.objects.update_or_create(pk=1, defaults={"name": "A", "default_area_code": "217"})
    client.force_login(advisor)
    response = client.post(
        reverse("customer-list"),
        {"last_name": "Brooks", "phones": [{"number": "555-01", "kind": "cell"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "is not a valid phone number" in response.json()["phones-0-number"][0]
    assert not Customer.objects.exists()


def test_it_refuses_a_vin_on_another_vehicle_unless_confirmed(client, advisor):
    from tests.customers.factories import VehicleFactory

    VehicleFactory(vin="1HGCM82633A004352")
    customer = CustomerFactory()
    client.force_login(advisor)
    url = reverse("vehicle-list")
    refused = client.post(
        url, {"customer": customer.pk, "vin": "1HGCM82633A004352"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "is already on" in refused.json()["vin"][0]
    assert not customer.vehicles.exists()
    saved = client.post(
        url,
        {"customer": customer.pk, "vin": "1HGCM82633A004352", "vin_elsewhere_confirmed": True},
        content_type="application/json",
    )
    assert saved.status_code == 201, saved.content
    assert "vin_elsewhere_confirmed" not in saved.json()
