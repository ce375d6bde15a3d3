"""The customers app's part of the demo shop and of the benchmark shop.

The bench shop has 100,000 customers of whom about 3% are duplicates of another
(the same person typed in again, with the noise of a busy counter: the phone in
another format or with seven digits or two digits swapped, the name misspelled,
a nickname, first and last name in each other's field, upper case, the street
abbreviated) and 150,000 vehicles. Among them are look-alikes who are not the same
person and are not linked as a household: a son with his father's name at his
father's address with a cell phone of his own (with a "Jr" or without), and a
spouse sharing the home phone. The true duplicate pairs are kept in the table
`bench_customer_duplicates` and the look-alike pairs in `bench_customer_lookalikes`
(created here, outside the app's models) so that `customers.dedupe` can measure
the sure tier's precision, the recall over both tiers, and look-alikes proposed as sure.
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
LOOKALIKES_TABLE = "bench_customer_lookalikes"
# The shop's default area code (shop.seeding): locals give their number with seven digits.
LOCAL_AREA_CODE = "217"
BENCH_JUNIOR_SHARE = 0.012
BENCH_SPOUSE_SHARE = 0.012
# What advisors type for the generational suffix, in the first- or the last-name field.
JUNIOR_SUFFIXES = ["Jr", "Jr.", "JR", "II"]
# Nicknames as customers give them (a few the finder's own table must also know).
TYPED_NICKNAMES = {
    "robert": ["bob", "rob", "bobby"], "william": ["bill", "will", "billy"],
    "james": ["jim", "jimmy"], "john": ["jack"], "michael": ["mike"], "richard": ["rick", "dick"],
    "thomas": ["tom", "tommy"], "joseph": ["joe"], "charles": ["chuck", "charlie"],
    "christopher": ["chris"], "daniel": ["dan", "danny"], "david": ["dave"],
    "elizabeth": ["liz", "beth", "betty"], "jennifer": ["jen", "jenny"],
    "katherine": ["kate", "kathy"], "margaret": ["peggy", "maggie"], "patricia": ["pat", "patty"],
    "steven": ["steve"], "anthony": ["tony"], "edward": ["ed", "eddie"], "kenneth": ["ken"],
    "matthew": ["matt"], "andrew": ["andy"], "timothy": ["tim"], "gregory": ["greg"],
    "jeffrey": ["jeff"], "nicholas": ["nick"], "samuel": ["sam"], "rebecca": ["becky"],
    "jessica": ["jess"], "joshua": ["josh"], "jacob": ["jake"], "amanda": ["mandy"],
    "benjamin": ["ben"], "alexander": ["alex"], "donald": ["don"], "ronald": ["ron"],
    "susan": ["sue"], "deborah": ["deb", "debbie"], "zachary": ["zach"], "nathan": ["nate"],
}  # fmt: skip


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
    # A different person easily taken for `lookalike_of` (a son, a spouse); not linked.
    lookalike_of: int | None = None
    # How the duplicate's phones were typed: "" as usual, "seven" without the area code.
    phone_typing: str = ""
    upper_case: bool = False
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
        elif not is_company and len(people) < originals:
            chance = rng.random()
            if chance < BENCH_JUNIOR_SHARE:
                people.append(_junior(rng, person, len(people) - 1, used_phones))
            elif chance < BENCH_JUNIOR_SHARE + BENCH_SPOUSE_SHARE:
                other_first = first()
                while _one_first_name(other_first, person.first):
                    other_first = first()
                people.append(_spouse(rng, person, len(people) - 1, other_first, used_phones))
    # The same people typed in again, the way it happens at a busy counter.
    singles = [i for i, p in enumerate(people) if p.family_of is None and p.lookalike_of is None]
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
        else:
            _name_noise(rng, duplicate)
        duplicate.upper_case = rng.random() < 0.1
        noise = rng.random()
        if noise < 0.12:
            # A new cell number: the address (and perhaps the e-mail) still match.
            area = CITIES[original.city][2]
            duplicate.phones = [("cell", area, *_new_phone(rng, area, used_phones))]
        elif noise < 0.2:
            # Two digits of the number swapped at the keyboard.
            kind, area, exchange, line = duplicate.phones[0]
            duplicate.phones = [(kind, area, exchange, _transposed(rng, line))]
        else:
            if len(duplicate.phones) > 1 and rng.random() < 0.5:
                duplicate.phones = duplicate.phones[:1]
            if CITIES[original.city][2] == LOCAL_AREA_CODE and rng.random() < 0.4:
                duplicate.phone_typing = "seven"
        people.append(duplicate)
    return people


def _name_noise(rng: random.Random, duplicate: Person) -> None:
    """How a person's name comes out the second time: a slip, a nickname, swapped fields."""
    chance = rng.random()
    nicknames = TYPED_NICKNAMES.get(duplicate.first.lower())
    if chance < 0.5:
        if rng.random() < 0.5:
            duplicate.first = _misspell(rng, duplicate.first)
        else:
            duplicate.last = _misspell(rng, duplicate.last)
    elif chance < 0.62 and nicknames:
        duplicate.first = rng.choice(nicknames)
    elif chance < 0.72:
        duplicate.first, duplicate.last = duplicate.last, duplicate.first


