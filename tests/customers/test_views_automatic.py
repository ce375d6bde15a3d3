"""Automatic Combine Customers, the page: two tiers, each pair's evidence, the family
shortcut, and bad input that changes nothing."""

import re

import pytest
from django.urls import reverse

from customers.models import Customer, UtilityLogEntry
from tests.customers.factories import CustomerFactory, CustomerPhoneFactory

pytestmark = pytest.mark.django_db
URL = reverse("customers:combine_automatic")


@pytest.fixture
def manager(employee_at):
    return employee_at(2, role="manager", username="manager")


def person(first, last, *phones, street="12 Maple Drive"):
    customer = CustomerFactory(
        first_name=first, last_name=last, address_line1=street, postcode="61820"
    )
    for kind, e164 in phones:
        CustomerPhoneFactory(customer=customer, kind=kind, number=e164, e164=e164)
    return customer


@pytest.fixture
def file_with_lookalikes():
    """A duplicate typed twice, and a father and son at one address with their own cells."""
    keep = person("Regina", "Goodman", ("cell", "+12175550110"), street="5 Oak St")
    again = person("Rigina", "Goodman", ("cell", "+12175550110"), street="5 Oak Street")
    father = person("John", "Miller", ("cell", "+12175550301"), ("home", "+12175550300"))
    son = person("John", "Miller Jr", ("cell", "+12175550302"), ("home", "+12175550300"))
    return keep, again, father, son


def review(client) -> str:
    return client.get(URL, {"run": "1"}).content.decode()


def value_of(page: str, ids: str) -> str:
    return re.search(rf'value="({ids}:[0-9a-f]+)"', page).group(1)


def test_it_shows_the_two_tiers_with_each_pairs_evidence_and_the_family_shortcut(
    client, manager, file_with_lookalikes, django_assert_max_num_queries
):
    keep, again, father, son = file_with_lookalikes
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        page = review(client)
    assert "Same person: 1 group" in page
    assert "Maybe: 1 pair" in page
    sure = value_of(page, f"{keep.pk},{again.pk}")
    maybe = value_of(page, f"{father.pk},{son.pk}")
    # The sure group is ticked, the maybe pair is not.
    assert re.search(rf'value="{sure}"[^>]*checked', page)
    assert not re.search(rf'value="{maybe}"[^>]*checked', page)
    assert f"#{keep.pk} and #{again.pk}: similar name, same cell phone, same address" in page
    assert "<strong>For:</strong> same name, same home phone, same address." in page
    assert "different cell phones, &#x27;Jr&#x27; on one." in page
    assert f'name="family" value="{father.pk},{son.pk}"' in page
    assert "Add as Family Member" in page


def test_the_query_count_does_not_grow_with_the_pairs(
    client, manager, django_assert_max_num_queries
):
    surnames = [
        "Adams",
        "Baker",
        "Carter",
        "Dixon",
        "Evans",
        "Fisher",
        "Garcia",
        "Harris",
        "Irwin",
        "Jensen",
        "Keller",
        "Lopez",
        "Murphy",
        "Nolan",
        "Ortiz",
        "Parker",
        "Quinn",
        "Reyes",
        "Sutton",
        "Turner",
        "Underwood",
        "Vance",
        "Walsh",
        "Xiong",
        "Young",
        "Zimmer",
        "Bishop",
        "Cooper",
        "Dunbar",
        "Ellison",
    ]
    for n, surname in enumerate(surnames):
        street = f"{n + 100} Maple Drive"
        person("Regina", surname, ("cell", f"+1217555{n:04d}"), street=street)
        person("Regina", surname, ("cell", f"+1217555{n:04d}"), street=street)
        person("Paul", surname, ("cell", f"+1309555{n:04d}"), street=f"{n + 500} Oak St")
        person("Paul", surname, ("cell", f"+1309556{n:04d}"), street=f"{n + 500} Oak St")
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        page = review(client)
    assert "Same person: 30 groups" in page and "Maybe: 30 pairs" in page


def test_the_page_refuses_an_advisor_and_changes_nothing(client, advisor, file_with_lookalikes):
    keep, again, father, son = file_with_lookalikes
    client.force_login(advisor)
    assert client.get(URL, {"run": "1"}).status_code == 403
    assert client.post(URL, {"group": f"{keep.pk},{again.pk}"}).status_code == 403
    assert client.post(URL, {"family": f"{father.pk},{son.pk}"}).status_code == 403
    assert Customer.objects.count() == 4
    assert Customer.objects.get(pk=son.pk).household_main_id is None


