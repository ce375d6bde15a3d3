import pytest
from django.urls import reverse

from customers.models import Customer, UtilityLogEntry
from customers.services.combine import customers_combine
from tests.customers.factories import CustomerFactory, CustomerPhoneFactory, VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(employee_at):
    return employee_at(2, role="manager", username="manager")


def test_the_utilities_page_offers_what_the_level_allows(client, manager):
    from shop.models import SecurityFunctionLevel

    client.force_login(manager)
    page = client.get(reverse("customers:utilities")).content.decode()
    assert "Combine Customers" in page
    SecurityFunctionLevel.objects.filter(code="combine_customers").update(level=1)
    assert "Combine Customers" not in client.get(reverse("customers:utilities")).content.decode()


def test_the_utilities_page_refuses_an_advisor(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("customers:utilities"))
    assert response.status_code == 403
    assert "Customer utilities log" in response.content.decode()


def test_the_combine_page_previews_without_changing_anything(client, manager):
    survivor = CustomerFactory(first_name="Angela", last_name="Brooks")
    merged = CustomerFactory(first_name="Angela", last_name="Brookes")
    CustomerPhoneFactory(customer=merged, number="217-555-0176")
    client.force_login(manager)
    response = client.get(
        reverse("customers:combine"), {"survivor": survivor.pk, "merged": merged.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: what combining will change" in page
    assert "1 customer phone</strong> moves to Angela Brooks" in page
    assert f"Angela Brookes (#{merged.pk})</strong> is deleted" in page
    assert Customer.objects.count() == 2


def test_the_combine_page_refuses_an_advisor(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("customers:combine")).status_code == 403
    a, b = CustomerFactory(), CustomerFactory()
    response = client.post(reverse("customers:combine"), {"survivor": a.pk, "merged": b.pk})
    assert response.status_code == 403
    assert Customer.objects.count() == 2


def test_combining_from_the_page_redirects_to_the_survivor(client, manager):
    survivor, merged = CustomerFactory(), CustomerFactory()
    client.force_login(manager)
    preview = client.get(
        reverse("customers:combine"), {"survivor": survivor.pk, "merged": merged.pk}
    )
    fingerprint = preview.context["plan"].fingerprint
    response = client.post(
        reverse("customers:combine"),
        {"survivor": survivor.pk, "merged": merged.pk, "fingerprint": fingerprint},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("customers:detail", args=[survivor.pk])
    assert "combined into" in response.content.decode()
    assert not Customer.objects.filter(pk=merged.pk).exists()


def test_combining_a_customer_with_itself_says_so(client, manager):
    customer = CustomerFactory()
    client.force_login(manager)
    page = client.get(
        reverse("customers:combine"), {"survivor": customer.pk, "merged": customer.pk}
    ).content.decode()
    assert "cannot be combined with itself" in page
    response = client.post(
        reverse("customers:combine"), {"survivor": customer.pk, "merged": customer.pk}, follow=True
    )
    assert "cannot be combined with itself" in response.content.decode()
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_adding_as_family_member_from_the_page(client, manager):
    main, member = CustomerFactory(), CustomerFactory()
    client.force_login(manager)
    client.post(
        reverse("customers:combine"),
        {"survivor": main.pk, "merged": member.pk, "action": "family"},
    )
    assert Customer.objects.get(pk=member.pk).household_main_id == main.pk


def test_the_picker_lists_matches_as_choices(client, advisor):
    customer = CustomerFactory(last_name="Whitfield")
    client.force_login(advisor)
    response = client.get(
        reverse("customers:customer_pick"), {"role": "merged", "q": "whitfield", "survivor": "7"}
    )
    assert f"survivor=7&amp;merged={customer.pk}" in response.content.decode()
    assert client.get(reverse("customers:customer_pick"), {"role": "x"}).status_code == 200


def test_undo_from_the_log_needs_the_utilitys_level(client, manager, owner, employee_at):
    survivor, merged = CustomerFactory(), CustomerFactory()
    entry = customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)
    url = reverse("customers:utility_undo", args=[entry.pk])
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.filter(code="combine_customers").update(level=1)
    client.force_login(manager)
    assert client.post(url).status_code == 403
    assert Customer.objects.filter(pk=merged.pk).count() == 0
    client.force_login(owner)
    response = client.post(url, follow=True)
    assert "Undone:" in response.content.decode()
    assert Customer.objects.filter(pk=merged.pk).exists()
    assert UtilityLogEntry.objects.get().undone_at is not None
    again = client.post(url, follow=True)
    assert "already undone" in again.content.decode()


def test_combine_vehicles_previews_then_applies(client, manager):
    customer = CustomerFactory()
    kept = VehicleFactory(customer=customer, plate="HR10")
    twin = VehicleFactory(customer=customer, plate="HR10", vin="")
    client.force_login(manager)
    url = reverse("customers:combine_vehicles")
    preview = client.get(url, {"match": "plate"})
    assert "Preview: 1 vehicle with duplicates" in preview.content.decode()
    response = client.post(
        url, {"match": "plate", "fingerprint": preview.context["fingerprint"]}, follow=True
    )
    assert "1 duplicate vehicle combined into 1 by Plate only" in response.content.decode()
    assert list(customer.vehicles.all()) == [kept]
    assert twin.pk not in customer.vehicles.values_list("pk", flat=True)


def test_combine_vehicles_refuses_an_advisor(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("customers:combine_vehicles")).status_code == 403


def test_duplicate_phones_previews_then_applies(client, manager, advisor):
    customer = CustomerFactory()
    CustomerPhoneFactory(customer=customer, number="217-555-0191", e164="+12175550191")
    CustomerPhoneFactory(customer=customer, number="2175550191", e164="+12175550191")
    client.force_login(advisor)
    assert client.get(reverse("customers:duplicate_phones")).status_code == 403
    client.force_login(manager)
    preview = client.get(reverse("customers:duplicate_phones"))
    assert "Preview: 1 phone to delete" in preview.content.decode()
    client.post(
        reverse("customers:duplicate_phones"), {"fingerprint": preview.context["fingerprint"]}
    )
    assert customer.phones.count() == 1


def test_separate_family_members_previews_then_applies(client, manager, advisor):
    main = CustomerFactory(last_name="Keller")
    member = CustomerFactory(first_name="Susan", last_name="Keller", household_main=main)
    client.force_login(advisor)
    assert client.get(reverse("customers:separate_family")).status_code == 403
    client.force_login(manager)
    listing = client.get(reverse("customers:separate_family"), {"q": "keller"}).content.decode()
    assert f'value="{member.pk}"' in listing
    preview = client.get(reverse("customers:separate_family"), {"member": member.pk})
    assert "leaves the household of" in preview.content.decode()
    client.post(reverse("customers:separate_family"), {"member": member.pk})
    assert Customer.objects.get(pk=member.pk).household_main_id is None


def test_change_area_code_walks_from_cities_to_preview_to_apply(client, owner, manager):
    customer = CustomerFactory(city="Decatur")
    phone = CustomerPhoneFactory(customer=customer, number="217-555-0102", e164="+12175550102")
    client.force_login(manager)
    assert client.get(reverse("customers:area_code")).status_code == 403
    client.force_login(owner)
    url = reverse("customers:area_code")
    assert "Decatur" in client.get(url, {"old_code": "217"}).content.decode()
    preview = client.get(url, {"old_code": "217", "city": "Decatur", "new_code": "447"})
    assert "447-555-0102" in preview.content.decode()
    client.post(
        url,
        {
            "old_code": "217",
            "new_code": "447",
            "city": "Decatur",
            "fingerprint": preview.context["fingerprint"],
        },
    )
    phone.refresh_from_db()
    assert phone.e164 == "+14475550102"
    bad = client.get(url, {"old_code": "2a7"}).content.decode()
    assert "three digits" in bad


def test_delete_without_history_previews_then_applies(client, owner, manager):
    CustomerFactory(first_name="Quick", last_name="Quote")
    client.force_login(manager)
    assert client.get(reverse("customers:delete_without_history")).status_code == 403
    client.force_login(owner)
    url = reverse("customers:delete_without_history")
    page = client.get(url).content.decode()
    assert "work orders" in page and "text messages" in page
    preview = client.get(url, {"preview": "1"})
    assert "Quick Quote" in preview.content.decode()
    client.post(url, {"fingerprint": preview.context["fingerprint"]})
    assert not Customer.objects.exists()
    bad = client.get(url, {"created_before": "soon", "preview": "1"}, follow=True)
    assert "is not a date" in bad.content.decode()


def test_only_the_owner_level_sees_the_level_one_utilities(client, manager, owner):
    client.force_login(manager)
    page = client.get(reverse("customers:utilities")).content.decode()
    assert "Separate Family Members" in page and "Change Area Code" not in page
    client.force_login(owner)
    page = client.get(reverse("customers:utilities")).content.decode()
    assert "Change Area Code" in page and "Delete Customers with No Invoices" in page


def test_a_manager_adds_a_customer_source_in_the_admin_site(client, manager, advisor):
    from customers.models import CustomerSource
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.filter(code="use_admin_site").update(level=2)
    url = reverse("admin:customers_customersource_add")
    client.force_login(advisor)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"name": "Nextdoor", "is_active": "on"})
    assert response.status_code == 302
    assert CustomerSource.objects.filter(name="Nextdoor").exists()


