import pytest
from django.urls import reverse

from customers.models import Customer, UtilityLogEntry
from customers.services.combine import customers_combine
from tests.customers.factories import CustomerFactory, CustomerPhoneFactory

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
    assert "1 customer phones</strong> move to Angela Brooks" in page
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
