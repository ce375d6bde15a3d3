"""Count Down per vehicle: the status's default is the starting value; the advisor sets this
vehicle's hours and minutes on its board card; stored on the work order and in the status
history; the board's timer and the technician's tablet use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.errors import ServiceError
from tests.workorders.factories import VehicleFactory
from workorders import board, services
from workorders.models import StatusChange, WorkOrder

pytestmark = pytest.mark.django_db

IN_PROGRESS = 7  # Count Down, 120 minutes by default
WAITING_FOR_PARTS = 8  # Count Up


def repair_order(advisor, statuses, number=IN_PROGRESS, job_title="", **fields):
    """A repair order; with `job_title`, a job written on its estimate (so approved with it)."""
    work_order = services.workorder_create(by=advisor, vehicle=VehicleFactory(), **fields)
    if job_title:
        services.job_add(by=advisor, work_order=work_order, version=None, title=job_title)
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[number]
    )


def entry(work_order) -> StatusChange:
    return work_order.status_changes.order_by("-changed_at", "-id").first()


def card(work_order) -> board.Card:
    cards = [c for g in board.board_get().repair_orders for c in g.cards]
    return next(c for c in cards if c.pk == work_order.pk)


class TestStartingValue:
    def test_entering_a_count_down_status_starts_from_its_default_in_the_history_too(
        self, advisor, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        assert order.countdown_minutes == 120
        assert entry(order).countdown_minutes == 120

    def test_a_status_that_does_not_count_down_has_no_time(self, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses, number=WAITING_FOR_PARTS)
        assert order.countdown_minutes is None
        assert entry(order).countdown_minutes is None

    def test_the_next_status_starts_from_its_own_default_and_the_history_keeps_the_old(
        self, advisor, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        services.workorder_countdown_set(by=advisor, work_order=order, hours=3, minutes=0)
        order = services.workorder_status_set(
            by=advisor, work_order=order, version=None, status=statuses[9]
        )
        assert order.countdown_minutes == 60
        kept = order.status_changes.filter(to_status=statuses[IN_PROGRESS]).get()
        assert kept.countdown_minutes == 180
        assert entry(order).countdown_minutes == 60


class TestSetOnTheCard:
    def test_it_stores_the_vehicles_time_and_the_timer_uses_it(self, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        version = WorkOrder.objects.get(pk=order.pk).version
        services.workorder_countdown_set(by=advisor, work_order=order, hours="2", minutes="30")
        order = WorkOrder.objects.select_related("status").get(pk=order.pk)
        assert order.countdown_minutes == 150
        assert order.version == version + 1
        assert entry(order).countdown_minutes == 150
        shown = card(order)
        assert (shown.counts_down, shown.countdown_hours, shown.countdown_minutes) == (
            True,
            2,
            30,
        )
        later = order.status_entered_at + timedelta(minutes=60)
        timer = board.work_order_timer(order, later, 15)
        assert (timer.state, timer.text) == ("ok", "1:30 left")
        # The status's own default (120) would have had 1:00 left.
        assert board.timer_for(order.status, order.status_entered_at, later, 15).text == (
            "1:00 left"
        )

    @pytest.mark.parametrize(
        ("hours", "minutes", "message"),
        [
            ("1", "75", "Minutes are from 0 to 59."),
            ("-1", "0", "Hours are from 0 to 99."),
            ("100", "0", "Hours are from 0 to 99."),
            ("one", "0", "whole numbers"),
            ("1.5", "0", "whole numbers"),
            ("0", "0", "at least one minute"),
        ],
    )
    def test_a_bad_time_is_refused_and_changes_nothing(
        self, advisor, statuses, shop_rates, hours, minutes, message
    ):
        order = repair_order(advisor, statuses)
        with pytest.raises(ServiceError, match=message):
            services.workorder_countdown_set(
                by=advisor, work_order=order, hours=hours, minutes=minutes
            )
        assert WorkOrder.objects.get(pk=order.pk).countdown_minutes == 120
        assert entry(order).countdown_minutes == 120

    def test_a_status_that_does_not_count_down_refuses_a_time(self, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses, number=WAITING_FOR_PARTS)
        with pytest.raises(ServiceError, match="does not count down"):
            services.workorder_countdown_set(by=advisor, work_order=order, hours=1, minutes=0)
        assert WorkOrder.objects.get(pk=order.pk).countdown_minutes is None
        assert card(order).counts_down is False

    def test_the_card_sets_it_for_an_advisor_and_refuses_a_technician(
        self, client, advisor, technician, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        url = reverse("workorders:board_countdown", args=[order.pk])
        client.force_login(technician)
        assert client.post(url, {"hours": 4, "minutes": 0}).status_code == 403
        assert WorkOrder.objects.get(pk=order.pk).countdown_minutes == 120
        client.force_login(advisor)
        page = client.get(reverse("workorders:board")).content.decode()
        assert f'id="countdown-hours-{order.pk}"' in page and 'value="2"' in page
        response = client.post(url, {"hours": 1, "minutes": 45}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="board-columns"' in html
        assert f'id="countdown-minutes-{order.pk}"' in html and 'value="45"' in html
        assert WorkOrder.objects.get(pk=order.pk).countdown_minutes == 105

    def test_a_bad_time_on_the_card_says_why(self, client, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        client.force_login(advisor)
        url = reverse("workorders:board_countdown", args=[order.pk])
        response = client.post(url, {"hours": 1, "minutes": 90}, HTTP_HX_REQUEST="true")
        assert "Minutes are from 0 to 59." in response.content.decode()
        assert WorkOrder.objects.get(pk=order.pk).countdown_minutes == 120
        response = client.post(url, {"hours": 1, "minutes": 90}, follow=True)
        assert "Minutes are from 0 to 59." in response.content.decode()

    def test_a_card_of_a_status_without_count_down_has_no_time_fields(
        self, client, advisor, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses, number=WAITING_FOR_PARTS)
        client.force_login(advisor)
        page = client.get(reverse("workorders:board")).content.decode()
        assert f'data-testid="card-work_order-{order.pk}"' in page
        assert f'id="countdown-hours-{order.pk}"' not in page

    def test_the_status_history_shows_the_time_given(self, client, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        services.workorder_countdown_set(by=advisor, work_order=order, hours=2, minutes=30)
        client.force_login(advisor)
        html = client.get(reverse("workorders:board_history", args=[order.pk])).content.decode()
        assert "Count Down 2 h 30 min" in html
        html = client.get(reverse("workorders:editor", args=[order.pk])).content.decode()
        assert "Count Down 2 h 30 min" in html

    def test_a_billed_out_work_order_cannot_be_given_time(self, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        WorkOrder.objects.filter(pk=order.pk).update(closed_at=timezone.now())
        with pytest.raises(ServiceError, match="locked"):
            services.workorder_countdown_set(by=advisor, work_order=order, hours=1, minutes=0)


class TestTablet:
    def test_my_jobs_and_the_job_page_show_the_time_left_for_this_vehicle(
        self, client, advisor, technician, statuses, shop_rates
    ):
        order = repair_order(
            advisor, statuses, job_title="Front brakes", default_technician=technician
        )
        job = order.jobs.get()
        services.workorder_countdown_set(by=advisor, work_order=order, hours=3, minutes=15)
        client.force_login(technician)
        html = client.get(reverse("workorders:my_jobs")).content.decode()
        assert f'data-testid="tech-countdown-{job.pk}"' in html
        assert "3:14 left" in html or "3:15 left" in html
        html = client.get(reverse("workorders:tech_job", args=[job.pk])).content.decode()
        assert f'data-testid="tech-countdown-{job.pk}"' in html
        assert "3:14 left" in html or "3:15 left" in html

    def test_a_status_without_count_down_shows_no_time_on_the_tablet(
        self, client, advisor, technician, statuses, shop_rates
    ):
        order = repair_order(
            advisor,
            statuses,
            number=WAITING_FOR_PARTS,
            job_title="Front brakes",
            default_technician=technician,
        )
        job = order.jobs.get()
        client.force_login(technician)
        html = client.get(reverse("workorders:my_jobs")).content.decode()
        assert reverse("workorders:tech_job", args=[job.pk]) in html
        assert "tech-countdown-" not in html


def test_the_board_api_gives_the_vehicles_count_down(client, advisor, statuses, shop_rates):
    order = repair_order(advisor, statuses)
    services.workorder_countdown_set(by=advisor, work_order=order, hours=2, minutes=30)
    client.force_login(advisor)
    cards = client.get(reverse("api-board")).json()["repair_orders"][0]["cards"]
    assert [c["timer"]["minutes"] for c in cards if c["id"] == order.pk] == [150]
