import pytest
from django.urls import reverse

from customers.duplicates import find_duplicate_groups, find_duplicates, person_name
from customers.models import Customer, UtilityLogEntry
from customers.services.records import customer_create
from shop.models import ShopProfile
from tests.customers.factories import CustomerEmailFactory, CustomerFactory, CustomerPhoneFactory

pytestmark = pytest.mark.django_db


def person(
    first,
    last,
    phone=None,
    email=None,
    street="12 Maple Drive",
    postcode="61820",
    home=None,
    **kw,
):
    customer = CustomerFactory(
        first_name=first, last_name=last, address_line1=street, postcode=postcode, **kw
    )
    if phone:
        CustomerPhoneFactory(customer=customer, number=phone, e164=phone)
    if home:
        CustomerPhoneFactory(customer=customer, number=home, e164=home, kind="home")
    if email:
        CustomerEmailFactory(customer=customer, address=email)
    return customer


def sure_ids():
    return [group.ids for group in find_duplicate_groups()]


def maybe_by_ids():
    return {pair.ids: pair for pair in find_duplicates().maybe}


def test_it_finds_a_misspelled_duplicate_by_phone():
    original = person("Regina", "Goodman", phone="+12175550110")
    again = person("Rigina", "Goodman", phone="+12175550110", street="9 Oak St")
    [group] = find_duplicate_groups()
    assert group.ids == [original.pk, again.pk]
    assert group.reasons == ["similar name", "same cell phone"]
    assert 80 <= group.score <= 100


def test_it_is_sure_of_an_email_but_an_address_alone_is_only_a_maybe():
    a = person("James", "Whitfield", email="jw@example.com", street="77 Lincoln Avenue")
    b = person("James", "Whitfeld", email="JW@example.com", street="5 Elm Street")
    c = person("Nina", "Patel", street="450 Meadow Lane")
    d = person("Nina", "Patel", street="450 Meadow Ln")
    assert sure_ids() == [[a.pk, b.pk]]
    maybe = maybe_by_ids()[(c.pk, d.pk)]
    assert maybe.agrees == ["same name", "same address"]
    assert maybe.disagrees == []
    assert not maybe.sure


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
    assert "Same person: 2 groups" in page
    assert f'value="{keep.pk},{dup.pk}:' in page
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


# The look-alikes: fathers and sons, spouses. Each has a cell phone of their own.


def test_a_father_and_son_with_jr_at_one_address_are_only_a_maybe_offered_as_family():
    father = person("John", "Miller", phone="+12175550101", home="+12175550199")
    son = person("John", "Miller Jr.", phone="+12175550102", home="+12175550199")
    assert sure_ids() == []
    pair = maybe_by_ids()[(father.pk, son.pk)]
    assert pair.agrees == ["same name", "same home phone", "same address"]
    assert pair.disagrees == ["different cell phones", "'Jr' on one"]
    assert pair.family
    assert pair.score < min(group.score for group in find_duplicate_groups()) if sure_ids() else 80


@pytest.mark.parametrize(
    "first, last",
    [
        ("John", "Miller JR"),
        ("John", "Miller, Jr"),
        ("John Jr", "Miller"),
        ("John", "Miller Junior"),
    ],
)
def test_a_suffix_counts_in_either_name_field_with_or_without_a_dot(first, last):
    father = person("John", "Miller", phone="+12175550101")
    son = person(first, last, phone="+12175550101")  # even sharing one phone
    assert sure_ids() == []
    assert "'Jr' on one" in maybe_by_ids()[(father.pk, son.pk)].disagrees


def test_it_reads_the_suffix_and_middle_initial_out_of_the_name_fields():
    assert person_name("John Q.", "Public, III") == ("john", "public", "q", "III")
    assert person_name("JOHN", "SMITH SR") == ("john", "smith", "", "Sr")
    assert person_name("John", "Smith Junior") == ("john", "smith", "", "Jr")
    assert person_name("Mary Ann", "O'Neil") == ("mary ann", "oneil", "", "")


def test_a_father_and_son_without_a_suffix_are_kept_apart_by_their_own_cells():
    father = person("Robert", "Hale", phone="+12175550111")
    son = person("Robert", "Hale", phone="+12175550112")
    assert sure_ids() == []
    pair = maybe_by_ids()[(father.pk, son.pk)]
    assert pair.disagrees == ["different cell phones"]
    assert pair.family