def test_the_detail_page_links_a_family_member_to_its_separation(client, manager, advisor):
    main = CustomerFactory()
    member = CustomerFactory(household_main=main)
    link = f"{reverse('customers:separate_family')}?member={member.pk}"
    client.force_login(manager)
    assert link in client.get(reverse("customers:detail", args=[main.pk])).content.decode()
    client.force_login(advisor)
    assert link not in client.get(reverse("customers:detail", args=[main.pk])).content.decode()


def test_the_combine_preview_shows_labels_and_values_as_a_person_reads_them(client, manager):
    from tests.customers.factories import CustomerSourceFactory

    survivor = CustomerFactory(text_consent=False, source=None)
    merged = CustomerFactory(text_consent=True, source=CustomerSourceFactory(name="Yelp"))
    client.force_login(manager)
    page = client.get(
        reverse("customers:combine"), {"survivor": survivor.pk, "merged": merged.pk}
    ).content.decode()
    assert "<strong>Text messages:</strong> no → yes" in page
    assert "<strong>Source:</strong> (blank) → Yelp" in page
    assert "text_consent" not in page
    assert "source_id" not in page


def test_combine_vehicles_shows_each_pair_side_by_side_with_a_vin_conflict_unticked(
    client, manager, django_assert_max_num_queries
):
    customer = CustomerFactory()
    kept = VehicleFactory(customer=customer, plate="HR10", vin="1HGCM82633A004352")
    other_car = VehicleFactory(customer=customer, plate="HR10", vin="5YJ3E1EA2KF317000")
    twin = VehicleFactory(customer=customer, plate="HR10", vin="")
    client.force_login(manager)
    url = reverse("customers:combine_vehicles")
    # (Finding what moves still reads each relation once per pair.)
    with django_assert_max_num_queries(18):
        preview = client.get(url, {"match": "vin_or_plate"})
    page = preview.content.decode()
    assert f'name="pair" value="{kept.pk}:{twin.pk}" id="pair-{kept.pk}{twin.pk}" checked>' in page
    assert (
        f'name="pair" value="{kept.pk}:{other_car.pk}" id="pair-{kept.pk}{other_car.pk}" aria'
        in (page)
    )
    assert "The VINs differ" in page
    assert f'<th scope="col">Kept #{kept.pk}</th><th scope="col">Duplicate #{twin.pk}</th>' in page
    # Untick everything but the conflict: only that pair is combined.
    response = client.post(
        url,
        {
            "match": "vin_or_plate",
            "fingerprint": preview.context["fingerprint"],
            "pairs_listed": "1",
            "pair": [f"{kept.pk}:{other_car.pk}"],
        },
        follow=True,
    )
    assert "1 duplicate vehicle combined into 1" in response.content.decode()
    assert set(customer.vehicles.values_list("pk", flat=True)) == {kept.pk, twin.pk}


def test_combine_vehicles_with_every_pair_unticked_changes_nothing(client, manager):
    customer = CustomerFactory()
    VehicleFactory(customer=customer, plate="HR10")
    VehicleFactory(customer=customer, plate="HR10", vin="")
    client.force_login(manager)
    url = reverse("customers:combine_vehicles")
    preview = client.get(url, {"match": "plate"})
    response = client.post(
        url,
        {"match": "plate", "fingerprint": preview.context["fingerprint"], "pairs_listed": "1"},
        follow=True,
    )
    assert "No pair of vehicles is ticked" in response.content.decode()
    assert customer.vehicles.count() == 2
    assert not UtilityLogEntry.objects.exists()


def test_combine_vehicles_refuses_an_advisor_to_post(client, advisor):
    customer = CustomerFactory()
    VehicleFactory(customer=customer, plate="HR10")
    VehicleFactory(customer=customer, plate="HR10", vin="")
    client.force_login(advisor)
    response = client.post(
        reverse("customers:combine_vehicles"), {"match": "plate", "pairs_listed": "1"}
    )
    assert response.status_code == 403
    assert customer.vehicles.count() == 2
