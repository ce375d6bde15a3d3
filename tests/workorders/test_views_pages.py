import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from shop.models import SecurityFunctionLevel
from tests.workorders.factories import VehicleFactory, brake_package
from workorders import selectors, services
from workorders.models import Appointment, Status, WorkOrder

pytestmark = pytest.mark.django_db


def make_work_orders(advisor, count, vehicle=None):
    made = []
    for _ in range(count):
        wo = services.workorder_create(by=advisor, vehicle=vehicle or VehicleFactory())
        job = services.job_add(
            by=advisor, work_order=wo, version=None, title="Oil change", category="Maintenance"
        )
        services.line_add(
            by=advisor,
            job=job,
            version=None,
            kind="part",
            description="Oil filter",
            quantity="1",
            unit_price="12.50",
        )
        made.append(wo)
    return made


class TestTheList:
    def test_it_lists_and_filters_by_stage_and_status(self, client, advisor, statuses, shop_rates):
        estimate, repair = make_work_orders(advisor, 2)
        services.workorder_status_set(
            by=advisor, work_order=repair, version=None, status=statuses[7]
        )
        client.force_login(advisor)
        html = client.get(reverse("workorders:list"), {"stage": "repair_order"}).content.decode()
        assert f"#{repair.pk}<" in html and f"#{estimate.pk}<" not in html
        html = client.get(reverse("workorders:list"), {"status": statuses[1].pk}).content.decode()
        assert f"#{estimate.pk}<" in html and f"#{repair.pk}<" not in html

    def test_it_filters_by_dates_and_advisor(self, client, advisor, owner, statuses, shop_rates):
        old, new = make_work_orders(advisor, 2)
        WorkOrder.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=400), advisor=owner
        )
        client.force_login(advisor)
        today = timezone.localdate().isoformat()
        html = client.get(reverse("workorders:list"), {"created_from": today}).content.decode()
        assert f"#{new.pk}<" in html and f"#{old.pk}<" not in html
        html = client.get(reverse("workorders:list"), {"advisor": owner.pk}).content.decode()
        assert f"#{old.pk}<" in html and f"#{new.pk}<" not in html

    def test_htmx_gets_only_the_rows(self, client, advisor, statuses, shop_rates):
        client.force_login(advisor)
        response = client.get(
            reverse("workorders:list"), {"stage": "estimate"}, HTTP_HX_REQUEST="true"
        )
        assert response.content.decode().startswith('<div id="work-order-rows">')

    def test_it_has_a_fixed_number_of_queries(
        self, client, advisor, statuses, shop_rates, django_assert_max_num_queries
    ):
        make_work_orders(advisor, 2)
        client.force_login(advisor)
        url = reverse("workorders:list")
        client.get(url)
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        make_work_orders(advisor, 15)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        SecurityFunctionLevel.objects.filter(code="view_work_orders").update(level=3)
        client.force_login(employee_at(4))
        response = client.get(reverse("workorders:list"))
        assert response.status_code == 403
        assert "View work orders" in response.content.decode()


class TestHistory:
    def test_a_technician_never_sees_estimates_in_the_history(
        self, client, advisor, technician, statuses, shop_rates
    ):
        vehicle = VehicleFactory()
        estimate, repair_order = make_work_orders(advisor, 2, vehicle)
        services.workorder_status_set(
            by=advisor, work_order=repair_order, version=None, status=statuses[7]
        )
        client.force_login(technician)
        html = client.get(reverse("workorders:vehicle_history", args=[vehicle.pk])).content.decode()
        estimate_url = reverse("workorders:editor", args=[estimate.pk])
        repair_order_url = reverse("workorders:editor", args=[repair_order.pk])
        assert f'"{repair_order_url}"' in html and f'"{estimate_url}"' not in html
        listing = client.get(reverse("workorders:list")).content.decode()
        assert f'"{repair_order_url}"' in listing and f'"{estimate_url}"' not in listing
        api = client.get(reverse("workorder-detail", args=[estimate.pk]))
        assert api.status_code == 404

    def test_the_vehicle_history_lists_its_work_orders_in_fixed_queries(
        self, client, advisor, technician, statuses, shop_rates, django_assert_max_num_queries
    ):
        vehicle = VehicleFactory()
        other = VehicleFactory(customer=vehicle.customer, make="Ford", model="F-150")
        make_work_orders(advisor, 2, vehicle)
        make_work_orders(advisor, 1, other)
        client.force_login(advisor)
        url = reverse("workorders:vehicle_history", args=[vehicle.pk])
        with django_assert_max_num_queries(20) as few:
            html = client.get(url).content.decode()
        assert html.count("Oil change") == 2 and "F-150" not in html
        make_work_orders(advisor, 10, vehicle)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)
        customer_url = reverse("workorders:customer_history", args=[vehicle.customer_id])
        html = client.get(customer_url).content.decode()
        assert html.count("Oil change") == 13 and "F-150" in html

    def test_it_refuses_a_login_below_the_level(self, client, employee_at):
        vehicle = VehicleFactory()
        SecurityFunctionLevel.objects.filter(code="view_work_orders").update(level=2)
        client.force_login(employee_at(3))
        url = reverse("workorders:vehicle_history", args=[vehicle.pk])
        assert client.get(url).status_code == 403


