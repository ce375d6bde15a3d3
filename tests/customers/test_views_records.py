import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from customers.models import Customer, Vehicle
from tests.customers.factories import (
    CustomerEmailFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    VehicleFactory,
)

pytestmark = pytest.mark.django_db


def statuses_ensure():
    from workorders.seeding import statuses_ensure

    return statuses_ensure()


def workorder_create(**kwargs):
    from workorders.services import workorder_create

    return workorder_create(**kwargs)


def customer_post(**overrides):
    data = {
        "kind": "person",
        "first_name": "Maria",
        "last_name": "Gonzalez",
        "address_line1": "418 Oak Street",
        "city": "Springfield",
        "state": "il",
        "postcode": "62704",
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "phones-0-number": "217.555.0188",
        "phones-0-kind": "cell",
        "emails-TOTAL_FORMS": "1",
        "emails-INITIAL_FORMS": "0",
        "emails-0-address": "maria@example.com",
    }
    data.update(overrides)
    return data


def test_it_refuses_the_counter_to_a_technician(client, technician):
    client.force_login(technician)
    response = client.get(reverse("customers:counter"))
    assert response.status_code == 403
    assert "Look up customers" in response.content.decode()


def test_the_counter_shows_the_customer_with_that_phone(client, advisor):
    customer = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=customer, number="(217) 555-0188", e164="+12175550188")
    client.force_login(advisor)
    response = client.get(reverse("customers:counter"), {"phone": "217 555 0188"})
    assert response.status_code == 200
    assert "Maria Gonzalez" in response.content.decode()
    assert "(217) 555-0188" in response.content.decode()


