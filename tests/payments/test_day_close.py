"""End of Day per drawer and the Daily Sales and Collections report."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import selectors, services
from payments.models import DayClose, Drawer
from shop.errors import ServiceError
from tests.payments.conftest import card, cash
from tests.workorders.test_views_pages import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_day(invoice, advisor, owner):
    payment = services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("40.00"), card("60.00")]
    )
    services.payment_refund(
        by=owner, payment=payment, amount="5.00", tender="cash", reason="Coupon forgotten"
    )
    return timezone.localdate()


def test_it_expects_what_the_ledger_took_by_tender_and_records_over_short(paid_day, advisor):
    drawer = services.drawer_default()
    day = selectors.drawer_day(drawer_id=drawer.pk, business_date=paid_day)
    expected = {tender: amount for tender, _label, amount, _c, _d in day.rows}
    assert expected == {
        "cash": Decimal("35.00"),
        "check": Decimal("0"),
        "card": Decimal("60.00"),
        "other": Decimal("0"),
        "online": Decimal("0"),
    }
    with pytest.raises(ServiceError, match=r"short by \$2.00: say why"):
        services.day_close(
            by=advisor, drawer=drawer, business_date=paid_day, counted={"cash": "33", "card": "60"}
        )
    close = services.day_close(
        by=advisor,
        drawer=drawer,
        business_date=paid_day,
        counted={"cash": "33.00", "card": "60.00"},
        note="Two dollars for the parts runner's coffee",
    )
    assert close.over_short == Decimal("-2.00") and close.closed_by == advisor
    with pytest.raises(ServiceError, match="already closed"):
        services.day_close(by=advisor, drawer=drawer, business_date=paid_day, counted={})


def test_it_refuses_a_future_day_and_a_negative_count(db, advisor):
    drawer = services.drawer_default()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError, match="not come yet"):
        services.day_close(by=advisor, drawer=drawer, business_date=tomorrow, counted={})
    with pytest.raises(ServiceError, match="cannot be negative"):
        services.day_close(
            by=advisor, drawer=drawer, business_date=timezone.localdate(), counted={"cash": "-1"}
        )
    assert not DayClose.objects.exists()


def test_the_end_of_day_page_closes_a_drawer(client, paid_day, advisor, technician):
    drawer = Drawer.objects.get()
    url = reverse("payments:end_of_day") + f"?drawer={drawer.pk}&business_date={paid_day}"
    client.force_login(technician)
    assert client.get(url).status_code == 403
    assert client.post(url, {"counted_cash": "35"}).status_code == 403
    client.force_login(advisor)
    page = client.get(url).content.decode()
    assert 'data-testid="expected-cash">$35.00' in page
    response = client.post(url, {"counted_cash": "36", "counted_card": "60"})
    assert response.status_code == 400 and "over by $1.00" in response.content.decode()
    assert not DayClose.objects.exists()
    response = client.post(
        url, {"counted_cash": "36", "counted_card": "60", "note": "Customer left a tip"}
    )
    assert response.status_code == 302
    assert DayClose.objects.get().over_short == Decimal("1.00")


def test_daily_sales_as_page_csv_and_pdf(client, paid_day, owner, advisor):
    url = reverse("payments:daily_sales") + f"?date={paid_day}"
    client.force_login(advisor)  # level 3; the report is level 2
    assert client.get(url).status_code == 403
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert 'data-testid="invoice-total">$100.00' in page
    assert 'data-testid="collected"><strong>$95.00' in page
    rows = list(csv.reader(io.StringIO(client.get(url + "&format=csv").content.decode())))
    assert ["Invoices", "Total", "100.00"] in rows
    assert ["Payments by tender", "Cash", "35.00"] in rows
    assert ["Refunds", "Given back", "5.00"] in rows
    text = pdf_text(client.get(url + "&format=pdf"))
    assert "Daily Sales and Collections" in text and "$95.00" in text


def test_daily_sales_reads_in_fixed_queries(paid_day, django_assert_num_queries):
    with django_assert_num_queries(5):
        selectors.daily_sales(paid_day)