class TestStatuses:
    def test_the_owner_adds_a_status(self, client, owner, statuses):
        Status.objects.filter(number=15).delete()
        client.force_login(owner)
        response = client.post(
            reverse("workorders:status_new"),
            {
                "number": "15",
                "name": "Waiting on Insurance",
                "colour": "#123456",
                "time_display": "count_down",
                "default_minutes": "240",
                "send_customer_update": "on",
                "message_template": "Hi {customer}",
            },
        )
        assert response.status_code == 302
        assert Status.objects.get(number=15).default_minutes == 240

    def test_a_number_in_no_range_is_refused(self, client, owner, statuses):
        client.force_login(owner)
        response = client.post(
            reverse("workorders:status_new"),
            {
                "number": "40",
                "name": "Lost",
                "colour": "#123456",
                "time_display": "open",
            },
        )
        assert response.status_code == 200
        assert "Status number 40 is in no stage range" in response.content.decode()
        assert not Status.objects.filter(number=40).exists()

    def test_deleting_a_status_in_use_says_why(self, client, owner, advisor, statuses, shop_rates):
        make_work_orders(advisor, 1)
        client.force_login(owner)
        response = client.post(
            reverse("workorders:status_delete", args=[statuses[1].pk]), follow=True
        )
        assert "is the status of 1 work order" in response.content.decode()
        assert Status.objects.filter(number=1).exists()

    def test_an_advisor_may_not_edit_statuses(self, client, advisor, statuses):
        client.force_login(advisor)
        assert client.get(reverse("workorders:statuses")).status_code == 403
        response = client.post(reverse("workorders:status_delete", args=[statuses[15].pk]))
        assert response.status_code == 403
        assert Status.objects.filter(number=15).exists()

    def test_the_owner_changes_the_ranges_and_labor_line(self, client, owner, statuses):
        client.force_login(owner)
        response = client.post(
            reverse("workorders:settings"),
            {
                "estimate_from": 1,
                "estimate_to": 5,
                "repair_order_from": 6,
                "repair_order_to": 16,
                "invoice_from": 17,
                "invoice_to": 19,
                "labor_part_number": "LAB",
                "labor_description": "Labor",
                "labor_hours": "1.0",
                "labor_rate": "",
                "board_warning_minutes": 15,
            },
        )
        assert response.status_code == 302
        assert selectors.workorder_settings_get().invoice_to == 19
        response = client.post(
            reverse("workorders:settings"),
            {
                "estimate_from": 1,
                "estimate_to": 7,
                "repair_order_from": 6,
                "repair_order_to": 16,
                "invoice_from": 17,
                "invoice_to": 19,
                "labor_part_number": "LAB",
                "labor_description": "Labor",
                "labor_hours": "1.0",
                "board_warning_minutes": 15,
            },
        )
        assert "overlap" in response.content.decode()