def test_the_counter_offers_a_prefilled_new_customer_for_an_unknown_phone(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("customers:counter"), {"phone": "217-555-0177"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("customers:add"))
    assert "No customer has (217) 555-0177 yet" in page
    assert 'value="217-555-0177"' in page


def test_the_counter_says_when_a_phone_cannot_be_read(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("customers:counter"), {"phone": "tomorrow"})
    assert response.status_code == 200
    assert "is not a phone number" in response.content.decode()


def test_the_list_answers_htmx_with_the_results_only(client, advisor):
    CustomerFactory(first_name="Maria", last_name="Gonzalez")
    client.force_login(advisor)
    response = client.get(reverse("customers:list"), {"q": "gonzalez"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Maria Gonzalez" in page
    assert "<html" not in page


def test_the_list_refuses_a_technician(client, technician):
    client.force_login(technician)
    assert client.get(reverse("customers:list")).status_code == 403


def test_the_list_has_a_fixed_number_of_queries(client, advisor, django_assert_max_num_queries):
    client.force_login(advisor)
    client.get(reverse("customers:list"))
    for _ in range(25):
        customer = CustomerFactory()
        CustomerPhoneFactory(customer=customer)
        VehicleFactory(customer=customer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("customers:list"))
    assert response.content.decode().count('class="customer-card"') == 25
    with django_assert_max_num_queries(10):
        client.get(reverse("customers:list"), {"q": "217"})


def test_the_detail_shows_phones_emails_vehicles_and_family(
    client, advisor, django_assert_max_num_queries
):
    main = CustomerFactory(first_name="James", last_name="Whitfield")
    member = CustomerFactory(first_name="Linda", last_name="Whitfield", household_main=main)
    CustomerPhoneFactory(customer=main, number="(217) 555-0133")
    CustomerEmailFactory(customer=main, address="jw@example.com")
    VehicleFactory(customer=main, make="Ford", model="F-150", year=2014)
    VehicleFactory(customer=main, make="Toyota", model="Camry", is_active=False)
    client.force_login(advisor)
    url = reverse("customers:detail", args=[main.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        response = client.get(url)
    queries = len(few.captured_queries)
    page = response.content.decode()
    for text in ["(217) 555-0133", "jw@example.com", "2014 Ford F-150", "Disabled", str(member)]:
        assert text in page
    member_page = client.get(reverse("customers:detail", args=[member.pk])).content.decode()
    assert "Family member of" in member_page
    # More phones, vehicles, family and work orders: the same number of queries (one
    # more kind of history per app that points at customers, whatever its rows).
    statuses = statuses_ensure()
    workorder_create(by=advisor, vehicle=main.vehicles.first())
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    queries = len(few.captured_queries)
    for _ in range(10):
        CustomerPhoneFactory(customer=main)
        vehicle = VehicleFactory(customer=main)
        CustomerFactory(household_main=main)
        workorder_create(by=advisor, vehicle=vehicle, status=statuses[6])
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count('class="history-list__link" href="/workorders/') == 10


def test_the_detail_is_a_404_for_an_unknown_customer(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("customers:detail", args=[999999])).status_code == 404


def test_an_advisor_adds_a_customer_with_phone_and_email(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("customers:add"), customer_post())
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert customer.phones.get().e164 == "+12175550188"
    assert customer.emails.get().address == "maria@example.com"
    assert customer.state == "IL"


def test_adding_refuses_a_bad_phone_on_its_row_and_saves_nothing(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("customers:add"), customer_post(**{"phones-0-number": "12"}))
    assert response.status_code == 200
    assert "is not a valid phone number" in response.content.decode()
    assert not Customer.objects.exists()


def test_a_technician_cannot_add_a_customer(client, technician):
    client.force_login(technician)
    response = client.post(reverse("customers:add"), customer_post())
    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_an_advisor_edits_a_customer_and_removes_a_phone(client, advisor):
    customer = CustomerFactory(first_name="Old")
    phone = CustomerPhoneFactory(customer=customer, number="217-555-0101", e164="+12175550101")
    client.force_login(advisor)
    assert client.get(reverse("customers:edit", args=[customer.pk])).status_code == 200
    data = customer_post(
        **{
            "first_name": "New",
            "phones-TOTAL_FORMS": "2",
            "phones-INITIAL_FORMS": "1",
            "phones-0-id": str(phone.pk),
            "phones-0-number": "217-555-0101",
            "phones-0-kind": "cell",
            "phones-0-DELETE": "on",
            "phones-1-number": "309-555-0123",
            "phones-1-kind": "work",
            "emails-0-address": "",
        }
    )
    response = client.post(reverse("customers:edit", args=[customer.pk]), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.first_name == "New"
    assert list(customer.phones.values_list("e164", flat=True)) == ["+13095550123"]


def test_an_advisor_adds_a_vehicle_decoded_from_its_vin(client, advisor):
    customer = CustomerFactory()
    client.force_login(advisor)
    url = reverse("customers:vehicle_add", args=[customer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"vin": "1HGCM82633A004352", "plate": "mrg 417", "model": "Accord"})
    assert response.status_code == 302
    vehicle = customer.vehicles.get()
    assert (vehicle.year, vehicle.make, vehicle.plate) == (2003, "Honda", "MRG417")


def test_an_invalid_vin_is_shown_on_the_form_and_nothing_is_saved(client, advisor):
    customer = CustomerFactory()
    client.force_login(advisor)
    response = client.post(
        reverse("customers:vehicle_add", args=[customer.pk]), {"vin": "1HGCM82643A004352"}
    )
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert not Vehicle.objects.exists()


def test_a_technician_cannot_add_or_disable_a_vehicle(client, technician):
    vehicle = VehicleFactory()
    client.force_login(technician)
    assert (
        client.get(reverse("customers:vehicle_add", args=[vehicle.customer_id])).status_code == 403
    )
    url = reverse("customers:vehicle_set_active", args=[vehicle.pk])
    assert client.post(url, {"active": "0"}).status_code == 403
    assert Vehicle.objects.get(pk=vehicle.pk).is_active


def test_an_advisor_edits_and_disables_a_vehicle(client, advisor):
    vehicle = VehicleFactory(odometer=1000)
    client.force_login(advisor)
    url = reverse("customers:vehicle_edit", args=[vehicle.pk])
    response = client.post(url, {"vin": vehicle.vin, "plate": "NEW 1", "odometer": "2000",
                                 "annual_mileage": "9000"})  # fmt: skip
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert (vehicle.plate, vehicle.odometer, vehicle.annual_mileage) == ("NEW1", 2000, 9000)
    client.post(reverse("customers:vehicle_set_active", args=[vehicle.pk]), {"active": "0"})
    vehicle.refresh_from_db()
    assert not vehicle.is_active


def test_an_advisor_adds_a_family_member_from_the_main_customer(client, advisor):
    main = CustomerFactory(first_name="James", last_name="Whitfield")
    client.force_login(advisor)
    url = reverse("customers:add") + f"?household_main={main.pk}"
    assert "A family member of" in client.get(url).content.decode()
    response = client.post(url, customer_post(first_name="Linda", last_name="Whitfield"))
    assert response.status_code == 302
    assert Customer.objects.get(first_name="Linda").household_main == main


def test_customer_and_vehicle_pages_link_their_work_orders(client, advisor):
    statuses_ensure()
    vehicle = VehicleFactory(year=2014, make="Ford", model="F-150")
    work_order = workorder_create(by=advisor, vehicle=vehicle)
    day = date_format(timezone.localtime(work_order.created_at), "M j, Y")
    link = (
        f'<a class="history-list__link" href="{reverse("workorders:editor", args=[work_order.pk])}"'
        f' aria-label="Estimate #{work_order.pk}, {day}">Estimate #{work_order.pk}</a>'
    )
    client.force_login(advisor)
    customer_page = client.get(reverse("customers:detail", args=[vehicle.customer_id]))
    vehicle_page = client.get(reverse("customers:vehicle_edit", args=[vehicle.pk]))
    for page in (customer_page.content.decode(), vehicle_page.content.decode()):
        assert "Work orders" in page
        assert link in page
    # The customer's page says which vehicle; the vehicle's page need not.
    assert "2014 Ford F-150</span>" in customer_page.content.decode()
    assert "2014 Ford F-150</span>" not in vehicle_page.content.decode()


def test_an_estimate_is_not_linked_for_an_employee_who_may_not_see_estimates(client, employee_at):
    from shop.models import SecurityFunctionLevel

    statuses = statuses_ensure()
    clerk = employee_at(4, username="clerk")
    SecurityFunctionLevel.objects.filter(code="view_estimates").update(level=3)
    vehicle = VehicleFactory()
    # Written by someone who may see estimates: the clerk may no longer write one.
    estimate = workorder_create(by=employee_at(3, username="writer"), vehicle=vehicle)
    repair_order = workorder_create(by=clerk, vehicle=vehicle, status=statuses[6])
    client.force_login(clerk)
    page = client.get(reverse("customers:detail", args=[vehicle.customer_id])).content.decode()
    assert f'<span class="history-list__link">Estimate #{estimate.pk}</span>' in page
    assert reverse("workorders:editor", args=[estimate.pk]) not in page
    assert f'href="{reverse("workorders:editor", args=[repair_order.pk])}"' in page
    # The link it has opens: the editor lets this employee in.
    assert client.get(reverse("workorders:editor", args=[repair_order.pk])).status_code == 200
    assert client.get(reverse("workorders:editor", args=[estimate.pk])).status_code in (403, 404)


def test_a_long_history_links_to_all_the_work_orders(client, advisor):
    statuses_ensure()
    vehicle = VehicleFactory()
    for _ in range(11):
        workorder_create(by=advisor, vehicle=vehicle)
    client.force_login(advisor)
    page = client.get(reverse("customers:detail", args=[vehicle.customer_id])).content.decode()
    assert "Only the latest are shown." in page
    assert f'href="{reverse("workorders:customer_history", args=[vehicle.customer_id])}"' in page
    page = client.get(reverse("customers:vehicle_edit", args=[vehicle.pk])).content.decode()
    assert f'href="{reverse("workorders:vehicle_history", args=[vehicle.pk])}"' in page


def phone_rows(*numbers: str) -> dict:
    data = {"phones-TOTAL_FORMS": str(len(numbers)), "phones-INITIAL_FORMS": "0"}
    for index, number in enumerate(numbers):
        data |= {f"phones-{index}-number": number, f"phones-{index}-kind": "cell"}
    return data


def test_the_form_offers_the_rows_to_add_without_a_page_load(client, advisor):
    client.force_login(advisor)
    page = client.get(reverse("customers:add")).content.decode()
    assert "js/customers.js" in page
    assert "data-formset-add hidden>Add another phone</button>" in page
    assert "data-formset-add hidden>Add another e-mail</button>" in page
    # The empty rows the script copies, with the index still to fill in.
    assert 'name="phones-__prefix__-number"' in page
    assert 'name="emails-__prefix__-address"' in page
    assert 'name="phones-MAX_NUM_FORMS" value="10"' in page


def test_an_advisor_adds_a_customer_with_three_phones_and_two_emails(client, advisor):
    client.force_login(advisor)
    data = customer_post(
        **phone_rows("217.555.0188", "(309) 555-0123", "+1 217 555 0101")
        | {
            "phones-1-kind": "work",
            "phones-1-extension": "12",
            "emails-TOTAL_FORMS": "2",
            "emails-1-address": "maria@work.example.com",
        },
    )
    response = client.post(reverse("customers:add"), data)
    assert response.status_code == 302
    customer = Customer.objects.get()
    phones = customer.phones.order_by("id")
    assert [(p.e164, p.kind, p.extension) for p in phones] == [
        ("+12175550188", "cell", ""),
        ("+13095550123", "work", "12"),
        ("+12175550101", "cell", ""),
    ]
    assert sorted(customer.emails.values_list("address", flat=True)) == [
        "maria@example.com",
        "maria@work.example.com",
    ]


def test_a_blank_added_row_saves_nothing(client, advisor):
    client.force_login(advisor)
    # Rows added and left blank (the type keeps its first choice), in the middle and at the end.
    data = customer_post(
        **phone_rows("217.555.0188", "", "309-555-0123", "")
        | {"emails-TOTAL_FORMS": "3", "emails-1-address": "", "emails-2-address": "  "},
    )
    response = client.post(reverse("customers:add"), data)
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert sorted(customer.phones.values_list("e164", flat=True)) == [
        "+12175550188",
        "+13095550123",
    ]
    assert list(customer.emails.values_list("address", flat=True)) == ["maria@example.com"]


def test_a_bad_phone_in_the_third_row_is_shown_on_that_row_and_nothing_is_saved(client, advisor):
    client.force_login(advisor)
    data = customer_post(**phone_rows("217.555.0188", "309-555-0123", "555-01"))
    response = client.post(reverse("customers:add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index('for="id_phones-2-number"') :]
    row = row[: row.index("data-formset-row")]
    assert 'id="id_phones-2-number_error"' in row
    assert "is not a valid phone number" in row
    assert 'value="555-01"' in row
    assert page.count('class="field__error"') == 1
    # The rows typed so far come back, and nothing was saved.
    assert 'value="309-555-0123"' in page
    assert not Customer.objects.exists()


def test_a_bad_email_in_an_added_row_is_shown_on_that_row(client, advisor):
    client.force_login(advisor)
    data = customer_post(**{"emails-TOTAL_FORMS": "2", "emails-1-address": "maria@"})
    response = client.post(reverse("customers:add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_emails-1-address_error"' in page
    assert not Customer.objects.exists()


def test_more_than_ten_phones_are_refused_and_nothing_is_saved(client, advisor):
    client.force_login(advisor)
    numbers = [f"217-555-01{index:02d}" for index in range(11)]
    response = client.post(reverse("customers:add"), customer_post(**phone_rows(*numbers)))
    assert response.status_code == 200
    assert "At most 10 phones: remove one first." in response.content.decode()
    assert not Customer.objects.exists()


def test_an_advisor_adds_a_second_phone_to_a_customer_on_file(client, advisor):
    customer = CustomerFactory()
    phone = CustomerPhoneFactory(customer=customer, number="217-555-0101", e164="+12175550101")
    client.force_login(advisor)
    data = customer_post(
        **{
            "phones-TOTAL_FORMS": "3",
            "phones-INITIAL_FORMS": "1",
            "phones-0-id": str(phone.pk),
            "phones-0-number": "217-555-0101",
            "phones-0-kind": "cell",
            "phones-1-number": "",
            "phones-1-kind": "cell",
            "phones-2-number": "309-555-0123",
            "phones-2-kind": "home",
        }
    )
    response = client.post(reverse("customers:edit", args=[customer.pk]), data)
    assert response.status_code == 302
    assert sorted(customer.phones.values_list("e164", "kind")) == [
        ("+12175550101", "cell"),
        ("+13095550123", "home"),
    ]


def test_a_bad_phone_and_a_bad_email_in_added_rows_are_shown_together(client, advisor):
    client.force_login(advisor)
    data = customer_post(
        **phone_rows("217.555.0188", "555-01"),
        **{"emails-TOTAL_FORMS": "2", "emails-1-address": "maria@"},
    )
    response = client.post(reverse("customers:add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_phones-1-number_error"' in page and "is not a valid phone number" in page
    assert 'id="id_emails-1-address_error"' in page
    # The summary at the top says what to fix and links to each field, first the phone.
    summary = page[page.index("data-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    assert 'role="alert"' in page[page.index("<form") : page.index("data-error-summary")]
    assert summary.index('href="#id_phones-1-number"') < summary.index(
        'href="#id_emails-1-address"'
    )
    assert "Phone 2: “555-01” is not a valid phone number" in summary
    # The rows added before the save (no id) come back with their Remove buttons.
    forms_part = re.sub(r"<template.*?</template>", "", page, flags=re.S)
    assert forms_part.count("data-formset-remove>") == 4  # two phone rows, two e-mail rows
    assert page.count("data-formset-remove>") == 6  # and one in each row template
    assert 'data-formset-index="1"' in forms_part
    assert not Customer.objects.exists()


def test_a_number_ticked_for_removal_is_not_read_and_the_form_has_no_summary(client, advisor):
    phone = CustomerPhoneFactory(number="(217) 555-0101", e164="+12175550101")
    customer = phone.customer
    client.force_login(advisor)
    url = reverse("customers:edit", args=[customer.pk])
    page = client.get(url).content.decode()
    assert "data-error-summary" not in page
    # A saved phone is taken off with its Remove box, not with a button.
    assert "data-formset-remove>" not in re.sub(r"<template.*?</template>", "", page, flags=re.S)
    data = customer_post(
        **{
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "phones-TOTAL_FORMS": "2",
            "phones-INITIAL_FORMS": "1",
            "phones-0-id": str(phone.pk),
            "phones-0-number": "555",
            "phones-0-kind": "cell",
            "phones-0-DELETE": "on",
            "phones-1-number": "309-555-0123",
            "phones-1-kind": "work",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(customer.phones.values_list("e164", flat=True)) == ["+13095550123"]


@pytest.fixture
def area_code_217(db):
    from shop.models import ShopProfile

    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "default_area_code": "217"}
    )


@pytest.mark.parametrize("typed", ["555-0188", "5550188", "555 0188"])
def test_the_counter_finds_a_customer_by_seven_digits(client, advisor, area_code_217, typed):
    customer = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=customer, number="(217) 555-0188", e164="+12175550188")
    client.force_login(advisor)
    response = client.get(reverse("customers:counter"), {"phone": typed})
    page = response.content.decode()
    assert "Maria Gonzalez" in page
    assert "1 customer with (217) 555-0188" in page


def test_the_counter_shows_the_default_area_code_as_a_hint(client, advisor, area_code_217):
    client.force_login(advisor)
    page = client.get(reverse("customers:counter")).content.decode()
    assert "seven digits (555-0142) take area code 217" in page


def test_the_counter_refuses_a_technician_even_with_seven_digits(client, technician, area_code_217):
    client.force_login(technician)
    assert client.get(reverse("customers:counter"), {"phone": "555-0188"}).status_code == 403


def test_the_counter_explains_seven_digits_when_the_shop_has_no_area_code(client, advisor):
    client.force_login(advisor)
    response = client.get(reverse("customers:counter"), {"phone": "555-0188"})
    assert "has no area code" in response.content.decode()


def test_the_search_box_finds_seven_digits_with_the_area_code_first(client, advisor, area_code_217):
    elsewhere = CustomerFactory(first_name="Ann", last_name="Elsewhere")
    CustomerPhoneFactory(customer=elsewhere, number="(312) 555-0188", e164="+13125550188")
    local = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=local, number="(217) 555-0188", e164="+12175550188")
    client.force_login(advisor)
    page = client.get(reverse("customers:list"), {"q": "555-0188"}).content.decode()
    assert page.index("Maria Gonzalez") < page.index("Ann Elsewhere")


def test_the_form_saves_seven_digits_with_the_area_code(client, advisor, area_code_217):
    client.force_login(advisor)
    page = client.get(reverse("customers:add")).content.decode()
    assert "take area code 217" in page
    response = client.post(
        reverse("customers:add"), customer_post(**{"phones-0-number": "5550121"})
    )
    assert response.status_code == 302
    phone = Customer.objects.get().phones.get()
    # Kept with the area code it took, so it reads the same if the default changes.
    assert (phone.e164, phone.number) == ("+12175550121", "(217) 555-0121")


def test_the_form_refuses_a_bad_number_and_saves_nothing(client, advisor, area_code_217):
    client.force_login(advisor)
    response = client.post(reverse("customers:add"), customer_post(**{"phones-0-number": "555-01"}))
    assert response.status_code == 200
    assert "is not a valid phone number" in response.content.decode()
    assert not Customer.objects.exists()


def test_a_technician_cannot_add_a_customer_by_seven_digits(client, technician, area_code_217):
    client.force_login(technician)
    response = client.post(
        reverse("customers:add"), customer_post(**{"phones-0-number": "5550121"})
    )
    assert response.status_code == 403
    assert not Customer.objects.exists()


VIN = "1HGCM82633A004352"


def test_a_vin_already_on_another_customers_vehicle_is_not_saved_without_a_choice(client, advisor):
    other = VehicleFactory(vin=VIN, year=2003, make="Honda", model="Accord")
    customer = CustomerFactory()
    client.force_login(advisor)
    url = reverse("customers:vehicle_add", args=[customer.pk])
    response = client.post(url, {"vin": VIN, "model": "Accord"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This VIN is already on another vehicle" in page
    assert f'href="{reverse("customers:vehicle_edit", args=[other.pk])}"' in page
    assert f'href="{reverse("customers:detail", args=[other.customer_id])}"' in page
    assert 'name="vin_elsewhere_confirmed" value="1">Save anyway</button>' in page
    assert not customer.vehicles.exists()
    response = client.post(url, {"vin": VIN, "model": "Accord", "vin_elsewhere_confirmed": "1"})
    assert response.status_code == 302
    assert customer.vehicles.get().vin == VIN


def test_editing_a_vehicle_to_a_vin_on_another_vehicle_warns_and_changes_nothing(client, advisor):
    VehicleFactory(vin=VIN)
    vehicle = VehicleFactory(vin="", plate="ABC123")
    client.force_login(advisor)
    url = reverse("customers:vehicle_edit", args=[vehicle.pk])
    response = client.post(url, {"vin": VIN, "plate": "XYZ9"})
    assert "This VIN is already on another vehicle" in response.content.decode()
    vehicle.refresh_from_db()
    assert (vehicle.vin, vehicle.plate) == ("", "ABC123")


def test_an_unchanged_vin_shared_on_purpose_is_not_asked_about_again(client, advisor):
    VehicleFactory(vin=VIN)
    vehicle = VehicleFactory(vin=VIN, plate="ABC123")
    client.force_login(advisor)
    response = client.post(
        reverse("customers:vehicle_edit", args=[vehicle.pk]), {"vin": VIN, "plate": "XYZ9"}
    )
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.plate == "XYZ9"


def test_the_vin_field_checks_as_it_is_typed(client, advisor):
    other = VehicleFactory(vin=VIN)
    client.force_login(advisor)
    page = client.get(reverse("customers:vehicle_add", args=[CustomerFactory().pk])).content
    assert f'hx-get="{reverse("customers:vin_check")}"' in page.decode()
    response = client.get(reverse("customers:vin_check"), {"vin": "1hgcm8-2633a004352"})
    assert response.status_code == 200
    assert str(other.customer) in response.content.decode()
    # Its own VIN is not a warning on its own edit page.
    own = client.get(reverse("customers:vin_check"), {"vin": VIN, "vehicle": other.pk})
    assert "already on" not in own.content.decode()
    assert client.get(reverse("customers:vin_check"), {"vin": "1HGCM826"}).content.strip() == b""


def test_the_vin_check_refuses_a_technician(client, technician):
    VehicleFactory(vin=VIN)
    client.force_login(technician)
    assert client.get(reverse("customers:vin_check"), {"vin": VIN}).status_code == 403


def test_a_bad_phone_and_a_bad_vin_are_described_by_their_errors_and_hints(
    client, advisor, area_code_217
):
    client.force_login(advisor)
    page = client.post(
        reverse("customers:add"), customer_post(**{"phones-0-number": "555-01"})
    ).content.decode()
    assert 'aria-describedby="phones-hint id_phones-0-number_error"' in page
    customer = CustomerFactory()
    page = client.post(
        reverse("customers:vehicle_add", args=[customer.pk]), {"vin": "1HGCM82643A004352"}
    ).content.decode()
    assert 'aria-describedby="id_vin_error id_vin_helptext vin-check"' in page
