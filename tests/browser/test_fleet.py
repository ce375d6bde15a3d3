"""The fleet flow end to end: the advisor sends a repair order with a line note, the fleet
denies that line with a reason, the advisor reads it in Fleet Communication, edits and
presses Save and Send to Fleet, the fleet approves, and the invoice is approved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fleet.models import FleetRequest, RequestState
from shop.models import ShopProfile
from tests.fleet.factories import FleetAccountFactory, FleetCompanyFactory, FleetUserFactory
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def logged_in(page) -> None:
    """Wait until the login has landed (a fleet user lands on the employees' refusal)."""
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_denied_line_is_fixed_resent_and_approved(page, live_server, log_in, advisor, shoot):
    statuses = statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    company = FleetCompanyFactory(name="Rapid Rentals", fleet_company_id="RR-100")
    account = FleetAccountFactory(company=company, customer__company_name="Rapid Rentals")
    FleetUserFactory(company=company, user__username="rapid", user__first_name="Fran")
    vehicle = VehicleFactory(customer=account.customer, vin="1FTFW1E50JFA12345", plate="RENT01")
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=42000)
    job = services.job_add(
        by=advisor, work_order=work_order, version=work_order.version, title="Brakes", category="B"
    )
    for description, price in (("Replace front pads and rotors", "240.00"), ("Brake fluid", "60")):
        work_order.refresh_from_db()
        services.line_add(
            by=advisor,
            job=job,
            version=work_order.version,
            kind="labor",
            description=description,
            quantity="1",
            unit_price=price,
        )
    pads = work_order.lines.get(description__startswith="Replace").pk
    editor = f"{live_server.url}/workorders/{work_order.pk}/"

    # The advisor sends it with a note on the pads line.
    log_in("advisor")
    logged_in(page)
    page.goto(editor)
    page.get_by_role("link", name="Send to Fleet").click()
    expect(page.get_by_text("1FTFW1E50JFA12345")).to_be_visible()
    page.get_by_label("Note for Replace front pads and rotors").fill("Rotors below minimum")
    shoot("fleet-01-send-dialog")
    page.get_by_role("button", name="Submit Repair Order").click()
    expect(page.get_by_test_id("fleet-state")).to_have_text("Awaiting approval")
    log_out(page)

    # The fleet user denies the pads line with a reason and approves the fluid.
    log_in("rapid")
    logged_in(page)
    page.goto(f"{live_server.url}/fleet/portal/")
    page.get_by_role("link", name=f"#{work_order.pk}").click()
    expect(page.get_by_text("Rotors below minimum")).to_be_visible()
    line = page.get_by_test_id(f"fleet-line-{pads}")
    line.get_by_label("Deny").check()
    line.get_by_label("Reason for Replace front pads and rotors").fill(
        "Pads only, rotors not covered"
    )
    fluid = page.get_by_test_id(f"fleet-line-{pads + 1}")
    fluid.get_by_label("Approve").check()
    shoot("fleet-02-portal-deciding")
    page.get_by_role("button", name="Send decisions").click()
    expect(page.get_by_test_id("fleet-state")).to_have_text("Partially approved")
    log_out(page)

    # The advisor reads the reason in Fleet Communication, edits, and resends by saving.
    log_in("advisor")
    logged_in(page)
    page.goto(editor)
    page.locator("#fleet").get_by_role("link", name="Fleet Communication", exact=True).click()
    expect(page.get_by_text("Denied: Pads only, rotors not covered")).to_be_visible()
    shoot("fleet-03-communication")
    page.goto(editor)
    page.get_by_role("button", name="Remove Replace front pads and rotors").click()
    expect(page.get_by_role("button", name="Remove Replace front pads and rotors")).to_have_count(0)
    page.locator(f"#job{job.pk}_kind").select_option("labor")
    page.locator(f"#job{job.pk}_description").fill("Replace front pads")
    page.locator(f"#job{job.pk}_unit_price").fill("140")
    page.locator(f"#job-{job.pk}-line-form").get_by_role("button", name="Add line").click()
    expect(page.get_by_role("button", name="Remove Replace front pads")).to_be_visible()
    expect(page.get_by_role("button", name="Save and Send to Fleet")).to_be_visible()
    shoot("fleet-04-editor-save-and-send")
    page.get_by_role("button", name="Save and Send to Fleet").click()
    expect(page.locator("#fleet").get_by_test_id("fleet-state")).to_have_text("Awaiting approval")
    log_out(page)

    # The fleet approves the new version.
    log_in("rapid")
    logged_in(page)
    request = FleetRequest.objects.get()
    assert request.current_version == 2
    page.goto(f"{live_server.url}/fleet/portal/requests/{request.pk}/")
    for radio in page.get_by_label("Approve").all():
        radio.check()
    page.get_by_role("button", name="Send decisions").click()
    expect(page.get_by_test_id("fleet-state")).to_have_text("Approved")
    log_out(page)

    # The advisor bills it out: the invoice is approved.
    log_in("advisor")
    logged_in(page)
    page.goto(editor)
    page.locator("#id_status").select_option(str(statuses[17].pk))
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("fleet-invoice-approved")).to_be_visible()
    shoot("fleet-05-invoice-approved")
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert request.invoice_approved_at is not None


