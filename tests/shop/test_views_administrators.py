"""Add New Administrator, its activation link, and Manage Administrators."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from shop.models import User

pytestmark = pytest.mark.django_db

NEW = {
    "first_name": "Dana",
    "last_name": "Brooks",
    "email": "dana@shop.example",
    "username": "dana",
    "phone": "",
    "role": "advisor",
    "security_level": "3",
}


@pytest.fixture
def post_and_commit(client, django_capture_on_commit_callbacks):
    """Post as the logged-in client and run what waits for the commit (the e-mail task)."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def link_from(message) -> str:
    return re.search(r"http://testserver(/activate/\S+/)", message.body).group(1)


def test_it_adds_an_inactive_administrator_and_emails_the_link(client, post_and_commit, owner):
    client.force_login(owner)
    response = post_and_commit(reverse("shop:administrator_add"), NEW)
    assert response.status_code == 302
    dana = User.objects.get(username="dana")
    assert not dana.is_active
    assert not dana.has_usable_password()
    assert dana.invited_by == owner
    assert dana.invitation_sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@shop.example"]
    assert "/activate/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives  # an HTML part


def test_the_link_activates_once(client, post_and_commit, owner):
    client.force_login(owner)
    post_and_commit(reverse("shop:administrator_add"), NEW)
    link = link_from(mail.outbox[0])
    visitor = Client()
    assert visitor.get(link).status_code == 200
    response = visitor.post(
        link, {"new_password1": "Brake-Pads-2026!", "new_password2": "Brake-Pads-2026!"}
    )
    assert response.status_code == 302
    dana = User.objects.get(username="dana")
    assert dana.is_active and dana.check_password("Brake-Pads-2026!")
    assert dana.activated_at is not None
    assert dana.updated_at >= dana.activated_at  # the employees' updated_since sees it

    again = visitor.post(
        link, {"new_password1": "Other-Pass-99!", "new_password2": "Other-Pass-99!"}
    )
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    dana.refresh_from_db()
    assert dana.check_password("Brake-Pads-2026!")


def test_an_expired_link_is_refused(client, post_and_commit, owner, settings):
    client.force_login(owner)
    post_and_commit(reverse("shop:administrator_add"), NEW)
    link = link_from(mail.outbox[0])
    settings.ACTIVATION_LINK_MAX_AGE = timedelta(seconds=-1)
    response = Client().post(
        link, {"new_password1": "Brake-Pads-2026!", "new_password2": "Brake-Pads-2026!"}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.get(username="dana").is_active


def test_a_forged_link_is_refused(client):
    response = client.get(reverse("activate", args=["eyJ1IjoxfQ:forged:signature"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_resending_replaces_the_old_link(client, post_and_commit, owner):
    client.force_login(owner)
    post_and_commit(reverse("shop:administrator_add"), NEW)
    old_link = link_from(mail.outbox[0])
    dana = User.objects.get(username="dana")
    post_and_commit(reverse("shop:administrator_resend", args=[dana.pk]), {})
    assert len(mail.outbox) == 2
    assert Client().get(old_link).status_code == 410
    assert Client().get(link_from(mail.outbox[1])).status_code == 200


def test_a_weak_password_is_refused_and_nothing_changes(client, post_and_commit, owner):
    client.force_login(owner)
    post_and_commit(reverse("shop:administrator_add"), NEW)
    link = link_from(mail.outbox[0])
    response = Client().post(link, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.get(username="dana").is_active


def test_it_refuses_a_level_above_your_own(client, employee_at):
    manager = employee_at(2, role="manager")
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.filter(code="manage_administrators").update(level=2)
    client.force_login(manager)
    response = client.post(reverse("shop:administrator_add"), {**NEW, "security_level": "1"})
    assert response.status_code == 200
    assert "above your own level" in response.content.decode()
    assert not User.objects.filter(username="dana").exists()
    assert mail.outbox == []


def test_it_refuses_a_taken_username(client, owner):
    client.force_login(owner)
    response = client.post(reverse("shop:administrator_add"), {**NEW, "username": "OWNER"})
    assert "is taken" in response.content.decode()
    assert User.objects.count() == 1


def test_a_lower_level_cannot_add_administrators(client, employee_at):
    client.force_login(employee_at(5))
    response = client.post(reverse("shop:administrator_add"), NEW)
    assert response.status_code == 403
    assert not User.objects.filter(username="dana").exists()


def test_a_post_without_csrf_token_changes_nothing(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("shop:administrator_add"), NEW)
    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert not User.objects.filter(username="dana").exists()


def test_manage_administrators_shows_who_is_active(client, post_and_commit, owner, employee_at):
    client.force_login(owner)
    employee_at(4, username="gone", first_name="Gone", last_name="Away", is_active=False)
    post_and_commit(reverse("shop:administrator_add"), NEW)
    page = client.get(reverse("shop:administrators")).content.decode()
    assert "Active" in page and "Inactive" in page and "Invited" in page


def test_manage_administrators_has_a_fixed_number_of_queries(
    client, owner, employee_at, django_assert_max_num_queries
):
    client.force_login(owner)
    for _ in range(3):
        employee_at(4)
    client.get(reverse("shop:administrators"))
    # session, user, Set Security, employees with who invited them, shop profile
    with django_assert_max_num_queries(5) as few:
        client.get(reverse("shop:administrators"))
    for _ in range(20):
        employee_at(4, invited_by=owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("shop:administrators"))


def test_employee_edit_changes_level_and_access(client, owner, employee_at):
    advisor = employee_at(3)
    client.force_login(owner)
    response = client.post(
        reverse("shop:employee_edit", args=[advisor.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "",
            "phone": "",
            "role": "manager",
            "security_level": "2",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert (advisor.role, advisor.security_level, advisor.is_active) == ("manager", 2, False)


def test_the_last_level_one_cannot_be_demoted(client, owner, employee_at):
    other_owner = employee_at(1, role="owner")
    client.force_login(other_owner)
    client.post(
        reverse("shop:employee_edit", args=[owner.pk]),
        {
            "first_name": "O",
            "last_name": "W",
            "email": "",
            "phone": "",
            "role": "owner",
            "security_level": "1",
            "is_active": "",
        },
    )
    owner.refresh_from_db()
    assert not owner.is_active  # another level-1 remained, so this was allowed
    response = client.post(
        reverse("shop:employee_edit", args=[other_owner.pk]),
        {
            "first_name": "O",
            "last_name": "W",
            "email": "",
            "phone": "",
            "role": "owner",
            "security_level": "2",
            "is_active": "on",
        },
    )
    assert "Another administrator must change your own level" in response.content.decode()
    other_owner.refresh_from_db()
    assert other_owner.security_level == 1
