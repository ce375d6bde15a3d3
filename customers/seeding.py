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

from customers.models import Customer, CustomerEmail, CustomerPhone, CustomerSource, Vehicle
from customers.phones import phone_normalize
from customers.vin import YEAR_CODES, vin_check_digit

SOURCES = ["Google", "Yelp", "Facebook", "Drive-by", "Referral", "Radio", "Repeat customer"]

# city, state, area code, postcodes
CITIES = [
    ("Springfield", "IL", "217", ["62701", "62702", "62703", "62704", "62707"]),
    ("Champaign", "IL", "217", ["61820", "61821", "61822"]),
    ("Urbana", "IL", "217", ["61801", "61802"]),
    ("Decatur", "IL", "217", ["62521", "62522", "62526"]),
    ("Peoria", "IL", "309", ["61602", "61603", "61604", "61614"]),
    ("Bloomington", "IL", "309", ["61701", "61704", "61705"]),
    ("Rockford", "IL", "815", ["61101", "61107", "61108"]),
    ("Joliet", "IL", "815", ["60431", "60432", "60435"]),
    ("Naperville", "IL", "630", ["60540", "60563", "60565"]),
    ("Aurora", "IL", "630", ["60502", "60504", "60505"]),
    ("Evanston", "IL", "847", ["60201", "60202"]),
    ("Chicago", "IL", "773", ["60614", "60618", "60625", "60640", "60647"]),
]
STREETS = [
    "Oak", "Maple", "Cedar", "Elm", "Walnut", "Lincoln", "Washington", "Jefferson", "Adams",
    "Monroe", "Jackson", "Madison", "Park", "Lake", "Hill", "River", "Sunset", "Prairie",
    "Meadow", "Church", "Mill", "Spring", "Ridge", "Highland", "Forest", "Grand", "Center",
    "College", "Franklin", "Grant", "Sherman", "Wabash", "Cherry", "Chestnut", "Poplar",
    "Hickory", "Locust", "Willow", "Birch", "Pine",
]  # fmt: skip
STREET_KINDS = [("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"),
                ("Lane", "Ln"), ("Court", "Ct"), ("Boulevard", "Blvd")]  # fmt: skip
MAILS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "comcast.net", "aol.com"]
COMPANY_WORDS = ["Prairie", "Midwest", "Lincoln", "Capitol", "Heartland", "Sangamon", "Lakeside",
                 "Summit", "Keystone", "Pioneer", "Liberty", "Central"]  # fmt: skip
COMPANY_KINDS = ["Plumbing", "Landscaping", "Electric", "Builders", "Florist", "Catering",
                 "Roofing", "Cleaning", "Delivery", "Heating", "Painting", "Moving"]  # fmt: skip
# make, models, WMIs (from customers.vin's table, so decoding finds the make)
MAKES = [
    ("Chevrolet", ["Malibu", "Equinox", "Silverado", "Impala", "Traverse"], ["1G1", "1GN", "1GC"]),
    ("Ford", ["F-150", "Escape", "Fusion", "Explorer", "Focus"], ["1FA", "1FM", "1FT"]),
    ("Toyota", ["Camry", "Corolla", "RAV4", "Highlander", "Tacoma"], ["4T1", "2T1", "5TD"]),
    ("Honda", ["Accord", "Civic", "CR-V", "Pilot", "Odyssey"], ["1HG", "2HG", "5FN"]),
    ("Nissan", ["Altima", "Rogue", "Sentra", "Pathfinder"], ["1N4", "5N1", "3N1"]),
    ("Jeep", ["Grand Cherokee", "Wrangler", "Cherokee"], ["1C4"]),
    ("Hyundai", ["Elantra", "Sonata", "Santa Fe"], ["5NP", "KMH"]),
    ("Subaru", ["Outback", "Forester", "Impreza"], ["4S4", "JF2"]),
    ("GMC", ["Sierra", "Acadia", "Terrain"], ["1GT", "1GK"]),
    ("Kia", ["Sorento", "Optima", "Soul"], ["5XY", "KNA"]),
]  # fmt: skip
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _sources() -> list[CustomerSource]:
    for name in SOURCES:
        CustomerSource.objects.get_or_create(name=name)
    return list(CustomerSource.objects.filter(name__in=SOURCES))