def test_a_line_added_inline_voids_the_approval_on_the_page_at_once(
    page, live_server, log_in, advisor, shoot
):
    """No reload: the htmx answer redraws the fleet panel and the save button with the job."""
    from fleet import services as fleet_services

    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    company = FleetCompanyFactory(name="Rapid Rentals", fleet_company_id="RR-100")
    account = FleetAccountFactory(company=company, customer__company_name="Rapid Rentals")
    vehicle = VehicleFactory(customer=account.customer, vin="1FTFW1E50JFA12345", plate="RENT01")
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=42000)
    job = services.job_add(
        by=advisor, work_order=work_order, version=work_order.version, title="Brakes", category="B"
    )
    work_order.refresh_from_db()
    services.line_add(
        by=advisor,
        job=job,
        version=work_order.version,
        kind="labor",
        description="Replace front pads",
        quantity="1",
        unit_price="140",
    )
    request = fleet_services.fleet_request_submit(by=advisor, work_order=work_order)
    fleet_services.fleet_request_decide(
        request=request,
        version=1,
        by_name="Fran",
        decisions=[{"line": line.pk, "decision": "approved"} for line in work_order.lines.all()],
    )

    log_in("advisor")
    logged_in(page)
    page.goto(f"{live_server.url}/workorders/{work_order.pk}/")
    panel = page.locator("#fleet")
    expect(panel.get_by_test_id("fleet-state")).to_have_text("Approved")
    expect(panel.get_by_test_id("fleet-needs-approval")).to_have_count(0)
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    loads = []
    page.on("load", lambda _: loads.append(1))

    # A cabin filter added inline: the approval no longer covers the work order.
    page.locator(f"#job{job.pk}_kind").select_option("labor")
    page.locator(f"#job{job.pk}_description").fill("Cabin air filter")
    page.locator(f"#job{job.pk}_unit_price").fill("30")
    page.locator(f"#job-{job.pk}-line-form").get_by_role("button", name="Add line").click()
    expect(page.get_by_role("button", name="Remove Cabin air filter")).to_be_visible()
    expect(panel.get_by_test_id("fleet-needs-approval")).to_have_text(
        "Changed since the fleet approved it: it needs approval again."
    )
    expect(page.get_by_role("button", name="Save and Send to Fleet")).to_be_visible()
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    expect(page.locator("link[href$='css/fleet.css']")).to_have_count(1)
    # The change is read out from the editor's live region (the panel itself was replaced).
    status = page.locator("#editor-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("Changed since the fleet approved it: it needs approval again.")
    shoot("fleet-06-inline-line-voids-approval")

    # Taking it off again from the keyboard: the work order is what the fleet approved,
    # Save only saves, and the cursor is back in the job's add-line Type field.
    page.get_by_role("button", name="Remove Cabin air filter").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Remove Cabin air filter")).to_have_count(0)
    expect(page.locator(f"#job{job.pk}_kind")).to_be_focused()
    expect(status).to_have_text("Fleet approval: Approved.")
    expect(panel.get_by_test_id("fleet-needs-approval")).to_have_count(0)
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Save and Send to Fleet")).to_have_count(0)
    assert loads == []  # all of it without a page load
