import factory

from customers.models import Customer, CustomerEmail, CustomerPhone, CustomerSource, Vehicle
from customers.seeding import make_vin


class CustomerSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerSource
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Source {n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    address_line1 = factory.Faker("street_address")
    city = "Springfield"
    state = "IL"
    postcode = "62704"


class CustomerPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerPhone

    customer = factory.SubFactory(CustomerFactory)
    kind = "cell"
    number = factory.Sequence(lambda n: f"(217) 555-{n % 10000:04d}")
    e164 = factory.LazyAttribute(lambda o: "+1217555" + o.number[-4:])


class CustomerEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerEmail

    customer = factory.SubFactory(CustomerFactory)
    address = factory.Sequence(lambda n: f"customer{n}@example.com")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    customer = factory.SubFactory(CustomerFactory)
    year = 2018
    make = "Honda"
    model = "Accord"
    vin = factory.Sequence(lambda n: make_vin(__import__("random").Random(n), "1HG", 2018))
    plate = factory.Sequence(lambda n: f"ABC{n:04d}")
    plate_state = "IL"
    odometer = 64000
