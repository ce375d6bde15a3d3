import pytest
from django.urls import reverse

from customers.duplicates import find_duplicate_groups
from customers.models import Customer, UtilityLogEntry
from tests.customers.factories import CustomerEmailFactory, CustomerFactory, CustomerPhoneFactory

pytestmark = pytest.mark.django_db


def person(first, last, phone=None, email=None, street="12 Maple Drive", postcode="61820", **kw):
    customer = CustomerFactory(
        first_name=first, last_name=last, address_line1=street, postcode=postcode, **kw
    )
    if phone:
        CustomerPhoneFactory(customer=customer, number=phone, e164=phone)
    if email:
        CustomerEmailFactory(customer=customer, address=email)
    return customer


def test_it_finds_a_misspelled_duplicate_by_phone():
    original = person("Regina", "Goodman", phone="+12175550110")
    again = person("Rigina", "Goodman", phone="+12175550110", street="9 Oak St")
    [group] = find_duplicate_groups()
    assert group.ids == [original.pk, again.pk]
    assert group.reasons == ["similar name", "same phone"]
    assert 80 <= group.score <= 100


def test_it_finds_a_duplicate_by_email_or_by_address():
    a = person("James", "Whitfield", email="jw@example.com", street="77 Lincoln Avenue")
    b = person("James", "Whitfeld", email="JW@example.com", street="5 Elm Street")
    c = person("Nina", "Patel", street="450 Meadow Lane")
    d = person("Nina", "Patel", street="450 Meadow Ln")
    assert sorted(g.ids for g in find_duplicate_groups()) == [[a.pk, b.pk], [c.pk, d.pk]]


def test_it_does_not_propose_family_members_or_namesakes():
    main = person("Thomas", "Keller", phone="+13095550140")
    person("Susan", "Keller", phone="+13095550140")  # spouse: same phone, another first name
    person("Thomas", "Keller", phone="+13095559999", street="1 Other Road")  # a namesake
    person("Tom", "Kellar", phone="+13095550140", household_main=main)  # linked as family
    assert find_duplicate_groups() == []


def test_it_groups_three_records_of_one_person():
    ids = [
        person(first, "Brooks", phone="+12175550176").pk for first in ("Angela", "Angla", "Angela")
    ]
    [group] = find_duplicate_groups()
    assert group.ids == sorted(ids)


def test_the_page_proposes_and_combines_only_the_ticked_groups(client, employee_at):
    manager = employee_at(2)
    keep = person("Regina", "Goodman", phone="+12175550110")
    dup = person("Rigina", "Goodman", phone="+12175550110")
    other_keep = person("Angela", "Brooks", phone="+12175550176")
    other_dup = person("Angela", "Brookes", phone="+12175550176")
    client.force_login(manager)
    page = client.get(reverse("customers:combine_automatic"), {"run": "1"}).content.decode()
    assert "2 groups of likely duplicates" in page
    assert f'value="{keep.pk},{dup.pk}"' in page
    response = client.post(
        reverse("customers:combine_automatic"), {"group": f"{keep.pk},{dup.pk}"}, follow=True
    )
    assert "1 duplicate customer combined" in response.content.decode()
    assert not Customer.objects.filter(pk=dup.pk).exists()
    assert Customer.objects.filter(pk__in=[other_keep.pk, other_dup.pk]).count() == 2
    assert UtilityLogEntry.objects.count() == 1


def test_the_page_refuses_an_advisor(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("customers:combine_automatic")).status_code == 403


def test_it_reads_a_nickname_as_the_full_name():
    robert = person("Robert", "Chen", phone="+12175550110")
    bob = person("Bob", "Chen", phone="+12175550110")
    [group] = find_duplicate_groups()
    assert group.ids == [robert.pk, bob.pk]
