"""Fleet webhooks from the shop's outbox: the advisor submits a repair order, the fleet
network first answers 503, the outbox tries again, and the owner reads both tries under
Admin site → Fleet webhooks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fleet.models import FleetWebhook
from fleet.services import webhook_verify
from outbox.models import OutboundMessage
from shop.models import ShopProfile
from tests.browser.conftest import PHONE
from tests.fleet.factories import FleetAccountFactory, FleetCompanyFactory
from tests.integrations.receiver import running_receiver
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_submitted_repair_order_reaches_the_fleet_network_and_its_tries_are_listed(
    page, live_server, log_in, owner, advisor, shoot
):
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    with running_receiver() as receiver:
        receiver.answers = [503]  # the fleet network is busy at first
        company = FleetCompanyFactory(
            name="Rapid Rentals", fleet_company_id="RR-100", webhook_url=receiver.url
        )
        account = FleetAccountFactory(company=company, customer__company_name="Rapid Rentals")
        vehicle = VehicleFactory(customer=account.customer, vin="1FTFW1E50JFA12345")
        work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=42000)
        job = services.job_add(
            by=advisor, work_order=work_order, version=work_order.version, title="Brakes"
        )
        work_order.refresh_from_db()
        services.line_add(
            by=advisor,
            job=job,
            version=work_order.version,
            kind="labor",
            description="Replace front pads",
            quantity="1",
            unit_price="140.00",
        )

        log_in("advisor")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        page.goto(f"{live_server.url}/workorders/{work_order.pk}/")
        page.get_by_role("link", name="Send to Fleet").click()
        page.get_by_role("button", name="Submit Repair Order").click()
        expect(page.get_by_test_id("fleet-state")).to_have_text("Awaiting approval")
        # Tasks run in-process here: the 503, then the outbox's retry, both already done.
        assert len(receiver.received) == 2
    delivered = receiver.received[-1]
    assert webhook_verify(
        secret=company.webhook_secret,
        timestamp=delivered.headers["X-Fleet-Timestamp"],
        signature=delivered.headers["X-Fleet-Signature"],
        body=delivered.body.encode(),
    )
    delivery = FleetWebhook.objects.get()
    assert delivery.state == OutboundMessage.State.SENT
    page.get_by_role("button", name="Log out").click()

    log_in("owner")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Fleet webhooks").click()
    row = page.get_by_role("row", name="repair_order.submitted")
    expect(row).to_contain_text("Sent")
    shoot("fleet-webhooks-01-list")
    row.get_by_role("link").first.click()
    expect(page.get_by_text("The receiver answered HTTP 503.")).to_be_visible()
    shoot("fleet-webhooks-02-tries")
    page.set_viewport_size(PHONE)
    expect(page.get_by_text("The receiver answered HTTP 503.")).to_be_visible()
    shoot("fleet-webhooks-03-tries-phone")
