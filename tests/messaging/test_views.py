from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from messaging.models import DevSms, InboundMessage
from messaging.selectors import conversation_url, customers_with_unread_replies
from messaging.services.conversations import inbound_text_receive
from messaging.services.outbox import message_enqueue
from outbox.models import OutboundMessage
from tests.api.pages import ids, walk
from tests.messaging.factories import CustomerFactory, CustomerPhoneFactory, customer_with_contacts

pytestmark = pytest.mark.django_db


def reply_from(customer, body="See you at 5", sid=None):
    phone = customer.phones.first()
    return inbound_text_receive(
        provider_message_id=sid or f"SM{InboundMessage.objects.count() + 1}",
        from_number=phone.e164,
        body=body,
    )


# --- The inbox ----------------------------------------------------------------


def test_it_lists_unread_conversations_first(client, advisor):
    quiet, chatty = customer_with_contacts(), customer_with_contacts()
    reply_from(quiet)
    InboundMessage.objects.update(read_at="2026-01-01T00:00:00Z")
    reply_from(chatty)
    client.force_login(advisor)
    response = client.get(reverse("messaging:inbox"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.customer for row in rows] == [chatty, quiet]
    assert rows[0].unread == 1


def test_the_inbox_shows_failed_messages(client, advisor, settings):
    settings.SMS_BACKEND = "tests.messaging.backends.RefusingSmsBackend"
    from outbox.services import outbound_message_send

    message = message_enqueue(channel="sms", to="+13125550100", body="x", idempotency_key="f")
    outbound_message_send(message_id=message.pk)
    client.force_login(advisor)
    text = client.get(reverse("messaging:inbox")).content.decode()
    assert "not a mobile number" in text


def test_the_inbox_costs_the_same_queries_whatever_the_rows(
    client, advisor, django_assert_max_num_queries
):
    client.force_login(advisor)
    client.get(reverse("messaging:inbox"))
    for _ in range(12):
        reply_from(customer_with_contacts())
    InboundMessage.objects.create(provider_message_id="SMX", from_number="+1", from_e164="+1")
    with django_assert_max_num_queries(9):
        assert client.get(reverse("messaging:inbox")).status_code == 200


def test_a_technician_cannot_read_customer_messages(client, technician):
    client.force_login(technician)
    response = client.get(reverse("messaging:inbox"))
    assert response.status_code == 403
    assert "Read customer messages" in response.content.decode()


# --- A customer's conversation --------------------------------------------------


def test_opening_the_conversation_reads_the_replies(client, advisor):
    customer = customer_with_contacts()
    reply_from(customer, "Is it ready?")
    assert customers_with_unread_replies([customer.pk]) == {customer.pk}
    client.force_login(advisor)
    response = client.get(conversation_url(customer.pk))
    assert response.status_code == 200
    assert "Is it ready?" in response.content.decode()
    assert customers_with_unread_replies([customer.pk]) == set()
    assert InboundMessage.objects.get().read_by == advisor


def test_unread_replies_for_the_board_take_one_query(django_assert_num_queries):
    customers = [customer_with_contacts() for _ in range(5)]
    reply_from(customers[1])
    reply_from(customers[3])
    with django_assert_num_queries(1):
        unread = customers_with_unread_replies(c.pk for c in customers)
    assert unread == {customers[1].pk, customers[3].pk}
    assert customers_with_unread_replies([]) == set()


def test_htmx_polls_the_thread_alone(client, advisor):
    customer = customer_with_contacts()
    client.force_login(advisor)
    response = client.get(conversation_url(customer.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<ol class="thread"')
    assert "<html" not in text


def test_the_conversation_query_count_does_not_grow(client, advisor, django_assert_max_num_queries):
    customer = customer_with_contacts()
    client.force_login(advisor)
    client.get(conversation_url(customer.pk))
    for n in range(10):
        reply_from(customer, f"reply {n}")
        message_enqueue(
            channel="sms",
            to=customer.phones.first().e164,
            body=f"answer {n}",
            customer=customer,
            idempotency_key=f"a{n}",
            sent_by=advisor,
        )
    with django_assert_max_num_queries(14):
        assert client.get(conversation_url(customer.pk)).status_code == 200


def test_the_advisor_answers_a_text(client, advisor, django_capture_on_commit_callbacks):
    customer = customer_with_contacts()
    reply_from(customer, "Can you check the brakes too?")
    client.force_login(advisor)
    url = reverse("messaging:conversation_reply", args=[customer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"body": "Yes, we will.", "token": "t1"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert "Yes, we will." in response.content.decode()
    message = OutboundMessage.objects.get()
    assert message.sent_by == advisor
    assert message.to == customer.phones.first().e164
    assert message.state == OutboundMessage.State.SENT
    assert DevSms.objects.get().body == "Yes, we will."


def test_the_same_reply_sent_twice_is_one_text(client, advisor):
    customer = customer_with_contacts()
    client.force_login(advisor)
    url = reverse("messaging:conversation_reply", args=[customer.pk])
    client.post(url, {"body": "On it.", "token": "same"})
    response = client.post(url, {"body": "On it.", "token": "same"})
    assert response.status_code == 302
    assert OutboundMessage.objects.count() == 1


def test_an_empty_reply_is_refused(client, advisor):
    customer = customer_with_contacts()
    client.force_login(advisor)
    url = reverse("messaging:conversation_reply", args=[customer.pk])
    response = client.post(url, {"body": "", "token": "t"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_reply_to_a_customer_who_revoked_texts_is_refused(client, advisor):
    customer = customer_with_contacts(text_consent=False)
    client.force_login(advisor)
    url = reverse("messaging:conversation_reply", args=[customer.pk])
    response = client.post(url, {"body": "Hello", "token": "t"})
    assert response.status_code == 422
    assert "has not agreed to receive texts" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_technician_cannot_answer(client, technician):
    customer = customer_with_contacts()
    client.force_login(technician)
    url = reverse("messaging:conversation_reply", args=[customer.pk])
    assert client.post(url, {"body": "hi", "token": "t"}).status_code == 403
    assert client.get(conversation_url(customer.pk)).status_code == 403
    assert not OutboundMessage.objects.exists()


def test_an_unknown_customer_is_a_404(client, advisor):
    client.force_login(advisor)
    assert client.get(conversation_url(999999)).status_code == 404


# --- Manual messages --------------------------------------------------------------


def test_the_advisor_emails_a_customer(client, advisor, django_capture_on_commit_callbacks):
    customer = customer_with_contacts()
    client.force_login(advisor)
    url = reverse("messaging:message_send", args=[customer.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"channel": "email", "subject": "Your estimate", "body": "Call us.", "token": "e1"},
        )
    assert response.status_code == 302
    assert response["Location"] == conversation_url(customer.pk)
    assert mail.outbox[0].subject == "Your estimate"
    assert mail.outbox[0].to == [customer.emails.get().address]


def test_an_email_without_a_subject_is_refused(client, advisor):
    customer = customer_with_contacts()
    client.force_login(advisor)
    url = reverse("messaging:message_send", args=[customer.pk])
    response = client.post(url, {"channel": "email", "body": "Hi", "token": "e"})
    assert response.status_code == 422
    assert "An e-mail needs a subject." in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_customer_without_a_phone_cannot_be_texted(client, advisor):
    customer = CustomerFactory()
    client.force_login(advisor)
    url = reverse("messaging:message_send", args=[customer.pk])
    response = client.post(url, {"channel": "sms", "body": "Hi", "token": "e"})
    assert response.status_code == 422
    assert "has no phone number to text" in response.content.decode()


def test_the_message_page_offers_text_and_e_mail_but_never_webhook(client, advisor):
    customer = customer_with_contacts()
    client.force_login(advisor)
    url = reverse("messaging:message_send", args=[customer.pk])
    page = client.get(url).content.decode()
    assert 'value="sms"' in page and 'value="email"' in page
    assert "Webhook" not in page and 'value="webhook"' not in page
    response = client.post(url, {"channel": "webhook", "body": "Hi", "token": "w"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_technician_cannot_send_messages(client, technician):
    customer = customer_with_contacts()
    client.force_login(technician)
    url = reverse("messaging:message_send", args=[customer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"channel": "sms", "body": "Hi", "token": "e"}).status_code == 403
    assert not OutboundMessage.objects.exists()


def test_a_text_goes_to_the_cell_phone(client, advisor):
    customer = CustomerFactory()
    CustomerPhoneFactory(
        customer=customer, kind="home", number="(312) 555-7000", e164="+13125557000"
    )
    CustomerPhoneFactory(
        customer=customer, kind="cell", number="(312) 555-7001", e164="+13125557001"
    )
    client.force_login(advisor)
    client.post(
        reverse("messaging:message_send", args=[customer.pk]),
        {"channel": "sms", "body": "Hi", "token": "c"},
    )
    assert OutboundMessage.objects.get().to == "+13125557001"


# --- The developer's page ----------------------------------------------------------


def test_the_dev_page_shows_texts_and_pretends_replies(
    client, advisor, django_capture_on_commit_callbacks
):
    customer = customer_with_contacts()
    with django_capture_on_commit_callbacks(execute=True):
        message_enqueue(
            channel="sms",
            to=customer.phones.first().e164,
            body="Your car is ready",
            customer=customer,
            idempotency_key="dev",
        )
    client.force_login(advisor)
    url = reverse("messaging:dev_sms")
    assert "Your car is ready" in client.get(url).content.decode()
    response = client.post(url, {"from_number": customer.phones.first().number, "body": "Thanks"})
    assert response.status_code == 302
    assert InboundMessage.objects.get().customer == customer


def test_the_dev_page_is_off_with_a_real_provider(client, advisor, settings):
    settings.SMS_BACKEND = "twilio"
    settings.DEBUG = False
    client.force_login(advisor)
    assert client.get(reverse("messaging:dev_sms")).status_code == 404


def test_a_technician_cannot_open_the_dev_page(client, technician):
    client.force_login(technician)
    assert client.get(reverse("messaging:dev_sms")).status_code == 403


# --- API ------------------------------------------------------------------------------


def test_the_api_lists_messages_in_a_fixed_number_of_queries(
    client, advisor, django_assert_max_num_queries
):
    customer = customer_with_contacts()
    for n in range(8):
        message_enqueue(
            channel="sms", to="+13125550100", body="x", idempotency_key=f"api{n}", customer=customer
        )
    client.force_login(advisor)
    url = reverse("outbound-message-list")
    with django_assert_max_num_queries(6) as few:
        response = client.get(url, {"customer": customer.pk, "page_size": 5})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    for n in range(30):
        message_enqueue(
            channel="sms",
            to="+13125550100",
            body="x",
            idempotency_key=f"more{n}",
            customer=customer,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"customer": customer.pk, "page_size": 5})
    assert len(response.json()["results"]) == 5


def test_the_api_walks_every_message_once_newest_first(client, advisor):
    customer = customer_with_contacts()
    made = [
        message_enqueue(
            channel="sms", to="+13125550100", body="x", idempotency_key=f"w{n}", customer=customer
        ).pk
        for n in range(7)
    ]
    client.force_login(advisor)
    url = reverse("outbound-message-list")
    assert ids(walk(client, url, {"page_size": 3})) == sorted(made, reverse=True)
    assert ids(walk(client, url, {"channel": "sms", "customer": customer.pk})) == made[::-1]
    assert walk(client, url, {"channel": "email"}) == []


def test_the_api_refuses_a_technician(client, technician):
    client.force_login(technician)
    assert client.get(reverse("outbound-message-list")).status_code == 403


# --- Sending a failed message again ------------------------------------------------------


@pytest.fixture
def failed_message():
    from django.utils import timezone

    from tests.messaging.factories import OutboundMessageFactory

    return OutboundMessageFactory(
        to="+13125550100",
        body="Ready",
        state=OutboundMessage.State.FAILED,
        attempts=1,
        last_error="Twilio 400 (code 21614): not a mobile number",
        failed_at=timezone.now(),
    )


def test_the_advisor_sends_a_failed_message_again(
    client, advisor, failed_message, django_capture_on_commit_callbacks
):
    client.force_login(advisor)
    url = reverse("messaging:message_resend", args=[failed_message.pk])
    assert "Send again" in client.get(reverse("messaging:inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"token": "r1"})
        client.post(url, {"token": "r1"})  # the same click twice: one message
    assert response.status_code == 302
    again = OutboundMessage.objects.exclude(pk=failed_message.pk).get()
    assert again.cause == failed_message
    assert again.sent_by == advisor
    assert again.state == OutboundMessage.State.SENT
    assert DevSms.objects.get().body == "Ready"


def test_a_message_that_went_out_is_not_sent_again(client, advisor):
    from outbox.services import outbound_message_send

    message = message_enqueue(channel="sms", to="+13125550100", body="x", idempotency_key="ok")
    outbound_message_send(message_id=message.pk)
    client.force_login(advisor)
    url = reverse("messaging:message_resend", args=[message.pk])
    response = client.post(url, {"token": "r"}, follow=True)
    assert "Only a message that did not reach the customer" in response.content.decode()
    assert OutboundMessage.objects.count() == 1


def test_a_technician_cannot_send_a_message_again(client, technician, failed_message):
    client.force_login(technician)
    url = reverse("messaging:message_resend", args=[failed_message.pk])
    assert client.post(url, {"token": "r"}).status_code == 403
    assert OutboundMessage.objects.count() == 1
