"""Set Security: every registered function against levels 1 to 5, on pages and the API."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from shop import security
from shop.models import SecurityFunctionLevel
from shop.security import can, registered_functions

LEVELS = [1, 2, 3, 4, 5]
FUNCTIONS = [f.code for f in registered_functions()]

# Pages anyone may open: logging in, resetting a password, activating a login,
# and the API schema. Everything else needs a login and a security function.
PUBLIC_URL_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "activate",
    "api-schema",
    # The browser's icon, asked for before any login.
    "favicon",
    # Signed by the provider, checked in the view (tests/messaging/test_webhooks.py).
    "messaging:twilio_inbound",
    "messaging:twilio_status",
    # Customers open their work order by a signed, expiring link (tests/messaging).
    "messaging:customer_link",
    "messaging:customer_link_decide",
    "messaging:customer_link_photo",
    "messaging:customer_link_video",
    # The outside fleet network's events: HMAC-signed, checked in the view (tests/fleet).
    "fleet:network_event",
    # Pay by link: the customer's pay pages by the same signed link; the provider's webhook
    # is signed and checked in the view; Pretend to pay exists only with the development
    # provider (tests/payments/test_paylink_views.py, test_paylink_stripe.py).
    "payments:pay",
    "payments:pay_done",
    "payments:pretend_pay",
    "payments:webhook",
}


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site is guarded by ShopAdminSite, tested below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def page_views():
    for route, name, pattern in walk(get_resolver().url_patterns):
        yield route, name, pattern.callback


def test_it_registers_the_shop_functions():
    assert {"set_security", "manage_administrators", "edit_shop_settings"} <= set(FUNCTIONS)


def test_every_page_and_endpoint_names_its_access():
    unguarded = []
    for route, name, callback in page_views():
        if name in PUBLIC_URL_NAMES:
            continue
        view_class = getattr(callback, "cls", None)
        if view_class is not None:
            has_function = bool(
                getattr(view_class, "security_function", None)
                or getattr(view_class, "security_functions", None)
            )
        else:
            has_function = hasattr(callback, "security_function")
        # The fleet portal's users have no security level: its pages and API are guarded
        # by fleet membership instead (fleet/access.py, tests/fleet/test_views_portal.py).
        guard = view_class if view_class is not None else callback
        has_function = has_function or getattr(guard, "fleet_portal", False) is True
        if not has_function:
            unguarded.append(route)
    assert unguarded == []


def test_every_function_a_view_names_is_registered():
    for _route, _name, callback in page_views():
        view_class = getattr(callback, "cls", None)
        codes = []
        if view_class is not None:
            codes.append(getattr(view_class, "security_function", None))
            codes.extend((getattr(view_class, "security_functions", None) or {}).values())
        else:
            codes.append(getattr(callback, "security_function", None))
        for code in filter(None, codes):
            security.get_function(code)


@pytest.mark.django_db
@pytest.mark.parametrize("code", FUNCTIONS)
@pytest.mark.parametrize("level", LEVELS)
def test_matrix_of_functions_and_levels(code, level, employee_at):
    employee = employee_at(level)
    required = SecurityFunctionLevel.objects.get(code=code).level
    assert can(employee, code) is (level <= required)


def _function_urls():
    """Each page and API list that takes no arguments, with the function guarding it."""
    urls = []
    for _route, name, callback in page_views():
        if name is None or name in PUBLIC_URL_NAMES:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # needs an object: each app's view tests check those
        view_class = getattr(callback, "cls", None)
        code = (
            getattr(view_class, "security_function", None)
            if view_class
            else getattr(callback, "security_function", None)
        )
        if code:
            urls.append((url, code))
    return sorted(set(urls))


FUNCTION_URLS = _function_urls()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "code"), FUNCTION_URLS, ids=[u for u, _ in FUNCTION_URLS])
@pytest.mark.parametrize("level", LEVELS)
def test_matrix_of_pages_and_levels(url, code, level, client, employee_at):
    client.force_login(employee_at(level))
    required = SecurityFunctionLevel.objects.get(code=code).level
    response = client.get(url)
    if level <= required:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        if not url.startswith("/api/"):
            name = SecurityFunctionLevel.objects.get(code=code).name
            assert escape(name) in response.content.decode()


def test_the_matrix_covers_every_page_function():
    covered = {code for _url, code in FUNCTION_URLS}
    assert {
        "manage_administrators",
        "edit_shop_settings",
        "view_employees",
        "view_system_status",
    } <= covered


@pytest.mark.django_db
def test_it_follows_the_level_the_owner_sets(client, employee_at):
    client.force_login(employee_at(3))
    url = reverse("shop:system_status")
    assert client.get(url).status_code == 403
    SecurityFunctionLevel.objects.filter(code="view_system_status").update(level=3)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_it_names_the_function_and_levels_in_the_refusal(client, employee_at):
    client.force_login(employee_at(5))
    response = client.get(reverse("shop:settings"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Edit shop settings" in text
    assert "needs security level 1" in text
    assert "yours is level 5" in text


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("shop:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_refuses_inactive_employees(client, employee_at):
    employee = employee_at(1)
    employee.is_active = False
    employee.save()
    assert not can(employee, "set_security")


@pytest.mark.django_db
def test_it_refuses_logins_that_are_not_employees(client):
    from shop.models import User

    fleet_user = User.objects.create_user("fleetuser", password="x-long-password-1")
    client.force_login(fleet_user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "employees" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("level", LEVELS)
def test_admin_site_follows_set_security(level, client, employee_at):
    client.force_login(employee_at(level))
    response = client.get(reverse("admin:shop_securityfunctionlevel_changelist"))
    assert response.status_code == (200 if level == 1 else 403)


@pytest.mark.django_db
def test_owner_changes_a_level_in_the_admin_site(client, owner):
    client.force_login(owner)
    url = reverse("admin:shop_securityfunctionlevel_change", args=["view_system_status"])
    response = client.post(url, {"level": "4"})
    assert response.status_code == 302
    assert SecurityFunctionLevel.objects.get(code="view_system_status").level == 4


@pytest.mark.django_db
def test_security_checks_cost_one_query_per_request(client, owner, django_assert_num_queries):
    client.force_login(owner)
    client.get(reverse("shop:menu"))  # warm the session
    # session, user, the Set Security table, the shop profile: whatever the menu's length;
    # and one for the reports' customer-source mapping warning.
    with django_assert_num_queries(5):
        client.get(reverse("shop:menu"))
