"""One cell read as what it means: dates, money, phones, VINs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from customers.vin import vin_check_digit
from imports.values import (
    BadValue,
    datetime_read,
    email_read,
    money_read,
    phone_read,
    vin_read,
    whole_number_read,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("03/07/2019", datetime(2019, 3, 7)),
        ("3/7/19", datetime(2019, 3, 7)),
        ("3/7/98", datetime(1998, 3, 7)),
        ("12/31/69", datetime(1969, 12, 31)),
        ("2019-03-07", datetime(2019, 3, 7)),
        ("2019-03-07 14:05", datetime(2019, 3, 7, 14, 5)),
        ("2019-03-07T14:05:09", datetime(2019, 3, 7, 14, 5, 9)),
        ("03/07/2019 2:05 PM", datetime(2019, 3, 7, 14, 5)),
        ("03/07/2019  14:05:00.000", datetime(2019, 3, 7, 14, 5)),
        ("3-7-2019", datetime(2019, 3, 7)),
    ],
)
def test_it_reads_the_dates_old_systems_write(typed, expected):
    assert datetime_read(typed) == expected


@pytest.mark.parametrize("typed", ["13/45/2019", "2019-02-30", "yesterday", "03/07/2019 25:61"])
def test_it_refuses_a_date_that_is_not_one(typed):
    with pytest.raises(BadValue):
        datetime_read(typed)


def test_a_two_digit_year_is_never_in_the_future():
    next_year = date.today().year + 2
    assert datetime_read(f"1/1/{next_year % 100:02d}").year == next_year - 100


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("$1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("(12.00)", "-12.00"),
        ("$(12.00)", "-12.00"),
        ("-$7.25", "-7.25"),
        ("12.00-", "-12.00"),
        ("", "0.00"),
        (".99", "0.99"),
        ("$ 1 000.00", "1000.00"),
    ],
)
def test_it_reads_money_as_printed(typed, expected):
    assert money_read(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["twelve", "1.2.3", "$", "12,50€"])
def test_it_refuses_money_that_is_not(typed):
    with pytest.raises(BadValue):
        money_read(typed)


@pytest.mark.parametrize(
    "typed", ["555-0142", "5550142", "555 0142", "(217) 555-0142", "217.555.0142", "1-217-555-0142"]
)
def test_seven_digit_phones_take_the_default_area_code(typed):
    assert phone_read(typed, area_code="217").e164 == "+12175550142"


def test_a_seven_digit_phone_without_a_default_area_code_is_refused_saying_so(db):
    with pytest.raises(BadValue, match="default area code"):
        phone_read("555-0142", area_code="")


def test_a_phone_that_is_not_one_is_refused_and_an_empty_one_is_none():
    with pytest.raises(BadValue):
        phone_read("call after 5", area_code="217")
    assert phone_read("  ", area_code="217") is None


def _vin(body: str) -> str:
    return body[:8] + vin_check_digit(body) + body[9:]


def test_a_good_vin_is_not_flagged_and_a_wrong_check_digit_is_kept_but_flagged():
    good = _vin("1HGCM82633A004352")
    assert vin_read(good.lower()).problem == ""
    wrong = good[:8] + ("0" if good[8] != "0" else "1") + good[9:]
    read = vin_read(wrong)
    assert read.vin == wrong
    assert "check digit" in read.problem


def test_a_short_vin_is_flagged():
    assert "characters" in vin_read("1HGCM8263").problem


def test_it_reads_whole_numbers_and_emails():
    assert whole_number_read("84,210", what="a mileage") == 84210
    assert whole_number_read("84210.0", what="a mileage") == 84210
    with pytest.raises(BadValue):
        whole_number_read("84k", what="a mileage")
    assert email_read("ANN@EXAMPLE.COM") == "ann@example.com"
    with pytest.raises(BadValue):
        email_read("ann at example")