def test_different_middle_initials_are_only_a_maybe():
    one = person("Mark A", "Stone", phone="+12175550121")
    other = person("Mark B", "Stone", phone="+12175550121")
    assert sure_ids() == []
    assert maybe_by_ids()[(one.pk, other.pk)].disagrees == ["middle initials 'A' and 'B'"]


def test_spouses_sharing_the_home_phone_are_not_proposed():
    person("Karen", "Walsh", phone="+12175550131", home="+12175550130")
    person("Gary", "Walsh", home="+12175550130")
    person("Paul", "Walsh", home="+12175550130")
    person("Paula", "Walsh", home="+12175550130")  # one letter more, another person
    assert find_duplicates().sure == []
    assert find_duplicates().maybe == []


def test_a_shared_home_phone_alone_is_only_a_maybe():
    a = person("Dana", "Price", home="+12175550140", street="1 First St")
    b = person("Dana", "Price", home="+12175550140", street="800 Other Road")
    assert sure_ids() == []
    assert maybe_by_ids()[(a.pk, b.pk)].agrees == ["same name", "same home phone"]


# Duplicates typed with the noise of a busy counter.


def test_a_nickname_duplicate_is_sure():
    robert = person("Robert", "Chen", phone="+12175550150", street="5 Pine St")
    bob = person("BOB", "CHEN", street="5 PINE STREET", email="bob@example.com")
    CustomerPhoneFactory(customer=bob, number="217.555.0150", e164="+12175550150")
    [group] = find_duplicate_groups()
    assert group.ids == [robert.pk, bob.pk]
    assert group.reasons[0] == "nickname"


def test_swapped_names_at_one_address_meet_in_a_block_and_are_compared():
    lisa = person("Lisa", "Anderson", phone="+12175550160", street="14 Birch Ave")
    swapped = person("Anderson", "Lisa", phone="+12175550161", street="14 Birch Avenue")
    # Different cells: only a maybe, but found although no phone or e-mail is shared.
    pair = maybe_by_ids()[(lisa.pk, swapped.pk)]
    assert pair.agrees == ["names swapped between first and last", "same address"]


def test_swapped_names_with_the_same_cell_are_sure():
    lisa = person("Lisa", "Anderson", phone="+12175550160")
    swapped = person("Anderson", "Lisa", phone="+12175550160")
    assert sure_ids() == [[lisa.pk, swapped.pk]]


def test_a_seven_digit_duplicate_matches_its_original(admin_user):
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "default_area_code": "217"}
    )
    original = person("Wanda", "Frost", phone="+12175424514", street="3 Elm St")
    typed = customer_create(
        by=admin_user,
        first_name="Wanda",
        last_name="Frost",
        phones=[{"number": "542-4514", "kind": "cell"}],
    )
    # An old row stored before the shop had a default area code: no area code at all.
    legacy = person("Wanda", "Frost", street="90 Far Road")
    CustomerPhoneFactory(customer=legacy, number="542-4514", e164="+15424514")
    [group] = find_duplicate_groups()
    assert group.ids == [original.pk, typed.pk, legacy.pk]


def test_a_transposed_digit_with_the_same_address_is_sure():
    original = person("Helen", "Marsh", phone="+12175550172", street="8 Cedar Lane")
    again = person("Helen", "Marsh", phone="+12175550127", street="8 Cedar Ln")
    [group] = find_duplicate_groups()
    assert group.ids == [original.pk, again.pk]
    assert "phone numbers alike but for two swapped digits" in group.reasons


# No chains.


def test_a_chain_through_a_shared_email_is_split_into_sure_groups():
    # Two people of one name share a family inbox; one is typed twice, the other's son too.
    mail = "smiths@example.com"
    dad = person("Alan", "Smith", phone="+12175550181", email=mail)
    dad_again = person("Alan", "Smyth", phone="+12175550181")
    other = person("Alan", "Smith", phone="+12175550182", email=mail, street="2 Ash St")
    other_again = person("Alan", "Smith", phone="+12175550182", street="2 Ash St")
    son = person("Alan", "Smith Jr", phone="+12175550183", email=mail)
    groups = find_duplicate_groups()
    assert sorted(group.ids for group in groups) == [
        [dad.pk, dad_again.pk],
        [other.pk, other_again.pk],
    ]
    for group in groups:
        assert [pair.ids for pair in group.pairs] == [tuple(group.ids)]
        assert group.score == group.pairs[0].score
    maybe = maybe_by_ids()
    assert "different cell phones" in maybe[(dad.pk, other.pk)].disagrees
    assert "'Jr' on one" in maybe[(dad.pk, son.pk)].disagrees
    assert all(son.pk not in group.ids for group in groups)


