"""Locked-out logins: the owner sees who is locked out after too many wrong passwords and
unlocks them; every admin page opens by its security function, not Django's permissions."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from shop.admin_site import SecuredModelAdmin
from shop.models import SecurityFunctionLevel
from tests.shop.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKOUTS = reverse("shop:login_lockouts")
UNLOCK = LOCKOUTS  # a POST to the list unlocks


def lock_out(username: str) -> Client:
    """Five wrong passwords from one address: that client is locked out."""
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        visitor.post(reverse("login"), {"username": username, "password": "wrong"})
    return visitor


def log_in(visitor: Client, username: str):
    return visitor.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_it_lists_a_locked_out_login(client, owner, advisor):
    lock_out("advisor")
    client.force_login(owner)
    response = client.get(LOCKOUTS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "advisor" in page
    assert str(advisor) in page
    assert "203.0.113.7" in page
    assert "Unlock" in page


def test_the_owner_unlocks_and_the_login_works_again(client, owner, advisor):
    visitor = lock_out("advisor")
    assert log_in(visitor, "advisor").status_code == 429
    assert owner.is_superuser is False
    client.force_login(owner)
    response = client.post(UNLOCK, {"username": "advisor", "ip_address": "203.0.113.7"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="advisor").exists()
    follow = client.get(response["Location"])
    assert "“advisor” is unlocked" in follow.content.decode()
    assert "No login is locked out" in follow.content.decode()
    response = log_in(visitor, "advisor")
    assert response.status_code == 302
    assert visitor.session["_auth_user_id"] == str(advisor.pk)


def test_unlocking_one_login_leaves_the_others_locked(client, owner, advisor, technician):
    lock_out("advisor")
    lock_out("tech")
    client.force_login(owner)
    client.post(UNLOCK, {"username": "advisor", "ip_address": "203.0.113.7"})
    assert AccessAttempt.objects.filter(username="tech").exists()


def test_it_refuses_a_lower_level_with_403_and_unlocks_nothing(client, employee_at, advisor):
    lock_out("advisor")
    manager = employee_at(2)
    client.force_login(manager)
    listing = client.get(LOCKOUTS)
    assert listing.status_code == 403
    assert "Locked-out logins" in listing.content.decode()
    response = client.post(UNLOCK, {"username": "advisor", "ip_address": "203.0.113.7"})
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="advisor").exists()


def test_it_follows_set_security_when_the_owner_lowers_the_level(client, owner, employee_at):
    row = SecurityFunctionLevel.objects.get(code="unlock_logins")
    client.force_login(owner)  # Set Security is the admin's change form
    change = reverse("admin:shop_securityfunctionlevel_change", args=[row.pk])
    assert client.post(change, {"level": 2}).status_code == 302
    client.force_login(employee_at(2))
    assert client.get(LOCKOUTS).status_code == 200


def test_it_says_so_when_the_login_is_not_locked_any_more(client, owner):
    client.force_login(owner)
    response = client.post(
        UNLOCK, {"username": "advisor", "ip_address": "203.0.113.7"}, follow=True
    )
    assert "is not locked out any more" in response.content.decode()


def test_it_refuses_a_bad_unlock_request_and_changes_nothing(client, owner, advisor):
    lock_out("advisor")
    client.force_login(owner)
    response = client.post(UNLOCK, {"username": "advisor", "ip_address": "not-an-address"})
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(username="advisor").exists()
    response = client.post(UNLOCK, {"ip_address": "203.0.113.7"}, follow=True)
    assert "Choose a locked-out login to unlock." in response.content.decode()
    assert AccessAttempt.objects.filter(username="advisor").exists()


def test_a_login_under_the_limit_is_not_listed(client, owner, advisor):
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    visitor.post(reverse("login"), {"username": "advisor", "password": "wrong"})
    client.force_login(owner)
    assert "No login is locked out" in client.get(LOCKOUTS).content.decode()


def test_the_list_takes_a_fixed_number_of_queries(
    client, owner, employee_at, django_assert_max_num_queries
):
    for level in (2, 3, 4, 5):
        lock_out(employee_at(level).username)
    lock_out("nobody-by-that-name")
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get(LOCKOUTS)
    assert response.content.decode().count(">Unlock<") == 5


def test_the_menu_offers_it_to_the_owner_only(client, owner, advisor):
    client.force_login(owner)
    assert LOCKOUTS in client.get(reverse("shop:menu")).content.decode()
    client.force_login(advisor)
    assert LOCKOUTS not in client.get(reverse("shop:menu")).content.decode()


# --- The admin site: every page reachable by its security function, or not there -----


def test_every_admin_page_is_opened_by_a_security_function():
    unsecured = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, SecuredModelAdmin)
    ]
    assert unsecured == []


def test_the_owner_opens_every_admin_page_without_being_a_superuser(client, owner):
    client.force_login(owner)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert changelist in index.content.decode(), meta.label
        assert client.get(changelist).status_code == 200, meta.label


@pytest.mark.parametrize(
    "url",
    [
        "/admin/axes/accessattempt/",
        "/admin/django_celery_beat/periodictask/",
        "/admin/auth/group/",
    ],
)
def test_the_pages_the_owner_could_not_open_are_gone(client, owner, url):
    client.force_login(owner)
    assert client.get(url).status_code == 404


def test_a_lower_level_is_refused_the_admin_site(client, technician):
    client.force_login(technician)
    assert client.get(reverse("admin:index")).status_code == 403
