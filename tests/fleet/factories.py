from decimal import Decimal

import factory

from fleet.models import FleetAccount, FleetCompany, FleetUser
from shop.models import User
from tests.shop.factories import PASSWORD
from tests.workorders.factories import CustomerFactory


class FleetCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FleetCompany

    name = factory.Sequence(lambda n: f"Rapid Rentals {n}")
    fleet_company_id = factory.Sequence(lambda n: f"FLT-{n:05d}")
    auto_approve_limit = Decimal("0.00")
    webhook_secret = factory.Sequence(lambda n: f"test-secret-{n}-0123456789abcdef")


class FleetAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FleetAccount

    customer = factory.SubFactory(CustomerFactory, kind="company", company_name="Rapid Rentals")
    company = factory.SubFactory(FleetCompanyFactory)


class FleetLoginFactory(factory.django.DjangoModelFactory):
    """A fleet user's login: no role, no security level."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"fleetuser{n}")
    first_name = "Fran"
    last_name = factory.Sequence(lambda n: f"Fleet{n}")
    role = ""
    security_level = None

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class FleetUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FleetUser

    user = factory.SubFactory(FleetLoginFactory)
    company = factory.SubFactory(FleetCompanyFactory)
