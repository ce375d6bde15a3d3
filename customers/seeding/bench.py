"""The customers app's part of the demo shop and of the benchmark shop.

The bench shop has 100,000 customers of whom about 3% are duplicates of another
(the same person typed in again: the phone in another format, the name
misspelled, the street abbreviated) and 150,000 vehicles. The true duplicate
pairs are kept in the table `bench_customer_duplicates` (created here, outside
the app's models) so that `customers.dedupe` can measure precision and recall.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone, Vehicle
from customers.seeding.common import (
    CITIES,
    COMPANY_KINDS,
    COMPANY_WORDS,
    MAILS,
    MAKES,
    STREET_KINDS,
    STREETS,
    make_vin,
    phone_typed,
    sources_ensure,
)
from customers.seeding.demo import seed_demo

BENCH_CUSTOMERS = 100_000
BENCH_DUPLICATE_SHARE = 0.03
BENCH_VEHICLES = 150_000
BATCH = 2_000
DUPLICATES_TABLE = "bench_customer_duplicates"


@dataclass
class Person:
    first: str
    last: str
    company: str
    street_no: int
    street: str
    street_kind: int
    city: int
    postcode: str
    phones: list[tuple[str, str, str, str]]  # kind, area, exchange, line
    email: str
    family_of: int | None = None
    duplicate_of: int | None = None
    created_days_ago: int = 0
    vehicles: list[tuple] = field(default_factory=list)


def _misspell(rng: random.Random, name: str) -> str:
    """One typing slip: a swapped, dropped, doubled or wrong letter."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if slip == 1:
        return name[:i] + name[i + 1 :]
    if slip == 2:
        return name[:i] + name[i] + name[i:]
    vowels = "aeiou"
    swap = rng.choice([v for v in vowels if v != name[i]]) if name[i] in vowels else name[i]
    return name[:i] + swap + name[i + 1 :] if swap != name[i] else name[:i] + name[i + 1 :]


def _names(rng: random.Random):
    from faker.providers.person.en_US import Provider

    firsts = list(Provider.first_names.items())
    lasts = list(Provider.last_names.items())
    first_names = [n for n, _ in firsts]
    first_weights = [w for _, w in firsts]
    last_names = [n for n, _ in lasts]
    last_weights = [w for _, w in lasts]

    def first() -> str:
        return rng.choices(first_names, first_weights)[0]

    def last() -> str:
        return rng.choices(last_names, last_weights)[0]

    return first, last


def _new_phone(rng: random.Random, area: str, used: set[str]) -> tuple[str, str]:
    while True:
        exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
        line = f"{rng.randint(0, 9999):04d}"
        if exchange == "555" or exchange[1:] == "11":
            continue
        key = area + exchange + line
        if key not in used:
            used.add(key)
            return exchange, line


def bench_people(rng: random.Random, total: int, duplicate_share: float) -> list[Person]:
    first, last = _names(rng)
    used_phones: set[str] = set()
    originals = total - int(total * duplicate_share)
    people: list[Person] = []
    while len(people) < originals:
        city = rng.randrange(len(CITIES))
        area = CITIES[city][2]
        postcode = rng.choice(CITIES[city][3])
        is_company = rng.random() < 0.04
        surname = last()
        person = Person(
            first="" if is_company else first(),
            last="" if is_company else surname,
            company=(
                f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {rng.randint(1, 999)}"
                if is_company
                else ""
            ),
            street_no=rng.randint(1, 4999),
            street=rng.choice(STREETS),
            street_kind=rng.randrange(len(STREET_KINDS)),
            city=city,
            postcode=postcode,
            phones=[("work" if is_company else "cell", area, *_new_phone(rng, area, used_phones))],
            email="",
            created_days_ago=rng.randint(30, 3650),
        )
        if not is_company and rng.random() < 0.4:
            person.phones.append(("home", area, *_new_phone(rng, area, used_phones)))
        if rng.random() < 0.6:
            handle = (
                (person.first or person.company.split()[0]).lower()
                + "."
                + (person.last or "office").lower().replace("'", "")
            )
            person.email = f"{handle}{rng.randint(1, 999)}@{rng.choice(MAILS)}"
        people.append(person)
        # A household: a spouse or grown child at the same address and home phone.
        if not is_company and rng.random() < 0.06 and len(people) < originals:
            home = next((p for p in person.phones if p[0] == "home"), None)
            member = Person(
                first=first(),
                last=surname,
                company="",
                street_no=person.street_no,
                street=person.street,
                street_kind=person.street_kind,
                city=city,
                postcode=postcode,
                phones=[("cell", area, *_new_phone(rng, area, used_phones))]
                + ([home] if home else []),
                email="",
                family_of=len(people) - 1,
                created_days_ago=rng.randint(30, 3650),
            )
            people.append(member)
    # The same people typed in again, the way it happens at a busy counter.
    singles = [i for i, p in enumerate(people) if p.family_of is None]
    for original_index in rng.sample(singles, total - len(people)):
        original = people[original_index]
        duplicate = Person(
            first=original.first,
            last=original.last,
            company=original.company,
            street_no=original.street_no,
            street=original.street,
            street_kind=original.street_kind,
            city=original.city,
            postcode=original.postcode,
            phones=list(original.phones),
            email=original.email if rng.random() < 0.5 else "",
            duplicate_of=original_index,
            created_days_ago=rng.randint(0, max(0, original.created_days_ago - 1)),
        )
        if duplicate.company:
            if rng.random() < 0.5:
                duplicate.company = _misspell(rng, duplicate.company)
        elif rng.random() < 0.7:
            if rng.random() < 0.5:
                duplicate.first = _misspell(rng, duplicate.first)
            else:
                duplicate.last = _misspell(rng, duplicate.last)
        if rng.random() < 0.15:
            # A new cell number: the address (and perhaps the e-mail) still match.
            area = CITIES[original.city][2]
            duplicate.phones = [("cell", area, *_new_phone(rng, area, used_phones))]
        elif len(duplicate.phones) > 1 and rng.random() < 0.5:
            duplicate.phones = duplicate.phones[:1]
        people.append(duplicate)
    return people


