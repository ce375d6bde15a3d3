import pytest

from customers import services
from customers.models import Customer, CustomerPhone, Vehicle
from shop.errors import ServiceError
from tests.customers.factories import CustomerFactory, CustomerPhoneFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_customer_with_normalized_phones_and_emails(advisor):
    customer = services.customer_create(
        by=advisor,
        first_name="Maria",
        last_name="Gonzalez",
        text_consent=True,
        phones=[
            {"number": "217.555.0188", "kind": "cell"},
            {"number": "2175550199", "kind": "home"},
        ],
        emails=[{"address": "maria@example.com"}],
    )
    assert [(p.number, p.e164, p.kind) for p in customer.phones.all()] == [
        ("217.555.0188", "+12175550188", "cell"),
        ("2175550199", "+12175550199", "home"),
    ]
    assert customer.emails.get().address == "maria@example.com"
    assert customer.text_consent_at is not None
    assert customer.search_name.strip() == "maria gonzalez"


def test_it_refuses_an_unparseable_phone_and_saves_nothing(advisor):
    with pytest.raises(ServiceError) as error:
        services.customer_create(
            by=advisor, last_name="Nobody", phones=[{"number": "call me", "kind": "cell"}]
        )
    assert error.value.field == "phones-0-number"
    assert not Customer.objects.exists()


def test_it_needs_a_name(advisor):
    with pytest.raises(ServiceError, match="name"):
        services.customer_create(by=advisor, kind="person", first_name="", last_name="")
    with pytest.raises(ServiceError, match="company needs"):
        services.customer_create(by=advisor, kind="company", first_name="Al")


def test_it_updates_phones_by_id_adding_and_removing(advisor):
    customer = CustomerFactory()
    kept = CustomerPhoneFactory(customer=customer, number="(217) 555-0101", e164="+12175550101")
    gone = CustomerPhoneFactory(customer=customer, number="(217) 555-0102", e164="+12175550102")
    services.customer_update(
        by=advisor,
        customer=customer,
        last_name="Renamed",
        phones=[
            {"id": kept.pk, "number": "217 555 0111", "kind": "home"},
            {"number": "+1 309 555 0123", "kind": "work"},
        ],
        emails=[],
    )
    assert not CustomerPhone.objects.filter(pk=gone.pk).exists()
    kept.refresh_from_db()
    assert (kept.e164, kept.kind) == ("+12175550111", "home")
    assert customer.phones.count() == 2
    customer.refresh_from_db()
    assert customer.last_name == "Renamed"


def test_consent_is_stamped_when_given_and_cleared_when_withdrawn(advisor):
    customer = services.customer_create(by=advisor, last_name="Lee", email_consent=True)
    assert customer.email_consent_at is not None
    customer = services.customer_update(by=advisor, customer=customer, email_consent=False)
    assert customer.email_consent_at is None


def test_a_family_member_links_to_the_main_customer_only(advisor):
    main = CustomerFactory()
    member = services.customer_create(by=advisor, last_name="Kid", household_main=main)
    assert member.household_main == main
    with pytest.raises(ServiceError, match="main customer of that household"):
        services.customer_create(by=advisor, last_name="Grandkid", household_main=member)


def test_it_adds_a_vehicle_decoding_year_and_make_from_the_vin(advisor):
    customer = CustomerFactory()
    vehicle = services.vehicle_create(
        by=advisor, customer=customer, vin="1hgcm82633a004352", plate="mrg 417", model="Accord"
    )
    assert (vehicle.vin, vehicle.year, vehicle.make, vehicle.plate) == (
        "1HGCM82633A004352",
        2003,
        "Honda",
        "MRG417",
    )
    assert vehicle.annual_mileage == 13000


def test_it_refuses_an_invalid_vin_and_saves_nothing(advisor):
    customer = CustomerFactory()
    with pytest.raises(ServiceError, match="check digit"):
        services.vehicle_create(by=advisor, customer=customer, vin="1HGCM82643A004352")
    assert not Vehicle.objects.exists()


def test_it_refuses_the_same_vin_twice_on_one_customer(advisor):
    vehicle = VehicleFactory()
    with pytest.raises(ServiceError, match="already has"):
        services.vehicle_create(by=advisor, customer=vehicle.customer, vin=vehicle.vin)


def test_it_disables_and_enables_a_vehicle(advisor):
    vehicle = VehicleFactory()
    services.vehicle_set_active(by=advisor, vehicle=vehicle, active=False)
    assert Vehicle.objects.get(pk=vehicle.pk).is_active is False
    services.vehicle_set_active(by=advisor, vehicle=vehicle, active=True)
    assert Vehicle.objects.get(pk=vehicle.pk).is_active is True
