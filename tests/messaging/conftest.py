import pytest


@pytest.fixture(autouse=True)
def messaging_settings(settings):
    """Anymail's test backend for e-mail, the development backend for texts, a Twilio token."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.SMS_BACKEND = "dev"
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_MAX_ATTEMPTS = 4
    return settings


@pytest.fixture
def statuses(db):
    from workorders.seeding import statuses_ensure

    return statuses_ensure()


@pytest.fixture
def shop_profile(db):
    from decimal import Decimal

    from shop.models import ShopProfile

    return ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "phone": "(217) 555-0142",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )[0]


@pytest.fixture
def estimate(statuses, shop_profile, advisor):
    """An estimate for a customer with a cell phone and an e-mail, both consented."""
    from tests.messaging.factories import customer_with_contacts
    from tests.workorders.factories import VehicleFactory
    from workorders import services

    customer = customer_with_contacts(first_name="Rosa", last_name="Diaz")
    vehicle = VehicleFactory(customer=customer)
    return services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=84210)


@pytest.fixture
def estimate_with_jobs(estimate, advisor):
    """The estimate with two priced jobs: front brakes and a wiper blade."""
    from workorders import services
    from workorders.models import WorkOrder

    def version():
        return WorkOrder.objects.get(pk=estimate.pk).version

    brakes = services.job_add(
        by=advisor, work_order=estimate, version=version(), title="Front brakes"
    )
    services.line_add(
        by=advisor,
        job=brakes,
        version=version(),
        kind="labor",
        description="Replace front pads",
        quantity="1.5",
        unit_price="139.00",
    )
    wipers = services.job_add(by=advisor, work_order=estimate, version=version(), title="Wipers")
    services.line_add(
        by=advisor,
        job=wipers,
        version=version(),
        kind="fee",
        description="Wiper blades, pair",
        quantity="1",
        unit_price="34.00",
    )
    return WorkOrder.objects.get(pk=estimate.pk)
