import pytest
from django.db import connection

from customers.selectors import customer_search, customers_with_phone
from shop.errors import ServiceError
from tests.customers.factories import CustomerFactory, CustomerPhoneFactory, VehicleFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm similarity runs on PostgreSQL"
)


@pytest.fixture
def shop_customers():
    maria = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=maria, number="(217) 555-0188", e164="+12175550188")
    VehicleFactory(customer=maria, plate="MRG417", vin="1HGCM82633A004352")
    james = CustomerFactory(first_name="James", last_name="Whitfield")
    CustomerPhoneFactory(customer=james, number="217-555-0133", e164="+12175550133")
    company = CustomerFactory(
        kind="company", first_name="", last_name="", company_name="Sangamon Plumbing"
    )
    return {"maria": maria, "james": james, "company": company}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("gonzalez", "maria"),
        ("Maria Gonz", "maria"),
        ("whit", "james"),
        ("(217) 555-0188", "maria"),
        ("217.555.0188", "maria"),
        ("+1 217 555 0133", "james"),
        ("0133", "james"),
        ("5550188", "maria"),
        ("mrg 417", "maria"),
        ("MRG", "maria"),
        ("1HGCM82633A004352", "maria"),
        ("A004352", "maria"),
        ("sangamon", "company"),
    ],
)
def test_it_finds_by_name_phone_plate_or_vin(shop_customers, query, who):
    assert customer_search(query)[0] == shop_customers[who]


@on_postgres
@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("gonzales", "maria"),
        ("Whitfeild", "james"),
        ("jmes whitfield", "james"),
        ("Sangamn", "company"),
    ],
)
def test_it_tolerates_typos_in_names_on_postgresql(shop_customers, query, who):
    assert shop_customers[who] in customer_search(query)


def test_it_finds_nothing_for_too_short_or_unknown_input(shop_customers):
    assert customer_search("") == []
    assert customer_search("z") == []
    assert customer_search("9999") == []


def test_search_has_a_fixed_number_of_queries(shop_customers, django_assert_max_num_queries):
    for _ in range(30):
        CustomerPhoneFactory(customer=CustomerFactory(last_name="Gonzalez"))
    with django_assert_max_num_queries(6):
        results = customer_search("gonzalez")
        assert len(results) == 20
        [list(c.phones.all()) + list(c.vehicles.all()) for c in results]


def test_the_counter_finds_a_customer_by_any_of_their_phones(shop_customers):
    CustomerPhoneFactory(
        customer=shop_customers["maria"], kind="work", number="309 555 0100", e164="+13095550100"
    )
    e164, found = customers_with_phone("(309) 555-0100")
    assert e164 == "+13095550100"
    assert found == [shop_customers["maria"]]


def test_the_counter_refuses_a_number_it_cannot_read(shop_customers):
    with pytest.raises(ServiceError):
        customers_with_phone("abc")