def test_a_record_joins_a_group_only_when_sure_with_every_member():
    # `a` gave no cell phone: the e-mail makes it sure with `b` and with `c`, but `b` and
    # `c` each have a cell of their own: no group may hold all three.
    a = person("Irene", "Cole", email="irene@example.com")
    b = person("Irene", "Cole", phone="+12175550191", email="irene@example.com")
    c = person("Irene", "Cole", phone="+12175550192", email="irene@example.com")
    groups = find_duplicate_groups()
    assert [group.ids for group in groups] == [[a.pk, b.pk]]
    left = maybe_by_ids()
    assert (b.pk, c.pk) in left and (a.pk, c.pk) in left
    assert "not sure with the rest of its group" in left[(a.pk, c.pk)].disagrees
    assert left[(b.pk, c.pk)].disagrees == ["different cell phones"]


def test_a_shared_home_phone_and_address_without_a_cell_or_email_are_only_a_maybe():
    # A son who gave only the house phone: nothing of his own says he is his father.
    father = person("Michael", "Powell", phone="+12175550201", home="+12175550200")
    son = person("Michael", "Powell", home="+12175550200")
    assert sure_ids() == []
    pair = maybe_by_ids()[(father.pk, son.pk)]
    assert pair.agrees == ["same name", "same home phone", "same address"]
    assert pair.disagrees == []


def test_first_names_only_alike_are_a_maybe_that_says_so():
    maria = person("Maria", "Zimmerman", phone="+12175550211", email="z@example.com")
    marvin = person("Marvin", "Zimmerman", phone="+12175550211", email="z@example.com")
    assert sure_ids() == []
    pair = maybe_by_ids()[(maria.pk, marvin.pk)]
    assert pair.disagrees == ["first names 'Maria' and 'Marvin'"]
    assert pair.family


def test_companies_whose_names_differ_by_a_number_are_only_a_maybe():
    one = CustomerFactory(kind="company", company_name="Midwest Delivery 318", first_name="")
    other = CustomerFactory(kind="company", company_name="Midwest Delivery 469", first_name="")
    same = CustomerFactory(kind="company", company_name="Midwest Delivry 318", first_name="")
    for customer in (one, other, same):
        CustomerEmailFactory(customer=customer, address="midwest.office@example.com")
    assert sure_ids() == [[one.pk, same.pk]]
    assert maybe_by_ids()[(one.pk, other.pk)].disagrees == ["numbers 318 and 469 in the names"]


def test_neighbours_on_one_street_do_not_share_an_address():
    person("Nina", "Patel", street="12 Meadow Lane")
    person("Nina", "Patel", street="21 Meadow Lane")
    person("Nina", "Patel", street="120 Meadow Lane")
    assert find_duplicates().maybe == []


def test_an_address_with_or_without_its_apartment_or_abbreviated_is_the_same():
    a = person("Nina", "Patel", street="450 North Meadow Parkway Apt 3")
    b = person("Nina", "Patel", street="450 N MEADOW PKWY")
    c = person("Omar", "Reyes", street="9 Hill Road Unit 2")
    d = person("Omar", "Reyes", street="9 Hill Rd Apt 5")
    maybe = maybe_by_ids()
    assert maybe[(a.pk, b.pk)].agrees == ["same name", "same address"]
    assert (c.pk, d.pk) not in maybe  # two apartments of one building


def test_a_suffix_typed_two_ways_is_one_suffix_and_differing_ones_disagree():
    jr = person("John", "Miller Jr.", phone="+12175550101")
    junior = person("John", "Miller Junior", phone="+12175550101")
    assert sure_ids() == [[jr.pk, junior.pk]]
    third = person("John", "Miller III", phone="+12175550103")
    second = person("John", "Miller II", phone="+12175550103")
    assert maybe_by_ids()[(third.pk, second.pk)].disagrees == ["'III' and 'II'"]
