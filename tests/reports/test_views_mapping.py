"""Customer Source Mapping, its warnings, the board's click-to-set source, marketing spend and
the report settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models import Customer, CustomerSource
from reports.models import MarketingSpend, ReportSettings, SourceCategory, SourceMapping
from reports.selectors import customers_with_unknown_source, source_mapping_warning_for

# The main categories a shop starts with (its data migration's), which a flushed database
# lacks: set up here so the tests pass in any order.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_categories")]


@pytest.fixture
def sources(db):
    return {name: CustomerSource.objects.create(name=name) for name in ["Google", "Yelp", "Radio"]}


def category(name: str) -> SourceCategory:
    return SourceCategory.objects.get(name=name)


def test_it_starts_with_the_main_categories(db):
    assert list(SourceCategory.objects.values_list("name", flat=True)) == [
        "Internet",
        "Referral",
        "Drive-by",
        "Signage",
        "Mailers",
        "Fleet",
        "Other New Customers",
    ]
    assert SourceCategory.objects.get(receives_unmapped=True).name == "Other New Customers"


def test_it_refuses_the_mapping_page_to_an_advisor(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("reports:source_mapping")).status_code == 403
    assert client.post(reverse("reports:source_mapping"), {"action": "done"}).status_code == 403


def test_it_maps_sources_and_marks_the_mapping_done(
    client, owner, sources, django_assert_max_num_queries
):
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:source_mapping")).status_code == 200
    internet = category("Internet")
    response = client.post(
        reverse("reports:source_mapping"),
        {
            f"source_{sources['Google'].pk}": internet.pk,
            f"source_{sources['Yelp'].pk}": internet.pk,
        },
    )
    assert response.status_code == 302
    assert SourceMapping.objects.get(source=sources["Google"]).category == internet
    assert not SourceMapping.objects.filter(source=sources["Radio"]).exists()
    client.post(reverse("reports:source_mapping"), {"action": "done"})
    assert SourceMapping.objects.get(source=sources["Radio"]).category.name == "Other New Customers"
    assert SourceMapping.objects.get(source=sources["Google"]).category == internet


def test_it_refuses_an_unknown_category_and_changes_nothing(client, owner, sources):
    client.force_login(owner)
    response = client.post(
        reverse("reports:source_mapping"),
        {
            f"source_{sources['Google'].pk}": 99999,
            f"source_{sources['Yelp'].pk}": category("Fleet").pk,
        },
    )
    assert response.status_code == 400
    assert "Choose a category from the list" in response.content.decode()
    assert not SourceMapping.objects.exists()


def test_it_adds_renames_and_deletes_categories(client, owner, sources):
    client.force_login(owner)
    client.post(reverse("reports:source_mapping"), {"action": "add_category", "name": "Radio ads"})
    radio = category("Radio ads")
    url = reverse("reports:source_category_edit", args=[radio.pk])
    client.post(url, {"action": "rename", "name": "Radio"})
    radio.refresh_from_db()
    assert radio.name == "Radio"
    SourceMapping.objects.create(source=sources["Radio"], category=radio, mapped_at=radio_time())
    client.post(url, {"action": "delete"})
    assert SourceCategory.objects.filter(pk=radio.pk).exists()  # still has a source
    other = category("Other New Customers")
    client.post(reverse("reports:source_category_edit", args=[other.pk]), {"action": "delete"})
    assert SourceCategory.objects.filter(pk=other.pk).exists()


def radio_time():
    from django.utils import timezone

    return timezone.now()


def test_it_warns_when_no_source_is_mapped_then_when_some_are(client, owner, advisor, sources):
    assert source_mapping_warning_for(owner).warning == "none_mapped"
    assert source_mapping_warning_for(advisor) is None  # cannot map: not nagged
    client.force_login(owner)
    home = client.get(reverse("home"), follow=True).content.decode()
    assert "Customer sources are not mapped" in home
    client.post(reverse("reports:source_warning_dismiss", args=["none_mapped"]))
    assert source_mapping_warning_for(owner) is None
    SourceMapping.objects.create(
        source=sources["Google"], category=category("Internet"), mapped_at=radio_time()
    )
    warning = source_mapping_warning_for(owner)
    assert (warning.warning, warning.mapped, warning.unmapped) == ("some_mapped", 1, 2)
    assert (
        "Some customer sources are not mapped"
        in client.get(reverse("home"), follow=True).content.decode()
    )
    response = client.post(
        reverse("reports:source_warning_dismiss", args=["some_mapped"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content == b""
    assert "not mapped" not in client.get(reverse("home"), follow=True).content.decode()


def test_the_warning_s_dismissal_is_per_employee(client, owner, employee_at, sources):
    manager = employee_at(2)
    client.force_login(owner)
    client.post(reverse("reports:source_warning_dismiss", args=["none_mapped"]))
    assert source_mapping_warning_for(manager).warning == "none_mapped"


def test_it_stops_warning_once_mapping_is_done(client, owner, sources):
    client.force_login(owner)
    client.post(reverse("reports:source_mapping"), {"action": "done", "next": "/"})
    assert source_mapping_warning_for(owner) is None


def test_it_refuses_an_unknown_warning(client, owner):
    client.force_login(owner)
    response = client.post(reverse("reports:source_warning_dismiss", args=["bogus"]))
    assert response.status_code == 400


def test_it_sets_a_flashing_customer_s_source_from_the_board(client, advisor, technician, sources):
    customer = Customer.objects.create(first_name="Ann", last_name="Lee")
    SourceMapping.objects.create(
        source=sources["Yelp"], category=category("Internet"), mapped_at=radio_time()
    )
    assert customers_with_unknown_source([customer.pk]) == {customer.pk}
    url = reverse("reports:customer_source", args=[customer.pk])
    client.force_login(technician)
    assert client.get(url).status_code == 403
    client.force_login(advisor)
    picker = client.get(url, HTTP_HX_REQUEST="true")
    assert "How did Ann Lee find us?" in picker.content.decode()
    response = client.post(url, {"source": sources["Yelp"].pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "customer-name--unknown-source" not in response.content.decode()
    customer.refresh_from_db()
    assert customer.source == sources["Yelp"]
    assert customers_with_unknown_source([customer.pk]) == set()


def test_it_still_flashes_a_customer_whose_source_is_not_mapped(client, advisor, sources):
    customer = Customer.objects.create(first_name="Bo", last_name="Ray", source=sources["Radio"])
    assert customers_with_unknown_source([customer.pk]) == {customer.pk}


def test_it_refuses_a_bad_source_and_changes_nothing(client, advisor, sources):
    customer = Customer.objects.create(first_name="Ann", last_name="Lee")
    client.force_login(advisor)
    response = client.post(
        reverse("reports:customer_source", args=[customer.pk]), {"source": "nope"}
    )
    assert response.status_code == 400
    assert "Choose a customer source from the list" in response.content.decode()
    customer.refresh_from_db()
    assert customer.source is None


def test_it_saves_the_month_s_marketing_spend(client, owner, advisor, sources):
    url = reverse("reports:marketing_spend")
    client.force_login(advisor)
    assert client.get(url).status_code == 403
    client.force_login(owner)
    response = client.post(
        f"{url}?month=2026-11",
        {f"source_{sources['Google'].pk}": "$1,250.50", f"source_{sources['Yelp'].pk}": ""},
    )
    assert response.status_code == 302
    spend = MarketingSpend.objects.get()
    assert (spend.source, spend.month.isoformat(), spend.amount) == (
        sources["Google"],
        "2026-11-01",
        Decimal("1250.50"),
    )
    page = client.get(f"{url}?month=2026-11").content.decode()
    assert "1250.50" in page


def test_it_refuses_a_bad_amount_and_saves_nothing(client, owner, sources):
    client.force_login(owner)
    response = client.post(
        f"{reverse('reports:marketing_spend')}?month=2026-11",
        {f"source_{sources['Google'].pk}": "100", f"source_{sources['Yelp'].pk}": "-5"},
    )
    assert response.status_code == 400
    assert "cannot be negative" in response.content.decode()
    assert not MarketingSpend.objects.exists()


def test_it_saves_the_mileage_bands(client, owner, advisor):
    url = reverse("reports:settings")
    client.force_login(advisor)
    assert client.get(url).status_code == 403
    client.force_login(owner)
    assert client.post(url, {"mileage_bands": "25000, 50,000, 100000"}).status_code == 302
    assert ReportSettings.objects.get().band_starts == [25000, 50000, 100000]
    response = client.post(url, {"mileage_bands": "50000, 20000"})
    assert response.status_code == 400
    assert "from low to high" in response.content.decode()
    assert ReportSettings.objects.get().band_starts == [25000, 50000, 100000]


def test_it_shows_the_warning_on_the_menu_to_those_who_may_map_only(
    client, owner, advisor, sources
):
    """The menu (shop) draws the notice reports registers in shop.navigation."""
    client.force_login(owner)
    page = client.get(reverse("shop:menu")).content.decode()
    assert page.count('id="source-mapping-warning"') == 1
    assert (
        'name="csrfmiddlewaretoken"' in page
        and f'name="next" value="{reverse("shop:menu")}"' in page
    )
    client.force_login(advisor)
    page = client.get(reverse("shop:menu")).content.decode()
    assert "not mapped" not in page
