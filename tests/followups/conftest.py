import pytest

from followups.models import FollowUpSettings
from shop.models import ShopProfile
from workorders.seeding import statuses_ensure


@pytest.fixture(autouse=True)
def shop(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={"name": "Main Street Auto", "address_line1": "1 Main St", "city": "Springfield",
                  "state": "IL", "postcode": "62701", "phone": "(217) 555-0100"},
    )  # fmt: skip


@pytest.fixture
def follow_ups_on(db):
    FollowUpSettings.objects.update_or_create(
        pk=1, defaults={"enabled": True, "min_days_between_mailings": 30}
    )