def make_vin(rng: random.Random, wmi: str, year: int) -> str:
    body = wmi + "".join(rng.choice(VIN_CHARS) for _ in range(5)) + "0"
    # Position 7 a letter for 2010 and later (the check digit rule decodes the cycle).
    if year >= 2010:
        body = body[:6] + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + body[7:]
    else:
        body = body[:6] + rng.choice("0123456789") + body[7:]
    rest = (
        YEAR_CODES[(year - 1980) % 30]
        + rng.choice(VIN_CHARS)
        + "".join(rng.choice(string.digits) for _ in range(6))
    )
    vin = body + rest
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def phone_typed(rng: random.Random, area: str, exchange: str, line: str) -> str:
    """The same number as different advisors type it."""
    return rng.choice(
        [
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"{area}{exchange}{line}",
            f"+1 {area} {exchange} {line}",
            f"1-{area}-{exchange}-{line}",
        ]
    )


# --- The demo shop ------------------------------------------------------------

DEMO_CUSTOMERS = [
    # first, last, company, street, city, postcode, phones, email, vehicles
    ("Maria", "Gonzalez", "", "418 Oak Street", "Springfield", "62704",
     [("cell", "(217) 555-0188")], "maria.gonzalez@example.com",
     [(2017, "Honda", "Accord", "1HGCR2F31HA000001", "MRG 417")]),
    ("James", "Whitfield", "", "77 Lincoln Avenue", "Springfield", "62702",
     [("cell", "217-555-0133"), ("home", "217-555-0199")], "jwhitfield@example.com",
     [(2014, "Ford", "F-150", "", "JW 4410"), (2019, "Toyota", "RAV4", "", "RAV 19")]),
    ("Linda", "Whitfield", "", "77 Lincoln Avenue", "Springfield", "62702",
     [("cell", "217 555 0134"), ("home", "217-555-0199")], "",
     [(2012, "Chevrolet", "Malibu", "", "LW 2012")]),
    ("Robert", "Chen", "", "12 Maple Drive", "Champaign", "61820",
     [("cell", "(217) 555-0110")], "rchen@example.com",
     [(2020, "Subaru", "Outback", "", "CHN 220")]),
    ("Bob", "Chen", "", "12 Maple Dr", "Champaign", "61820",
     [("cell", "2175550110")], "",
     []),
    ("Angela", "Brooks", "", "903 Walnut Street", "Decatur", "62521",
     [("cell", "(217) 555-0176")], "angela.brooks@example.com",
     [(2016, "Nissan", "Rogue", "", "ABR 16")]),
    ("Angela", "Brookes", "", "903 Walnut St", "Decatur", "62521",
     [("cell", "+1 217 555 0176")], "angela.brooks@example.com",
     [(2016, "Nissan", "Rogue", "", "ABR16")]),
    ("Daniel", "Okafor", "", "55 Prairie Road", "Urbana", "61801",
     [("cell", "217.555.0121"), ("work", "217.555.0150")], "dan.okafor@example.com",
     [(2011, "Jeep", "Grand Cherokee", "", "OKA 11")]),
    ("Priscilla", "Nguyen", "", "2040 Cedar Lane", "Springfield", "62703",
     [("cell", "(217) 555-0161")], "pnguyen@example.com",
     [(2021, "Hyundai", "Elantra", "", "PN 2021")]),
    ("Thomas", "Keller", "", "3 Hill Court", "Peoria", "61604",
     [("home", "(309) 555-0140")], "",
     [(2008, "Chevrolet", "Impala", "", "TK 808")]),
    ("Susan", "Keller", "", "3 Hill Court", "Peoria", "61604",
     [("home", "(309) 555-0140"), ("cell", "(309) 555-0141")], "skeller@example.com",
     [(2018, "Honda", "CR-V", "", "SUE 18")]),
    ("Marcus", "Hill", "", "1401 Grand Avenue", "Springfield", "62704",
     [("cell", "(217) 555-0191"), ("cell", "217-555-0191")], "",
     [(2015, "Ford", "Escape", "", "MHL 15")]),
    ("Evelyn", "Park", "", "88 River Road", "Springfield", "62701",
     [("cell", "(217) 555-0129")], "evelyn.park@example.com",
     [(2019, "Kia", "Sorento", "", "EVP 19")]),
    ("Kevin", "O'Brien", "", "610 Church Street", "Bloomington", "61701",
     [("cell", "(309) 555-0117")], "kobrien@example.com",
     [(2013, "GMC", "Sierra", "", "KOB 13")]),
    ("Rachel", "Stein", "", "17 Spring Street", "Springfield", "62703",
     [("cell", "(217) 555-0152")], "rachel.stein@example.com",
     [(2022, "Toyota", "Camry", "", "RS 2022")]),
    ("Hector", "Ramirez", "", "930 Jackson Street", "Springfield", "62701",
     [("cell", "(217) 555-0170")], "",
     [(2010, "Toyota", "Tacoma", "", "HR 10"), (2010, "Toyota", "Tacoma", "", "HR10")]),
    ("Grace", "Liu", "", "405 Locust Street", "Champaign", "61821",
     [("cell", "(217) 555-0183")], "grace.liu@example.com",
     [(2023, "Honda", "Civic", "", "GL 23")]),
    ("Walter", "Dubois", "", "21 Elm Street", "Springfield", "62702",
     [("home", "(217) 555-0112")], "",
     [(2005, "Ford", "Focus", "", "WD 05")]),
    ("", "", "Sangamon Plumbing", "2200 Mill Road", "Springfield", "62707",
     [("work", "(217) 555-0100")], "office@sangamonplumbing.example",
     [(2018, "Ford", "Transit", "", "SP 1"), (2019, "Ford", "Transit", "", "SP 2"),
      (2020, "Chevrolet", "Silverado 1500", "", "SP 3")]),
    ("", "", "Prairie Florist", "14 Park Avenue", "Springfield", "62701",
     [("work", "(217) 555-0105")], "orders@prairieflorist.example",
     [(2017, "Nissan", "NV200", "", "FLWR 1")]),
    ("Olga", "Petrov", "", "7 Sunset Drive", "Springfield", "62704",
     [("cell", "(217) 555-0197")], "olga.petrov@example.com", []),
    ("Samuel", "Ortiz", "", "1120 Washington Street", "Springfield", "62702",
     [("cell", "(217) 555-0145")], "", [(2016, "Jeep", "Wrangler", "", "SAM 16")]),
    ("Nina", "Patel", "", "450 Meadow Lane", "Champaign", "61822",
     [("cell", "(217) 555-0138")], "nina.patel@example.com",
     [(2020, "Toyota", "Highlander", "", "NP 20")]),
    ("Curtis", "Young", "", "29 Forest Avenue", "Decatur", "62526",
     [("cell", "(217) 555-0126")], "", []),
]  # fmt: skip
# Households: (family member, main customer) by "first last".
DEMO_FAMILIES = [("Linda Whitfield", "James Whitfield"), ("Susan Keller", "Thomas Keller")]