def _one_first_name(one: str, other: str) -> bool:
    one, other = one.lower(), other.lower()
    return (
        one == other
        or one in TYPED_NICKNAMES.get(other, [])
        or other in TYPED_NICKNAMES.get(one, [])
    )


def _transposed(rng: random.Random, digits: str) -> str:
    i = rng.randrange(len(digits) - 1)
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    return (
        swapped
        if swapped != digits
        else digits[:i] + str((int(digits[i]) + 1) % 10) + digits[i + 1 :]
    )


def _junior(rng: random.Random, father: Person, father_index: int, used: set[str]) -> Person:
    """A son with his father's name at his father's address and a cell phone of his own;
    half the time the counter wrote his "Jr" (in either name field), half the time not."""
    area = CITIES[father.city][2]
    first, last = father.first, father.last
    if rng.random() < 0.5:
        suffix = rng.choice(JUNIOR_SUFFIXES)
        if rng.random() < 0.75:
            last = f"{last} {suffix}" if rng.random() < 0.7 else f"{last}, {suffix}"
        else:
            first = f"{first} {suffix}"
    home = [p for p in father.phones if p[0] == "home"]
    return Person(
        first=first,
        last=last,
        company="",
        street_no=father.street_no,
        street=father.street,
        street_kind=father.street_kind,
        city=father.city,
        postcode=father.postcode,
        phones=[("cell", area, *_new_phone(rng, area, used)), *home[: rng.randrange(2)]],
        email="",
        lookalike_of=father_index,
        created_days_ago=rng.randint(30, 3650),
    )


def _spouse(
    rng: random.Random, main: Person, main_index: int, first: str, used: set[str]
) -> Person:
    """A spouse at the same address sharing the home phone, perhaps with a cell of their own."""
    area = CITIES[main.city][2]
    home = next((p for p in main.phones if p[0] == "home"), None)
    if home is None:
        home = ("home", area, *_new_phone(rng, area, used))
        main.phones.append(home)
    phones = [home]
    if rng.random() < 0.5:
        phones.insert(0, ("cell", area, *_new_phone(rng, area, used)))
    return Person(
        first=first,
        last=main.last,
        company="",
        street_no=main.street_no,
        street=main.street,
        street_kind=main.street_kind,
        city=main.city,
        postcode=main.postcode,
        phones=phones,
        email="",
        lookalike_of=main_index,
        created_days_ago=rng.randint(30, 3650),
    )


def _create_duplicates_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DUPLICATES_TABLE} "
            "(customer_id bigint PRIMARY KEY, duplicate_of_id bigint NOT NULL)"
        )
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {LOOKALIKES_TABLE} "
            "(customer_id bigint PRIMARY KEY, lookalike_of_id bigint NOT NULL)"
        )


def bench_lookalike_pairs() -> set[tuple[int, int]]:
    """The look-alike pairs (a son and his father, spouses), as (lower id, higher id):
    each also with the other's duplicates, who are the same look-alike typed in again."""
    _create_duplicates_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT customer_id, lookalike_of_id FROM {LOOKALIKES_TABLE}")
        pairs = cursor.fetchall()
    copies: dict[int, set[int]] = {}
    for one, other in bench_duplicate_pairs():
        copies.setdefault(one, {one}).add(other)
        copies.setdefault(other, {other}).add(one)
    return {
        tuple(sorted((a, b)))
        for one, other in pairs
        for a in copies.get(one, {one})
        for b in copies.get(other, {other})
    }


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
        first_name = person.first[:1].upper() + person.first[1:]
        address = f"{person.street_no} {person.street} {street_kind}"
        last_name = person.last
        if person.upper_case:
            first_name, last_name, address = first_name.upper(), last_name.upper(), address.upper()
        customers.append(
            Customer(
                kind=Customer.Kind.COMPANY if person.company else Customer.Kind.PERSON,
                first_name=first_name,
                last_name=last_name,
                company_name=person.company,
                address_line1=address,
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
            typed = (
                f"{exchange}-{line}"
                if person.phone_typing == "seven"
                else phone_typed(rng, area, exchange, line)
            )
            # As the counter stores it: seven digits take the shop's default area code.
            e164 = f"+1{area}{exchange}{line}"
            phones.append(
                CustomerPhone(customer_id=customer.pk, kind=kind, number=typed, e164=e164)
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
    lookalikes = [
        (customers[i].pk, customers[p.lookalike_of].pk)
        for i, p in enumerate(people)
        if p.lookalike_of is not None
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {DUPLICATES_TABLE} (customer_id, duplicate_of_id) VALUES (%s, %s)", pairs
        )
        cursor.executemany(
            f"INSERT INTO {LOOKALIKES_TABLE} (customer_id, lookalike_of_id) VALUES (%s, %s)",
            lookalikes,
        )
    stdout.write(
        f"  customers: {len(customers)} ({len(pairs)} duplicates, {len(members)} family members, "
        f"{len(lookalikes)} look-alikes), "
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
