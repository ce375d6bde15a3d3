"""Text-message providers behind one small interface, chosen by settings.SMS_BACKEND.

SMS_BACKEND is "console" (printed, the embedded default), "dev" (kept in the
database for the developer's page /messages/dev-sms/), "twilio" (the Twilio
API, credentials TWILIO_*), or the dotted path of a class like these.

A backend's `send` returns the provider's id for the message, raises
`TransientProviderError` when trying again later may work (network, 5xx, rate
limit) and `PermanentProviderError` when it never will (a landline, a bad
number). `supports_idempotency` says whether the provider itself drops a
second send with the same key: only then may a message whose worker died
mid-send be tried again without risking a duplicate.
"""

from __future__ import annotations

import logging
import sys
import uuid
from abc import ABC, abstractmethod
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.module_loading import import_string

# What every outbox transport raises; a backend raises them (its callers import them here).
from outbox.errors import PermanentProviderError, TransientProviderError

logger = logging.getLogger(__name__)


class SmsBackend(ABC):
    """A way to send texts: console, development page or Twilio (SMS_BACKEND)."""

    supports_idempotency = False

    @abstractmethod
    def send(self, *, to: str, body: str, idempotency_key: str, message_id: int) -> str:
        """Send one text; return the provider's message id. Raise TransientProviderError
        when trying again later may work, PermanentProviderError when it will not."""


class ConsoleSmsBackend(SmsBackend):
    """Prints each text: the embedded default, for a shop without a provider yet."""

    def send(self, *, to: str, body: str, idempotency_key: str, message_id: int) -> str:
        sys.stdout.write(f"--- text to {to} ({idempotency_key})\n{body}\n---\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4().hex[:16]}"


class DevSmsBackend(SmsBackend):
    """Keeps each text in the database, shown on the developer's page.

    Like a provider with idempotency keys, it stores a key once: a second send
    of the same key returns the first one's id and adds nothing.
    """

    supports_idempotency = True

    def send(self, *, to: str, body: str, idempotency_key: str, message_id: int) -> str:
        from messaging.models import DevSms

        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # A development stand-in for a provider: its texts need not wait for
                    # the disk (the outbox's own rows still do).
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                stored = DevSms.objects.create(to=to, body=body, idempotency_key=idempotency_key)
        except IntegrityError:
            stored = DevSms.objects.get(idempotency_key=idempotency_key)
        return f"dev-{stored.pk}"


class TwilioSmsBackend(SmsBackend):
    """The Twilio Messages API. Twilio reports delivery to the status webhook."""

    # Twilio's Messages API takes no idempotency key: the outbox's claim is the guard.
    supports_idempotency = False

    def __init__(self) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise PermanentProviderError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set.")
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=15),
        )

    def send(self, *, to: str, body: str, idempotency_key: str, message_id: int) -> str:
        from requests import RequestException
        from twilio.base.exceptions import TwilioException, TwilioRestException

        if not settings.TWILIO_FROM_NUMBER:
            raise PermanentProviderError("TWILIO_FROM_NUMBER is not set.")
        callback = settings.SHOP_BASE_URL + reverse("messaging:twilio_status")
        try:
            message = self.client.messages.create(
                to=to,
                from_=settings.TWILIO_FROM_NUMBER,
                body=body,
                status_callback=f"{callback}?m={message_id}",
            )
        except TwilioRestException as error:
            text = f"Twilio {error.status} (code {error.code}): {error.msg}"
            if error.status == 429 or error.status >= 500:
                raise TransientProviderError(text) from error
            raise PermanentProviderError(text) from error
        except (RequestException, TwilioException, OSError) as error:
            raise TransientProviderError(f"Twilio could not be reached: {error}") from error
        return message.sid


ALIASES = {
    "console": "messaging.sms.ConsoleSmsBackend",
    "dev": "messaging.sms.DevSmsBackend",
    "twilio": "messaging.sms.TwilioSmsBackend",
}


@cache
def _backend_class(name: str) -> type[SmsBackend]:
    return import_string(ALIASES.get(name, name))


def get_sms_backend() -> SmsBackend:
    return _backend_class(settings.SMS_BACKEND)()


def sms_backend_drops_duplicates() -> bool:
    """Does the configured provider drop a second send of the same idempotency key?"""
    return _backend_class(settings.SMS_BACKEND).supports_idempotency


def dev_backend_active() -> bool:
    return issubclass(_backend_class(settings.SMS_BACKEND), DevSmsBackend)
