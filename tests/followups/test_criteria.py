from datetime import date

import pytest

from followups.criteria import criteria_clean, last_visit_range, months_before
from shop.errors import ServiceError


def test_it_keeps_only_what_was_given_as_json_values():
    cleaned = criteria_clean(
        {
            "last_visit_after": date(2025, 1, 2),
            "city": " Springfield ",
            "make": "",
            "year_min": "2010",
        }
    )
    assert cleaned == {"last_visit_after": "2025-01-02", "city": "Springfield", "year_min": 2010}


def test_it_refuses_an_inverted_date_range_with_a_clear_message():
    with pytest.raises(ServiceError) as error:
        criteria_clean({"last_visit_after": "2025-06-01", "last_visit_before": "2025-01-01"})
    assert "empty or inverted" in error.value.message
    assert error.value.field == "last_visit_after"


def test_it_refuses_an_empty_months_range():
    with pytest.raises(ServiceError) as error:
        criteria_clean({"last_visit_months_min": 12, "last_visit_months_max": 12})
    assert "12 to 12 months ago" in error.value.message


def test_it_refuses_an_inverted_service_range():
    with pytest.raises(ServiceError) as error:
        criteria_clean(
            {
                "service_category": "Brakes",
                "service_after": "2025-03-01",
                "service_before": "2024-01-01",
            }
        )
    assert "service date range is empty or inverted" in error.value.message


def test_it_refuses_what_a_query_cannot_search_on():
    with pytest.raises(ServiceError) as error:
        criteria_clean({"password": "x"})
    assert "password" in error.value.message


def test_months_ago_stay_relative_to_the_day_it_runs():
    criteria = {"last_visit_months_min": 12, "last_visit_months_max": 24}
    assert last_visit_range(criteria, date(2026, 3, 31)) == (date(2024, 3, 31), date(2025, 3, 31))
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_it_asks_which_service_when_a_service_range_is_given_alone():
    with pytest.raises(ServiceError, match="service category or name"):
        criteria_clean({"service_done": "not_done", "service_months": 24})
