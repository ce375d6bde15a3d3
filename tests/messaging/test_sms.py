"""The text backends behind settings.SMS_BACKEND."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest
from twilio.base.exceptions import TwilioRestException

from messaging.models import DevSms
from messaging.sms import (
    ConsoleSmsBackend,
    DevSmsBackend,
    PermanentProviderError,
    TransientProviderError,
    TwilioSmsBackend,
    get_sms_backend,
)

SEND = {"to": "+13125550100", "body": "Ready", "idempotency_key": "k", "message_id": 7}


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TWILIO_FROM_NUMBER = "+13125550199"
    return settings


@pytest.mark.parametrize(
    ("name", "backend"),
    [("console", ConsoleSmsBackend), ("dev", DevSmsBackend), ("twilio", TwilioSmsBackend)],
)
def test_settings_choose_the_backend(twilio_settings, name, backend):
    twilio_settings.SMS_BACKEND = name
    assert isinstance(get_sms_backend(), backend)


@pytest.mark.django_db
def test_the_dev_backend_keeps_a_key_once():
    backend = DevSmsBackend()
    first = backend.send(**SEND)
    assert backend.send(**SEND) == first
    assert DevSms.objects.count() == 1


def test_the_console_backend_prints_the_text(capsys):
    assert ConsoleSmsBackend().send(**SEND).startswith("console-")
    assert "Ready" in capsys.readouterr().out


def test_twilio_sends_with_a_status_callback_naming_the_message(twilio_settings):
    backend = TwilioSmsBackend()
    with mock.patch.object(
        backend.client.messages, "create", return_value=SimpleNamespace(sid="SM42")
    ) as create:
        assert backend.send(**SEND) == "SM42"
    kwargs = create.call_args.kwargs
    assert kwargs["to"] == "+13125550100"
    assert kwargs["from_"] == "+13125550199"
    assert kwargs["status_callback"] == "http://testserver/messages/webhooks/twilio/status/?m=7"


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, TransientProviderError), (429, TransientProviderError), (400, PermanentProviderError)],
)
def test_twilio_errors_are_transient_or_permanent(twilio_settings, status, error):
    backend = TwilioSmsBackend()
    failure = TwilioRestException(status, "uri", msg="no", code=21211)
    with (
        mock.patch.object(backend.client.messages, "create", side_effect=failure),
        pytest.raises(error),
    ):
        backend.send(**SEND)


def test_twilio_unreachable_is_transient(twilio_settings):
    backend = TwilioSmsBackend()
    unreachable = ConnectionError("x")
    with (
        mock.patch.object(backend.client.messages, "create", side_effect=unreachable),
        pytest.raises(TransientProviderError),
    ):
        backend.send(**SEND)


def test_twilio_without_credentials_is_a_permanent_error(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(PermanentProviderError, match="TWILIO_ACCOUNT_SID"):
        TwilioSmsBackend()