class TestAppointments:
    def test_it_books_lists_and_converts(self, client, advisor, statuses, shop_rates):
        vehicle = VehicleFactory()
        client.force_login(advisor)
        starts = timezone.localtime().replace(hour=9, minute=30)
        response = client.post(
            reverse("workorders:appointment_new"),
            {
                "vehicle": vehicle.pk,
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "concern": "Check engine light",
                "advisor": advisor.pk,
            },
        )
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert "Check engine light" in html and "Start work order" in html
        appointment = Appointment.objects.get()
        response = client.post(reverse("workorders:appointment_convert", args=[appointment.pk]))
        wo = WorkOrder.objects.get()
        assert response["Location"] == reverse("workorders:editor", args=[wo.pk])
        assert wo.concern == "Check engine light"

    def test_a_missing_concern_is_refused(self, client, advisor, statuses):
        vehicle = VehicleFactory()
        client.force_login(advisor)
        response = client.post(
            reverse("workorders:appointment_new"),
            {
                "vehicle": vehicle.pk,
                "starts_at": "2026-12-01T09:00",
                "concern": "",
            },
        )
        assert response.status_code == 200
        assert not Appointment.objects.exists()

    def test_a_technician_may_not_book(self, client, technician):
        client.force_login(technician)
        assert client.get(reverse("workorders:appointments")).status_code == 403

    def booked(self, advisor, hour=9):
        starts = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
        return services.appointment_create(
            by=advisor, vehicle=VehicleFactory(), starts_at=starts, concern="Oil change"
        )

    def test_it_moves_an_appointment_and_changes_its_concern(self, client, advisor):
        appointment = self.booked(advisor)
        client.force_login(advisor)
        url = reverse("workorders:appointment_edit", args=[appointment.pk])
        assert "Oil change" in client.get(url).content.decode()
        tomorrow = timezone.localtime(appointment.starts_at) + timedelta(days=1, hours=2)
        response = client.post(
            url,
            {
                "starts_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
                "concern": "Oil change and wipers",
                "advisor": advisor.pk,
            },
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"?date={tomorrow.date()}")
        appointment.refresh_from_db()
        assert appointment.concern == "Oil change and wipers"
        assert timezone.localtime(appointment.starts_at).hour == tomorrow.hour

    def test_a_bad_time_or_empty_concern_changes_nothing(self, client, advisor):
        appointment = self.booked(advisor)
        client.force_login(advisor)
        url = reverse("workorders:appointment_edit", args=[appointment.pk])
        for data in (
            {"starts_at": "next tuesday", "concern": "Oil change"},
            {"starts_at": "2026-12-01T09:00", "concern": "  "},
        ):
            response = client.post(url, data)
            assert response.status_code == 200
            assert 'aria-invalid="true"' in response.content.decode() or "field__error" in (
                response.content.decode()
            )
        fresh = Appointment.objects.get(pk=appointment.pk)
        assert (fresh.starts_at, fresh.concern) == (appointment.starts_at, "Oil change")

    def test_a_time_outside_1900_to_2999_is_refused_when_moving_or_booking(self, client, advisor):
        appointment = self.booked(advisor)
        vehicle = VehicleFactory()
        client.force_login(advisor)
        edit = reverse("workorders:appointment_edit", args=[appointment.pk])
        for starts_at in ("1800-01-01T09:00", "3000-01-01T09:00"):
            response = client.post(edit, {"starts_at": starts_at, "concern": "Oil change"})
            assert response.status_code == 200
            assert "Give a time between the years 1900 and 2999." in response.content.decode()
            response = client.post(
                reverse("workorders:appointment_new"),
                {"vehicle": vehicle.pk, "starts_at": starts_at, "concern": "Brakes"},
            )
            assert response.status_code == 200
            assert "Give a time between the years 1900 and 2999." in response.content.decode()
        assert Appointment.objects.get().starts_at == appointment.starts_at

    def test_a_time_past_by_more_than_a_day_is_refused_when_moving_or_booking(
        self, client, advisor
    ):
        appointment = self.booked(advisor)
        vehicle = VehicleFactory()
        client.force_login(advisor)
        past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        refusal = "That time has passed: choose a time from today on."
        response = client.post(
            reverse("workorders:appointment_edit", args=[appointment.pk]),
            {"starts_at": past, "concern": "Oil change"},
        )
        assert response.status_code == 200 and refusal in response.content.decode()
        response = client.post(
            reverse("workorders:appointment_new"),
            {"vehicle": vehicle.pk, "starts_at": past, "concern": "Brakes"},
        )
        assert response.status_code == 200 and refusal in response.content.decode()
        assert Appointment.objects.get().starts_at == appointment.starts_at
        # Within the day's grace a late-booked walk-in is taken.
        earlier = timezone.localtime() - timedelta(hours=3)
        response = client.post(
            reverse("workorders:appointment_new"),
            {
                "vehicle": vehicle.pk,
                "starts_at": earlier.strftime("%Y-%m-%dT%H:%M"),
                "concern": "Brakes",
            },
        )
        assert response.status_code == 302
        assert Appointment.objects.count() == 2

    def test_an_old_appointment_keeps_its_time_when_only_its_concern_changes(self, client, advisor):
        appointment = self.booked(advisor)
        long_ago = timezone.localtime() - timedelta(days=5, seconds=17)
        Appointment.objects.filter(pk=appointment.pk).update(starts_at=long_ago)
        client.force_login(advisor)
        response = client.post(
            reverse("workorders:appointment_edit", args=[appointment.pk]),
            {"starts_at": long_ago.strftime("%Y-%m-%dT%H:%M"), "concern": "Oil change, wipers"},
            follow=True,
        )
        assert [str(m) for m in response.context["messages"]] == ["Saved"]
        appointment.refresh_from_db()
        assert appointment.concern == "Oil change, wipers"
        assert appointment.starts_at == long_ago

    def test_it_says_where_it_moved_to_in_12_hour_time_or_just_saved(self, client, advisor):
        appointment = self.booked(advisor)
        client.force_login(advisor)
        url = reverse("workorders:appointment_edit", args=[appointment.pk])
        this_year = timezone.localtime().year
        next_nov_30 = date(this_year + 1, 11, 30).strftime("%a")
        dec_31 = date(this_year, 12, 31).strftime("%a")
        for starts_at, said in (
            (
                f"{this_year + 1}-11-30T09:00",
                f"Moved to {next_nov_30}, Nov 30, {this_year + 1}, 9:00 AM",
            ),
            (f"{this_year}-12-31T15:05", f"Moved to {dec_31}, Dec 31, 3:05 PM"),
            (f"{this_year}-12-31T15:05", "Saved"),
        ):
            response = client.post(url, {"starts_at": starts_at, "concern": "Oil"}, follow=True)
            assert [str(m) for m in response.context["messages"]] == [said]

    def test_it_cancels_with_a_reason_and_the_day_keeps_it(self, client, advisor):
        appointment = self.booked(advisor)
        client.force_login(advisor)
        response = client.post(
            reverse("workorders:appointment_cancel", args=[appointment.pk]),
            {"reason": "Customer called, will rebook"},
        )
        assert response.status_code == 302
        appointment.refresh_from_db()
        assert appointment.cancelled_at is not None and appointment.cancelled_by == advisor
        html = client.get(response["Location"]).content.decode()
        assert "Cancelled</strong>: Customer called, will rebook" in html
        assert "Start work order" not in html
        again = client.post(reverse("workorders:appointment_convert", args=[appointment.pk]))
        assert again.status_code == 302 and not WorkOrder.objects.exists()

    def test_a_converted_appointment_cannot_be_moved_or_cancelled(
        self, client, advisor, statuses, shop_rates
    ):
        appointment = self.booked(advisor)
        work_order = services.appointment_convert(by=advisor, appointment=appointment)
        client.force_login(advisor)
        response = client.post(reverse("workorders:appointment_cancel", args=[appointment.pk]))
        assert response.status_code == 302
        assert Appointment.objects.get(pk=appointment.pk).cancelled_at is None
        page = client.get(reverse("workorders:appointment_edit", args=[appointment.pk]))
        assert f"#{work_order.pk}" in page.content.decode()
        assert "Cancel appointment" not in page.content.decode()

    def test_a_technician_may_not_move_or_cancel(self, client, technician, advisor):
        appointment = self.booked(advisor)
        client.force_login(technician)
        assert (
            client.get(reverse("workorders:appointment_edit", args=[appointment.pk])).status_code
            == 403
        )
        cancel = reverse("workorders:appointment_cancel", args=[appointment.pk])
        assert client.post(cancel).status_code == 403
        assert Appointment.objects.get(pk=appointment.pk).cancelled_at is None


