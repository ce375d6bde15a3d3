"""Logging in, password guessing, password reset."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.shop.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_to_the_board_and_keeps_the_menu_at_its_url(client, advisor):
    response = client.post(
        reverse("login"), {"username": "advisor", "password": PASSWORD}, follow=True
    )
    # The counter lands on Today's Vehicles Page; the module menu is one click away.
    assert response.redirect_chain[-1][0] == reverse("workorders:board")
    assert reverse("shop:menu") in response.content.decode()
    assert "Employees" in client.get(reverse("shop:menu")).content.decode()


def test_a_wrong_password_gets_a_clear_message(client, advisor):
    response = client.post(reverse("login"), {"username": "advisor", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_login(client, advisor):
    for _ in range(5):
        client.post(reverse("login"), {"username": "advisor", "password": "nope"})
    response = client.post(reverse("login"), {"username": "advisor", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, advisor):
    response = client.post(reverse("password_reset"), {"email": advisor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password-reset/" in mail.outbox[0].body


def test_logout_needs_a_post(client, advisor):
    client.force_login(advisor)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
