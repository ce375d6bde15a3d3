import pytest
from django.core.management import call_command

from shop.models import ShopProfile, User
from shop.seeding import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_it_creates_one_employee_per_level_and_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    employees = User.objects.exclude(role="")
    assert sorted(employees.values_list("security_level", flat=True)) == [1, 2, 3, 4, 5]
    assert ShopProfile.objects.count() == 1
    assert all(e.check_password(DEMO_PASSWORD) for e in employees)
    output = capsys.readouterr().out
    assert "owner" in output and DEMO_PASSWORD in output


def test_the_demo_shop_uses_its_own_citys_area_code():
    call_command("seed_demo")
    profile = ShopProfile.objects.get()
    assert (profile.city, profile.default_area_code) == ("Springfield", "217")
    assert profile.phone.startswith("(217)")


def test_the_demo_has_an_ar_invoice_75_days_old():
    """The demo's A/R customer owes on an invoice billed 75 days ago, so A/R Status and the
    aging report show a past-due row (not one billed today)."""
    from payments import selectors
    from payments.models import AccountCharge

    call_command("seed_demo")
    charge = AccountCharge.objects.select_related("customer").get()
    assert charge.customer.is_ar
    status = selectors.ar_status(charge.customer)
    assert [row.bucket for row in status.invoices] == ["61_90"]
