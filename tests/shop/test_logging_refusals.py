"""A refusal (403) is an ordinary event: logged once at warning, without a traceback."""

from __future__ import annotations

import logging
import sys

import pytest
from django.urls import reverse

from shop.log_filters import RefusalsWithoutTraceback

pytestmark = pytest.mark.django_db


def refusal_records(caplog):
    return [
        r for r in caplog.records if r.name.startswith("django") and "Forbidden" in r.getMessage()
    ]


def test_a_page_refused_below_its_level_is_a_warning_without_a_traceback(
    client, technician, caplog
):
    client.force_login(technician)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("followups:search_list"))
    assert response.status_code == 403
    records = refusal_records(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None and not records[0].exc_text
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_api_call_refused_is_a_warning_without_a_traceback(client, technician, caplog):
    client.force_login(technician)
    with caplog.at_level(logging.INFO):
        response = client.get("/api/v1/followups/queries/")
    assert response.status_code == 403
    assert [r.levelno for r in refusal_records(caplog)] == [logging.WARNING]
    assert "Traceback" not in caplog.text


def test_an_allowed_page_logs_no_refusal(client, advisor, caplog):
    client.force_login(advisor)
    with caplog.at_level(logging.INFO):
        assert client.get(reverse("followups:search_list")).status_code == 200
    assert refusal_records(caplog) == []


def test_a_real_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",),
        exc_info,
    )  # fmt: skip
    record.status_code = 500
    assert RefusalsWithoutTraceback().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is exc_info
