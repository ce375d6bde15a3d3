import pytest
from django.urls import reverse

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
