"""The shop app's part of the demo shop and the benchmark shop.

`seed_demo` and `seed_bench` call the `seed_demo()` and `seed_bench()` of every
app's seeding.py, in INSTALLED_APPS order, so each app fills its own tables.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from shop.models import ShopProfile, User

DEMO_PASSWORD = "demo-shop-2026"

DEMO_EMPLOYEES = [
    # username, first, last, role, level
    ("owner", "Olivia", "Owens", User.Role.OWNER, 1),
    ("manager", "Marcus", "Reyes", User.Role.MANAGER, 2),
    ("advisor", "Sam", "Carter", User.Role.ADVISOR, 3),
    ("frontdesk", "Priya", "Patel", User.Role.ADVISOR, 4),
    ("tech", "Tony", "Alvarez", User.Role.TECHNICIAN, 5),
]


@transaction.atomic
def seed_demo(stdout) -> dict:
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto Repair",
            "address_line1": "1200 Main Street",
            "city": "Springfield",
            "state": "IL",
            "postcode": "62701",
            "phone": "(217) 555-0142",
            "reply_email": "service@mainstreetauto.example",
            "hours": "Mon–Fri 7:30 am – 6:00 pm, Sat 8:00 am – 2:00 pm",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
            "default_area_code": "217",  # Springfield, Illinois
        },
    )
    for username, first, last, role, level in DEMO_EMPLOYEES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "security_level": level,
                "email": f"{username}@mainstreetauto.example",
                "phone": "(217) 555-01" + str(40 + level),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return {"logins": [(u, level, role.label) for u, _, _, role, level in DEMO_EMPLOYEES]}


def seed_bench(stdout, *, rng) -> None:
    seed_demo(stdout)
    existing = User.objects.filter(username__startswith="bench-").count()
    roles = [User.Role.ADVISOR, User.Role.TECHNICIAN, User.Role.TECHNICIAN, User.Role.MANAGER]
    users = []
    for index in range(existing, 40):
        role = roles[index % len(roles)]
        user = User(
            username=f"bench-{index:03d}",
            first_name=f"Bench{index}",
            last_name="Employee",
            role=role,
            security_level=3 if role != User.Role.TECHNICIAN else 5,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
