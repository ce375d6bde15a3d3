"""What messaging contributes to a customer's history (customers.history): the texts and
e-mails sent and the replies received, newest first, under "Read customer messages"."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from customers.history import HistoryRow, HistoryRows, history_source_register, split_more
from customers.models import Customer
from messaging.models import InboundMessage
from outbox.models import OutboundMessage


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "M j, Y g:i A")


def customer_messages(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    """Two queries whatever the counts: the latest sent and the latest received, merged."""
    sent = OutboundMessage.objects.filter(customer=customer).only(
        "channel", "kind", "subject", "body", "state", "created_at"
    )
    received = InboundMessage.objects.filter(customer=customer).only("body", "received_at")
    entries = [(m.created_at, m.pk, m) for m in sent.order_by("-created_at", "-id")[: limit + 1]]
    entries += [
        (m.received_at, m.pk, m) for m in received.order_by("-received_at", "-id")[: limit + 1]
    ]
    entries.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    shown, more = split_more(entries, limit)
    conversation = reverse("messaging:conversation", args=[customer.pk])
    rows = []
    for moment, _, message in shown:
        if isinstance(message, OutboundMessage):
            what = f"{message.get_channel_display()} sent: {message.get_kind_display()}"
            text = message.subject or message.body
            details = (_when(moment), Truncator(text).chars(80), message.get_state_display())
        else:
            what = "Text received"
            details = (_when(moment), Truncator(message.body).chars(80))
        rows.append(
            HistoryRow(what, url=conversation, label=f"{what}, {_when(moment)}", details=details)
        )
    return HistoryRows(rows, more=more, more_url=conversation if more else "")


def register() -> None:
    history_source_register(
        key="messages",
        title="Messages",
        security_function="view_customer_messages",
        order=40,
        customer_rows=customer_messages,
    )