def test_add_as_family_member_links_the_maybe_pair_and_the_review_goes_on(
    client, manager, file_with_lookalikes
):
    _keep, _again, father, son = file_with_lookalikes
    client.force_login(manager)
    response = client.post(URL, {"family": f"{father.pk},{son.pk}"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{URL}?run=1"
    page = response.content.decode()
    assert "added as a family member of" in page
    assert Customer.objects.get(pk=son.pk).household_main_id == father.pk
    assert "Maybe: 0 pairs" in page and "Same person: 1 group" in page
    assert UtilityLogEntry.objects.get().utility == UtilityLogEntry.Utility.ADD_FAMILY_MEMBER


def test_it_combines_the_ticked_sure_group_and_a_ticked_maybe_pair(
    client, manager, file_with_lookalikes
):
    keep, again, father, son = file_with_lookalikes
    client.force_login(manager)
    page = review(client)
    groups = [value_of(page, f"{keep.pk},{again.pk}"), value_of(page, f"{father.pk},{son.pk}")]
    response = client.post(URL, {"group": groups}, follow=True)
    assert "2 duplicate customers combined" in response.content.decode()
    assert set(Customer.objects.values_list("pk", flat=True)) == {keep.pk, father.pk}


def test_combining_a_customer_with_itself_says_so_and_changes_nothing(client, manager):
    one = person("Regina", "Goodman", ("cell", "+12175550110"))
    client.force_login(manager)
    response = client.post(URL, {"group": f"{one.pk},{one.pk}"}, follow=True)
    assert "cannot be combined with itself" in response.content.decode()
    response = client.post(URL, {"family": f"{one.pk},{one.pk}"}, follow=True)
    assert "cannot be their own family member" in response.content.decode()
    assert Customer.objects.get(pk=one.pk).household_main_id is None
    assert UtilityLogEntry.objects.count() == 0


def test_a_group_changed_since_the_review_is_refused_whole(client, manager):
    ids = [person("Angela", "Brooks", ("cell", "+12175550176")).pk for _ in range(3)]
    client.force_login(manager)
    value = value_of(review(client), ",".join(map(str, ids)))
    Customer.objects.filter(pk=ids[2]).update(last_name="Brooks-Hill")  # edited meanwhile
    response = client.post(URL, {"group": value}, follow=True)
    assert "changed since the review" in response.content.decode()
    assert "Nothing in that group was changed" in response.content.decode()
    assert Customer.objects.filter(pk__in=ids).count() == 3
    assert UtilityLogEntry.objects.count() == 0


def test_two_people_combining_the_same_group_the_second_is_told_and_nothing_changes(
    client, manager, employee_at
):
    keep = person("Regina", "Goodman", ("cell", "+12175550110"))
    again = person("Regina", "Goodman", ("cell", "+12175550110"))
    client.force_login(manager)
    value = value_of(review(client), f"{keep.pk},{again.pk}")
    first = client.post(URL, {"group": value}, follow=True)
    assert "1 duplicate customer combined" in first.content.decode()
    second = client.post(URL, {"group": value}, follow=True)
    assert "changed since the review" in second.content.decode()
    assert UtilityLogEntry.objects.count() == 1
    assert Customer.objects.filter(pk=keep.pk).exists()


def test_nothing_ticked_says_so(client, manager):
    client.force_login(manager)
    response = client.post(URL, {"group": "not-ids"}, follow=True)
    assert "Tick at least one group or pair to combine." in response.content.decode()


def test_add_as_family_member_joins_the_household_one_of_them_is_in_already(client, manager):
    mother = person("Mary", "Miller", ("cell", "+12175550309"), ("home", "+12175550300"))
    # The son's record is the older one, and already in his mother's household.
    son = person("John", "Miller Jr", ("cell", "+12175550302"), ("home", "+12175550300"))
    son.household_main = mother
    son.save()
    father = person("John", "Miller", ("cell", "+12175550301"), ("home", "+12175550300"))
    client.force_login(manager)
    page = review(client)
    assert f'name="family" value="{mother.pk},{father.pk}"' in page
    response = client.post(URL, {"family": f"{mother.pk},{father.pk}"}, follow=True)
    assert "added as a family member of Mary Miller" in response.content.decode()
    assert Customer.objects.get(pk=father.pk).household_main_id == mother.pk
    assert "Maybe: 0 pairs" in response.content.decode()


def test_add_as_family_member_without_two_customers_says_so_and_changes_nothing(
    client, manager, file_with_lookalikes
):
    _keep, _again, father, son = file_with_lookalikes
    client.force_login(manager)
    response = client.post(URL, {"family": f"{father.pk}"}, follow=True)
    assert "Choose the two customers to link as family." in response.content.decode()
    response = client.post(URL, {"family": f"{father.pk},999999"}, follow=True)
    assert "no longer exists" in response.content.decode()
    assert Customer.objects.get(pk=son.pk).household_main_id is None
    assert UtilityLogEntry.objects.count() == 0