@transaction.atomic
def seed_demo(stdout) -> None:
    sources = {s.name: s for s in _sources()}
    by_name: dict[str, Customer] = {}
    rng = random.Random(7)
    for index, row in enumerate(DEMO_CUSTOMERS):
        first, last, company, street, city, postcode, phones, email, vehicles = row
        state = "IL"
        existing = Customer.objects.filter(
            first_name=first, last_name=last, company_name=company, address_line1=street
        ).first()
        if existing is None:
            existing = Customer.objects.create(
                kind=Customer.Kind.COMPANY if company else Customer.Kind.PERSON,
                first_name=first,
                last_name=last,
                company_name=company,
                address_line1=street,
                city=city,
                state=state,
                postcode=postcode,
                is_ar=bool(company),
                source=sources[SOURCES[index % len(SOURCES)]] if index % 5 else None,
                text_consent=index % 3 != 0,
                text_consent_at=timezone.now() if index % 3 != 0 else None,
                email_consent=bool(email),
                email_consent_at=timezone.now() if email else None,
            )
            for kind, number in phones:
                CustomerPhone.objects.create(
                    customer=existing,
                    kind=kind,
                    number=number,
                    e164=phone_normalize(number).e164,
                )
            if email:
                CustomerEmail.objects.create(customer=existing, address=email)
            for year, make, model, vin, plate in vehicles:
                wmi = next((m[2][0] for m in MAKES if m[0] == make), "1FT")
                Vehicle.objects.create(
                    customer=existing,
                    year=year,
                    make=make,
                    model=model,
                    vin=vin or make_vin(rng, wmi, year),
                    plate=plate.replace(" ", ""),
                    plate_state="IL",
                    odometer=rng.randint(20, 160) * 1000,
                )
        by_name[f"{first} {last}".strip() or company] = existing
    for member, main in DEMO_FAMILIES:
        Customer.objects.filter(pk=by_name[member].pk, household_main__isnull=True).update(
            household_main=by_name[main]
        )


# --- The benchmark shop ---------------------------------------------------------

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
    sources = _sources()
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
