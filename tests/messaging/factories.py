import factory
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone
from outbox.models import Channel, OutboundMessage


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    text_consent = True
    email_consent = True


class CustomerPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerPhone

    customer = factory.SubFactory(CustomerFactory)
    kind = CustomerPhone.Kind.CELL
    number = factory.Sequence(lambda n: f"(312) 555-{2000 + n:04d}")
    e164 = factory.LazyAttribute(lambda o: "+1" + "".join(ch for ch in o.number if ch.isdigit()))


class CustomerEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerEmail

    customer = factory.SubFactory(CustomerFactory)
    address = factory.Sequence(lambda n: f"customer{n}@mail.example")


def customer_with_contacts(**kwargs) -> Customer:
    customer = CustomerFactory(**kwargs)
    CustomerPhoneFactory(customer=customer)
    CustomerEmailFactory(customer=customer)
    return customer


class OutboundMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundMessage

    channel = Channel.SMS
    to = factory.Sequence(lambda n: f"+1312555{3000 + n:04d}")
    body = "Your car is ready."
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    next_attempt_at = factory.LazyFunction(timezone.now)