def pdf_text(response) -> str:
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return "\n".join(page.extract_text() for page in reader.pages)


class TestDocuments:
    @pytest.fixture
    def billed(self, advisor, statuses, shop_rates, vehicle):
        wo = services.workorder_create(
            by=advisor, vehicle=vehicle, odometer_in=84210, concern="Grinding when braking"
        )
        services.job_add_package(
            by=advisor,
            work_order=wo,
            version=None,
            package=brake_package(name="Front brake service"),
        )
        return wo

    def test_the_estimate_prints_the_shop_lines_and_totals(self, client, advisor, billed):
        client.force_login(advisor)
        response = client.get(reverse("workorders:pdf", args=[billed.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response)
        assert "Main Street Auto" in text
        assert "ESTIMATE" in text.upper() and f"No. {billed.pk}" in text
        assert "Front brake service" in text and "Brake pads, front" in text
        assert "$208.50" in text and "$84.89" in text and "$7.00" in text
        assert "$300.39" in text and "Customer approval" in text

    def test_the_repair_order_and_invoice_print_as_such(self, client, advisor, billed, statuses):
        client.force_login(advisor)
        wo = services.workorder_status_set(
            by=advisor, work_order=billed, version=None, status=statuses[7]
        )
        text = pdf_text(client.get(reverse("workorders:pdf", args=[wo.pk])))
        assert "REPAIR ORDER" in text.upper() and "Customer signature" in text
        services.workorder_status_set(by=advisor, work_order=wo, version=None, status=statuses[17])
        response = client.get(reverse("workorders:pdf", args=[wo.pk]), {"download": "1"})
        assert response["Content-Disposition"].startswith("attachment")
        assert f"invoice-{wo.pk}.pdf" in response["Content-Disposition"]
        text = pdf_text(response)
        assert "INVOICE" in text.upper() and "Billed out" in text
        assert "Amount due" in text and "$300.39" in text

    def test_the_invoice_prints_each_jobs_approval_who_how_and_when(
        self, client, advisor, billed, statuses
    ):
        wo = services.workorder_status_set(
            by=advisor, work_order=billed, version=None, status=statuses[7]
        )
        belt = services.job_add(by=advisor, work_order=wo, version=None, title="Serpentine belt")
        services.line_add(
            by=advisor,
            job=belt,
            version=None,
            kind="part",
            description="Belt",
            quantity="1",
            unit_price="48",
        )
        services.job_approval_set(
            job=belt,
            version=None,
            approval="approved",
            method="phone",
            by=advisor,
            by_name="Carlos Diaz",
        )
        services.workorder_status_set(by=advisor, work_order=wo, version=None, status=statuses[17])
        client.force_login(advisor)
        text = flat_text(client.get(reverse("workorders:pdf", args=[wo.pk])))
        customer = wo.customer.display_name
        assert f"Approved · Estimate authorized · {customer}" in text
        assert "Approved · Phone · Carlos Diaz" in text and f"recorded by {advisor}" in text

    def test_it_refuses_a_login_below_the_level(self, client, employee_at, billed):
        SecurityFunctionLevel.objects.filter(code="view_work_orders").update(level=2)
        client.force_login(employee_at(3))
        assert client.get(reverse("workorders:pdf", args=[billed.pk])).status_code == 403


def test_the_owner_edits_packages_in_the_admin_site(client, owner, advisor):
    brake_package(name="Front brakes")
    url = reverse("admin:workorders_package_changelist")
    client.force_login(owner)
    assert "Front brakes" in client.get(url).content.decode()
    client.force_login(advisor)
    assert client.get(url).status_code == 403


def flat_text(response) -> str:
    """The PDF's text with its line breaks as spaces: a long sentence may wrap in print."""
    return " ".join(pdf_text(response).split())


class TestFleetInvoice:
    """The printed invoice of fleet work says what the fleet approved, or that it did not."""

    @pytest.fixture
    def fleet_order(self, advisor, statuses, shop_rates):
        from tests.fleet.factories import FleetAccountFactory, FleetCompanyFactory

        company = FleetCompanyFactory(name="Rapid Rentals", fleet_company_id="RR-100")
        account = FleetAccountFactory(company=company)
        wo = services.workorder_create(
            by=advisor, vehicle=VehicleFactory(customer=account.customer)
        )
        job = services.job_add(by=advisor, work_order=wo, version=None, title="Brakes")
        services.line_add(
            by=advisor,
            job=job,
            version=None,
            kind="labor",
            description="Replace front pads",
            quantity="1",
            unit_price="140",
        )
        return wo

    @staticmethod
    def approve(work_order, advisor):
        from fleet import services as fleet_services

        request = fleet_services.fleet_request_submit(by=advisor, work_order=work_order)
        fleet_services.fleet_request_decide(
            request=request,
            version=1,
            by_name="Fran Fleet",
            decisions=[
                {"line": line.pk, "decision": "approved"} for line in work_order.lines.all()
            ],
        )
        request.refresh_from_db()
        return request

    @staticmethod
    def when(moment, format="M j, Y g:i A") -> str:
        from django.template.defaultfilters import date

        return date(timezone.localtime(moment), format)

    def test_an_approved_invoice_prints_the_fleets_approval(
        self, client, advisor, statuses, fleet_order
    ):
        request = self.approve(fleet_order, advisor)
        services.workorder_status_set(
            by=advisor, work_order=fleet_order, version=None, status=statuses[17]
        )
        request.refresh_from_db()
        client.force_login(advisor)
        text = flat_text(client.get(reverse("workorders:pdf", args=[fleet_order.pk])))
        assert "INVOICE" in text.upper() and "FLEET APPROVAL" in text
        assert "Rapid Rentals · Fleet Company ID RR-100" in text
        assert f"Fleet request #{request.pk}, version 1: Approved" in text
        decided_at = request.versions.get(number=1).decided_at
        assert f"Approved on {self.when(decided_at)} by Fran Fleet" in text
        approved_on = self.when(request.invoice_approved_at, "M j, Y")
        assert f"Invoice approved by the fleet on {approved_on}" in text
        assert "without fleet approval" not in text

    def test_an_unapproved_bill_out_prints_who_billed_it_out_and_when(
        self, client, owner, advisor, statuses, fleet_order
    ):
        from fleet import services as fleet_services
        from fleet.models import UnapprovedBillOut

        fleet_services.fleet_request_submit(by=advisor, work_order=fleet_order)
        services.workorder_status_set(
            by=owner, work_order=fleet_order, version=None, status=statuses[17]
        )
        bill_out = UnapprovedBillOut.objects.get(work_order=fleet_order)
        client.force_login(advisor)
        text = flat_text(client.get(reverse("workorders:pdf", args=[fleet_order.pk])))
        assert "Rapid Rentals · Fleet Company ID RR-100" in text
        assert f"Billed out without fleet approval by {owner} on {self.when(bill_out.at)}" in text
        assert "Fleet request at billing: Awaiting approval" in text
        assert "Invoice approved by the fleet" not in text

    def test_a_reopened_approved_invoice_billed_out_again_changed_prints_no_approval(
        self, client, owner, advisor, statuses, fleet_order
    ):
        self.approve(fleet_order, advisor)
        services.workorder_status_set(
            by=advisor, work_order=fleet_order, version=None, status=statuses[17]
        )
        fleet_order.refresh_from_db()
        services.workorder_reopen(
            by=owner,
            work_order=fleet_order,
            version=fleet_order.version,
            status=statuses[7],
            reason="Customer asked for wipers",
        )
        services.line_add(
            by=owner,
            job=fleet_order.jobs.get(),
            version=None,
            kind="labor",
            description="Wiper blades",
            quantity="1",
            unit_price="20",
        )
        services.workorder_status_set(
            by=owner, work_order=fleet_order, version=None, status=statuses[17]
        )
        client.force_login(advisor)
        text = flat_text(client.get(reverse("workorders:pdf", args=[fleet_order.pk])))
        assert f"Billed out without fleet approval by {owner}" in text
        assert "Fleet request at billing: Needs approval again" in text
        # The job's own line still says the fleet approved it (in version 1); the fleet's box
        # says that approval no longer covers what was billed.
        fleet_box = text.split("FLEET APPROVAL", 1)[1]
        assert "Invoice approved by the fleet" not in fleet_box and "Fran Fleet" not in fleet_box

    def test_ordinary_invoices_and_a_fleet_repair_order_print_no_fleet_box(
        self, client, advisor, statuses, fleet_order
    ):
        client.force_login(advisor)
        services.workorder_status_set(
            by=advisor, work_order=fleet_order, version=None, status=statuses[7]
        )
        text = flat_text(client.get(reverse("workorders:pdf", args=[fleet_order.pk])))
        assert "REPAIR ORDER" in text.upper() and "FLEET APPROVAL" not in text
        (ordinary,) = make_work_orders(advisor, 1)
        services.workorder_status_set(
            by=advisor, work_order=ordinary, version=None, status=statuses[17]
        )
        text = flat_text(client.get(reverse("workorders:pdf", args=[ordinary.pk])))
        assert "INVOICE" in text.upper() and "FLEET APPROVAL" not in text

    def test_the_invoice_refuses_a_login_below_the_level(
        self, client, employee_at, advisor, statuses, fleet_order
    ):
        self.approve(fleet_order, advisor)
        services.workorder_status_set(
            by=advisor, work_order=fleet_order, version=None, status=statuses[17]
        )
        SecurityFunctionLevel.objects.filter(code="view_work_orders").update(level=2)
        client.force_login(employee_at(3))
        assert client.get(reverse("workorders:pdf", args=[fleet_order.pk])).status_code == 403
