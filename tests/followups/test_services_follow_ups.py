from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from followups.models import FollowUp, FollowUpSettings, Mailing
from followups.services.follow_ups import follow_ups_delete_sent, follow_ups_generate
from followups.services.outputs import output_job_start
from followups.tasks import generate_follow_ups
from tests.followups.factories import (
    FollowUpListFactory,
    LetterTemplateFactory,
    VehicleFactory,
    invoice,
    open_work_order,
    with_email,
)
from workorders.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def oil_list(follow_ups_on):
    # Due after 6 months, or 5,000 miles at the vehicle's annual mileage.
    return FollowUpListFactory(due_months=6, due_miles=5000)


def test_it_runs_daily_from_celery_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["followups-generate"]
    assert entry["task"] == "followups.tasks.generate_follow_ups"
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {5} and entry["schedule"].minute == {30}


def test_it_generates_an_oil_change_reminder_due_by_months(oil_list, today):
    vehicle = VehicleFactory(annual_mileage=1000)  # 5,000 miles would take five years
    visit = invoice(vehicle, today - timedelta(days=200))
    VehicleFactory(annual_mileage=1000)  # no visit, no follow-up
    invoice(VehicleFactory(annual_mileage=1000), today - timedelta(days=100))  # not due yet
    assert follow_ups_generate(today=today) == 1
    follow_up = FollowUp.objects.get()
    assert follow_up.work_order == visit
    assert follow_up.vehicle == vehicle
    assert follow_up.visit_on == today - timedelta(days=200)


def test_it_is_due_earlier_by_miles_for_a_vehicle_driven_a_lot(oil_list, today):
    # 36,500 miles a year: 5,000 miles in 50 days.
    vehicle = VehicleFactory(annual_mileage=36500)
    invoice(vehicle, today - timedelta(days=60))
    follow_ups_generate(today=today)
    assert FollowUp.objects.get().due_on == today - timedelta(days=10)


def test_it_only_follows_up_the_list_category(oil_list, today):
    invoice(VehicleFactory(), today - timedelta(days=300), categories=("Brakes",))
    assert follow_ups_generate(today=today) == 0


def test_it_never_generates_the_same_follow_up_twice_when_the_task_runs_twice(oil_list, today):
    invoice(VehicleFactory(), today - timedelta(days=200))
    generate_follow_ups.delay()
    generate_follow_ups.delay()
    assert FollowUp.objects.count() == 1
    assert follow_ups_generate(today=today) == 0


def test_it_never_generates_again_a_follow_up_sent_and_deleted(
    oil_list, today, owner, django_capture_on_commit_callbacks
):
    invoice(VehicleFactory(), today - timedelta(days=200))
    follow_ups_generate(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        output_job_start(by=owner, kind="labels", follow_up_list=oil_list)
    assert FollowUp.objects.get().date_sent == today
    assert follow_ups_delete_sent() == 1
    assert not FollowUp.objects.exists()
    assert follow_ups_generate(today=today + timedelta(days=60)) == 0
    assert Mailing.objects.count() == 1


def test_none_when_the_customer_came_back_since(oil_list, today):
    vehicle = VehicleFactory()
    invoice(vehicle, today - timedelta(days=200))
    invoice(vehicle, today - timedelta(days=20), categories=("Tires",))
    assert follow_ups_generate(today=today) == 0


def test_none_while_the_vehicle_is_in_the_shop_on_an_open_repair_order(oil_list, today):
    in_the_shop = VehicleFactory()
    invoice(in_the_shop, today - timedelta(days=200))
    open_work_order(in_the_shop)
    # An open estimate is not a visit: that customer is still reminded.
    quoted = VehicleFactory()
    invoice(quoted, today - timedelta(days=200))
    open_work_order(quoted, stage=Stage.ESTIMATE)
    assert follow_ups_generate(today=today) == 1
    assert FollowUp.objects.get().vehicle == quoted


def test_none_for_a_disabled_vehicle(oil_list, today):
    invoice(VehicleFactory(is_active=False), today - timedelta(days=200))
    assert follow_ups_generate(today=today) == 0


def test_none_to_a_revoked_contact(follow_ups_on, today):
    email_list = FollowUpListFactory(by_email=True)
    revoked = VehicleFactory()
    with_email(revoked.customer, consent=False)
    invoice(revoked, today - timedelta(days=200))
    agreed = VehicleFactory()
    with_email(agreed.customer)
    invoice(agreed, today - timedelta(days=200))
    no_address = VehicleFactory(customer__address_line1="")
    invoice(no_address, today - timedelta(days=200))
    assert follow_ups_generate(today=today) == 1
    assert FollowUp.objects.get(follow_up_list=email_list).customer == agreed.customer


def test_none_within_the_minimum_days_of_the_last_mailing(
    oil_list, today, owner, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory()
    invoice(vehicle, today - timedelta(days=200))
    # A Data Search mailing reached the customer today...
    with django_capture_on_commit_callbacks(execute=True):
        output_job_start(by=owner, kind="labels", criteria={})
    assert Mailing.objects.get().customer == vehicle.customer
    # ...so ten days later the reminder is held back (30-day minimum), not lost.
    assert follow_ups_generate(today=today + timedelta(days=10)) == 0
    FollowUpSettings.objects.update(min_days_between_mailings=5)
    assert follow_ups_generate(today=today + timedelta(days=10)) == 1


def test_it_sends_a_thank_you_n_days_after_the_invoice(follow_ups_on, today):
    thanks = FollowUpListFactory(rule="thank_you", category="", days_after=3,
                                 due_months=None, due_miles=None)  # fmt: skip
    invoice(VehicleFactory(), today - timedelta(days=3), categories=("Brakes",))
    invoice(VehicleFactory(), today - timedelta(days=1), categories=("Brakes",))
    assert follow_ups_generate(today=today) == 1
    assert FollowUp.objects.get(follow_up_list=thanks).due_on == today


def test_nothing_is_generated_while_follow_ups_are_disabled(today):
    FollowUpListFactory()
    invoice(VehicleFactory(), today - timedelta(days=200))
    assert follow_ups_generate(today=today) == 0


def test_sending_needs_follow_ups_enabled(today, owner):
    from shop.errors import ServiceError

    follow_up_list = FollowUpListFactory()
    with pytest.raises(ServiceError, match="not enabled"):
        output_job_start(by=owner, kind="labels", follow_up_list=follow_up_list)


def test_a_follow_up_e_mail_goes_through_the_outbox_once(
    follow_ups_on, today, owner, django_capture_on_commit_callbacks
):
    from outbox.models import OutboundMessage

    mail = LetterTemplateFactory(
        kind="email",
        subject="Oil change due",
        body="Hi {{ first_name }}, your {{ vehicle }} is due {{ due_date }}.",
    )  # fmt: skip
    email_list = FollowUpListFactory(by_email=True, template=mail)
    vehicle = VehicleFactory()
    with_email(vehicle.customer)
    invoice(vehicle, today - timedelta(days=200))
    follow_ups_generate(today=today)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            output_job_start(by=owner, kind="email", template=mail, follow_up_list=email_list)
    message = OutboundMessage.objects.get()
    assert "your 2016 Honda Civic is due" in message.body
    assert FollowUp.objects.get().date_sent == today
