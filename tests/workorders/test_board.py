"""Today's Vehicles Page: columns, timers and colours, live refresh, card actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import InboundMessage
from tests.workorders.factories import VehicleFactory
from workorders import board, services
from workorders.models import Appointment, Status, WorkOrder

pytestmark = pytest.mark.django_db


def repair_order(advisor, statuses, number=7, **fields):
    work_order = services.workorder_create(by=advisor, vehicle=VehicleFactory(), **fields)
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[number]
    )


class TestTimers:
    def test_a_count_down_turns_orange_under_the_setting_then_red(self, statuses):
        status = statuses[7]  # In Progress: Count Down, 120 minutes
        entered = timezone.now()
        ok = board.timer_for(status, entered, entered + timedelta(minutes=60), 15)
        assert (ok.state, ok.text) == ("ok", "1:00 left")
        warn = board.timer_for(status, entered, entered + timedelta(minutes=110), 15)
        assert (warn.state, warn.text) == ("warn", "0:10 left")
        late = board.timer_for(status, entered, entered + timedelta(minutes=135), 15)
        assert (late.state, late.text) == ("late", "0:15 over")

    def test_a_count_up_counts_the_time_in_status_and_open_shows_none(self, statuses):
        entered = timezone.now()
        up = board.timer_for(statuses[8], entered, entered + timedelta(minutes=75), 15)
        assert (up.kind, up.state, up.text) == ("count_up", "", "1:15 in status")
        assert board.timer_for(statuses[1], entered, entered, 15).kind == ""

    def test_an_appointment_past_due_is_red(self):
        now = timezone.now()
        assert board.appointment_timer(now + timedelta(minutes=30), now).state == "ok"
        past = board.appointment_timer(now - timedelta(minutes=5), now)
        assert (past.state, past.text) == ("late", "0:05 past due")


class TestBoardPage:
    def test_it_shows_the_days_columns_to_an_advisor_and_refuses_a_technician(
        self, client, advisor, technician, statuses, shop_rates
    ):
        estimate = services.workorder_create(by=advisor, vehicle=VehicleFactory())
        order = repair_order(advisor, statuses, default_technician=technician)
        vehicle = VehicleFactory(customer__first_name="Ana", customer__last_name="Appt")
        services.appointment_create(
            by=advisor,
            starts_at=timezone.now() - timedelta(minutes=20),
            vehicle=vehicle,
            concern="Oil change",
        )
        client.force_login(advisor)
        html = client.get(reverse("workorders:board")).content.decode()
        assert "Today's appointments" in html and "Ana Appt" in html
        assert f'data-testid="card-work_order-{estimate.pk}"' in html
        assert f'data-testid="card-work_order-{order.pk}"' in html
        assert "past due" in html and "timer--late" in html
        assert str(technician) in html
        client.force_login(technician)
        assert client.get(reverse("workorders:board")).status_code == 403
        assert client.get(reverse("workorders:board_refresh")).status_code == 403

    def test_an_advisor_lands_on_the_board_and_a_technician_on_their_jobs(
        self, client, advisor, technician
    ):
        client.force_login(advisor)
        assert client.get(reverse("home"))["Location"] == reverse("workorders:board")
        client.force_login(technician)
        assert client.get(reverse("home"))["Location"] == reverse("workorders:my_jobs")

    def test_text_button_turns_orange_for_an_unread_reply_and_opens_the_conversation(
        self, client, advisor, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        customer = order.customer
        customer.text_consent = True
        customer.save()
        client.force_login(advisor)
        html = client.get(reverse("workorders:board")).content.decode()
        assert "Text · replied" not in html
        InboundMessage.objects.create(
            customer=customer,
            provider_message_id="SM1",
            from_number="555-555-0100",
            from_e164="+15555550100",
            body="When is it ready?",
        )
        html = client.get(reverse("workorders:board")).content.decode()
        assert "contact--replied" in html
        assert reverse("messaging:conversation", args=[customer.pk]) in html

    def test_the_page_has_a_fixed_number_of_queries_whatever_the_cards(
        self, client, advisor, statuses, shop_rates, django_assert_max_num_queries
    ):
        repair_order(advisor, statuses)
        client.force_login(advisor)
        url = reverse("workorders:board")
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        for number in (6, 7, 8, 9):
            repair_order(advisor, statuses, number=number)
            services.workorder_create(by=advisor, vehicle=VehicleFactory())
            services.appointment_create(
                by=advisor, starts_at=timezone.now(), vehicle=VehicleFactory(), concern="Noise"
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)


class TestRefresh:
    def test_nothing_changed_answers_without_a_body_in_three_queries(
        self, client, advisor, statuses, shop_rates, django_assert_max_num_queries
    ):
        repair_order(advisor, statuses)
        client.force_login(advisor)
        url = reverse("workorders:board_refresh")
        first = client.get(url)
        assert first.status_code == 200
        etag = first["ETag"]
        fingerprint = etag.strip('"')
        with django_assert_max_num_queries(3):
            unchanged = client.get(url, {"since": fingerprint})
        assert unchanged.status_code == 204 and unchanged.content == b""
        with django_assert_max_num_queries(3):
            not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304 and not_modified.content == b""

    def test_a_change_sends_the_cards_again(self, client, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        client.force_login(advisor)
        url = reverse("workorders:board_refresh")
        fingerprint = client.get(url)["ETag"].strip('"')
        services.workorder_priority_set(by=advisor, work_order=order, priority=4)
        changed = client.get(url, {"since": fingerprint})
        assert changed.status_code == 200
        assert "Urgent" in changed.content.decode()


class TestCardActions:
    def test_an_advisor_changes_the_status_from_the_card(
        self, client, advisor, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        client.force_login(advisor)
        response = client.post(
            reverse("workorders:board_status", args=[order.pk]),
            {"status": statuses[8].pk, "version": order.version},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert 'id="board-columns"' in response.content.decode()
        assert WorkOrder.objects.get(pk=order.pk).status == statuses[8]

    def test_a_stale_card_changes_nothing_and_says_why(self, client, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        client.force_login(advisor)
        response = client.post(
            reverse("workorders:board_status", args=[order.pk]),
            {"status": statuses[8].pk, "version": order.version - 1},
            HTTP_HX_REQUEST="true",
        )
        assert "changed by someone else" in response.content.decode()
        assert WorkOrder.objects.get(pk=order.pk).status == statuses[7]

    def test_a_technician_may_not_change_a_status_or_priority(
        self, client, advisor, technician, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        client.force_login(technician)
        url = reverse("workorders:board_status", args=[order.pk])
        assert (
            client.post(url, {"status": statuses[8].pk, "version": order.version}).status_code
            == 403
        )
        url = reverse("workorders:board_priority", args=[order.pk])
        assert client.post(url, {"priority": 4}).status_code == 403
        assert WorkOrder.objects.get(pk=order.pk).priority == WorkOrder.Priority.NORMAL

    def test_an_advisor_sets_the_technician_priority_and_a_bad_one_is_refused(
        self, client, advisor, statuses, shop_rates
    ):
        order = repair_order(advisor, statuses)
        client.force_login(advisor)
        url = reverse("workorders:board_priority", args=[order.pk])
        client.post(url, {"priority": 4}, HTTP_HX_REQUEST="true")
        assert WorkOrder.objects.get(pk=order.pk).priority == 4
        response = client.post(url, {"priority": 9}, HTTP_HX_REQUEST="true")
        assert "Choose a priority" in response.content.decode()
        assert WorkOrder.objects.get(pk=order.pk).priority == 4

    def test_the_status_history_opens_from_the_card(self, client, advisor, statuses, shop_rates):
        order = repair_order(advisor, statuses)
        client.force_login(advisor)
        html = client.get(reverse("workorders:board_history", args=[order.pk])).content.decode()
        assert "Status history" in html and "In Progress" in html


def test_an_appointment_turned_into_a_work_order_leaves_the_appointments_column(
    advisor, statuses, shop_rates
):
    appointment = services.appointment_create(
        by=advisor, starts_at=timezone.now(), vehicle=VehicleFactory(), concern="Brakes"
    )
    assert [c.pk for c in board.board_get().appointments] == [appointment.pk]
    services.appointment_convert(by=advisor, appointment=appointment)
    assert board.board_get().appointments == []
    assert Appointment.objects.get(pk=appointment.pk).work_order is not None
    assert Status.objects.exists()


def test_a_cancelled_appointment_leaves_the_board_and_changes_its_fingerprint(
    advisor, statuses, shop_rates
):
    appointment = services.appointment_create(
        by=advisor, starts_at=timezone.now(), vehicle=VehicleFactory(), concern="Brakes"
    )
    _level, before = board.board_fingerprint()
    services.appointment_cancel(by=advisor, appointment=appointment, reason="No show")
    assert board.board_get().appointments == []
    assert board.board_fingerprint()[1] != before


def test_a_moved_appointment_changes_the_boards_fingerprint(advisor, statuses, shop_rates):
    appointment = services.appointment_create(
        by=advisor, starts_at=timezone.now(), vehicle=VehicleFactory(), concern="Brakes"
    )
    _level, before = board.board_fingerprint()
    services.appointment_update(
        by=advisor,
        appointment=appointment,
        starts_at=appointment.starts_at + timedelta(minutes=30),
        concern="Brakes",
    )
    assert board.board_fingerprint()[1] != before
