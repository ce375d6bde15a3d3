from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shop.models import User

pytestmark = pytest.mark.django_db


def test_it_lists_employees_for_an_allowed_level(client, advisor, employee_at):
    employee_at(5, role="technician", username="t1")
    client.force_login(advisor)
    response = client.get(reverse("employee-list"))
    assert response.status_code == 200
    usernames = {row["username"] for row in response.json()["results"]}
    assert usernames == {"advisor", "t1"}


def test_it_filters_by_role(client, advisor, employee_at):
    employee_at(5, role="technician", username="t1")
    client.force_login(advisor)
    response = client.get(reverse("employee-list"), {"role": "technician"})
    assert [row["username"] for row in response.json()["results"]] == ["t1"]


def test_it_refuses_a_level_below_the_function_with_a_clear_message(client, technician):
    client.force_login(technician)
    response = client.get(reverse("employee-list"))
    assert response.status_code == 403
    assert "View employees" in response.json()["detail"]


def test_it_refuses_anonymous_callers_without_a_redirect(client):
    response = client.get(reverse("employee-list"))
    assert response.status_code == 403


def test_it_is_read_only(client, owner):
    client.force_login(owner)
    response = client.post(reverse("employee-list"), {"username": "x"})
    assert response.status_code == 405


def test_the_list_has_a_fixed_number_of_queries(
    client, advisor, employee_at, django_assert_max_num_queries
):
    client.force_login(advisor)
    client.get(reverse("employee-list"))
    with django_assert_max_num_queries(5) as few:
        client.get(reverse("employee-list"))
    for _ in range(30):
        employee_at(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("employee-list"))
    assert response.json()["count"] == 31


def test_the_schema_describes_the_api(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/employees/" in response.json()["paths"]


def test_it_lists_employees_changed_since_a_time(client, advisor, employee_at):
    untouched = employee_at(5, role="technician", username="untouched")
    edited = employee_at(5, role="technician", username="edited")
    yesterday = timezone.now() - timedelta(days=1)
    User.objects.filter(pk__in=[advisor.pk, untouched.pk, edited.pk]).update(updated_at=yesterday)
    since = timezone.now() - timedelta(hours=1)
    edited.phone = "(217) 555-0199"
    edited.save()
    employee_at(4, role="advisor", username="hired")
    client.force_login(advisor)

    response = client.get(reverse("employee-list"), {"updated_since": since.isoformat()})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted(row["username"] for row in rows) == ["edited", "hired"]
    assert all(parse_datetime(row["updated_at"]) >= since for row in rows)


def test_updated_since_takes_any_offset_and_refuses_nonsense(client, advisor):
    client.force_login(advisor)
    url = reverse("employee-list")
    # +19:00 is a valid ISO offset PostgreSQL would refuse as it is; it is read as UTC.
    far_east = client.get(url, {"updated_since": "2020-01-01T00:00:00+19:00"})
    assert far_east.status_code == 200
    assert [row["username"] for row in far_east.json()["results"]] == ["advisor"]
    future = client.get(url, {"updated_since": "2999-01-01T00:00:00-19:00"})
    assert future.status_code == 200 and future.json()["results"] == []
    assert client.get(url, {"updated_since": "yesterday"}).status_code == 400
    assert client.get(url, {"updated_since": "9999-12-31T23:59:00-05:00"}).status_code == 400


def test_the_schema_documents_updated_since_on_employees(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/employees/"]["get"]["parameters"]
    updated_since = next(p for p in parameters if p["name"] == "updated_since")
    assert updated_since["schema"]["format"] == "date-time"
    assert "Changed at or after" in updated_since["description"]