def _create_duplicates_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DUPLICATES_TABLE} "
            "(customer_id bigint PRIMARY KEY, duplicate_of_id bigint NOT NULL)"
        )


def bench_duplicate_pairs() -> set[tuple[int, int]]:
    """The true duplicate pairs the bench seeder made, as (lower id, higher id)."""
    _create_duplicates_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT customer_id, duplicate_of_id FROM {DUPLICATES_TABLE}")
        return {tuple(sorted(row)) for row in cursor.fetchall()}


def seed_customers(
    stdout, *, rng: random.Random, total: int, vehicles: int, duplicate_share: float
):
    """Create `total` customers (some families, some duplicates) and `vehicles` vehicles."""
    sources = sources_ensure()
    people = bench_people(rng, total, duplicate_share)
    now = timezone.now()
    customers = []
    for person in people:
        city, state, _area, _codes = CITIES[person.city]
        long_kind, short_kind = STREET_KINDS[person.street_kind]
        street_kind = (
            short_kind if person.duplicate_of is not None and rng.random() < 0.5 else long_kind
        )
        customers.append(
            Customer(
                kind=Customer.Kind.COMPANY if person.company else Customer.Kind.PERSON,
                first_name=person.first.capitalize() if person.first else "",
                last_name=person.last,
                company_name=person.company,
                address_line1=f"{person.street_no} {person.street} {street_kind}",
                city=city,
                state=state,
                postcode=person.postcode,
                is_ar=bool(person.company) and rng.random() < 0.5,
                source=rng.choice(sources) if rng.random() < 0.8 else None,
                text_consent=rng.random() < 0.6,
                email_consent=bool(person.email) and rng.random() < 0.7,
            )
        )
    for start in range(0, len(customers), BATCH):
        Customer.objects.bulk_create(customers[start : start + BATCH])
    # created_at is set by the database on insert; spread it over ten years.
    stamped = []
    for customer, person in zip(customers, people, strict=True):
        customer.created_at = now - timedelta(
            days=person.created_days_ago, minutes=rng.randint(0, 600)
        )
        stamped.append(customer)
    members = []
    for customer, person in zip(customers, people, strict=True):
        if person.family_of is not None:
            customer.household_main_id = customers[person.family_of].pk
            members.append(customer)
    Customer.objects.bulk_update(stamped, ["created_at"], batch_size=BATCH)
    Customer.objects.bulk_update(members, ["household_main"], batch_size=BATCH)

    phones = []
    emails = []
    for customer, person in zip(customers, people, strict=True):
        for kind, area, exchange, line in person.phones:
            phones.append(
                CustomerPhone(
                    customer_id=customer.pk,
                    kind=kind,
                    number=phone_typed(rng, area, exchange, line),
                    e164=f"+1{area}{exchange}{line}",
                )
            )
        if person.email:
            emails.append(CustomerEmail(customer_id=customer.pk, address=person.email))
    CustomerPhone.objects.bulk_create(phones, batch_size=BATCH)
    CustomerEmail.objects.bulk_create(emails, batch_size=BATCH)

    fleet = []
    owners = [c for c, p in zip(customers, people, strict=True) if p.duplicate_of is None]
    for index in range(vehicles):
        owner = owners[index] if index < len(owners) else rng.choice(owners)
        make, models, wmis = rng.choice(MAKES)
        year = rng.randint(2002, 2025)
        fleet.append(
            Vehicle(
                customer_id=owner.pk,
                year=year,
                make=make,
                model=rng.choice(models),
                vin=make_vin(rng, rng.choice(wmis), year),
                plate="".join(rng.choice(string.ascii_uppercase) for _ in range(rng.choice([2, 3])))
                + str(rng.randint(1, 99999)),
                plate_state="IL",
                odometer=max(100, (2026 - year) * rng.randint(8, 16) * 1000),
                annual_mileage=13000,
                is_active=rng.random() > 0.05,
            )
        )
    Vehicle.objects.bulk_create(fleet, batch_size=BATCH)

    _create_duplicates_table()
    pairs = [
        (customers[i].pk, customers[p.duplicate_of].pk)
        for i, p in enumerate(people)
        if p.duplicate_of is not None
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {DUPLICATES_TABLE} (customer_id, duplicate_of_id) VALUES (%s, %s)", pairs
        )
    stdout.write(
        f"  customers: {len(customers)} ({len(pairs)} duplicates, {len(members)} family members), "
        f"{len(phones)} phones, {len(emails)} e-mails, {len(fleet)} vehicles"
    )


def seed_bench(stdout, *, rng: random.Random) -> None:
    seed_demo(stdout)
    if Customer.objects.count() >= BENCH_CUSTOMERS:
        return
    with transaction.atomic():
        seed_customers(
            stdout,
            rng=rng,
            total=BENCH_CUSTOMERS,
            vehicles=BENCH_VEHICLES,
            duplicate_share=BENCH_DUPLICATE_SHARE,
        )
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner and a visibility map for index-only scans,
        # as a shop that has run for years would have.
        with connection.cursor() as cursor:
            for model in (Customer, CustomerPhone, CustomerEmail, Vehicle):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
