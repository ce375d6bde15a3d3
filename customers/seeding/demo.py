"""The demo shop's customers: a couple of dozen, with two families and a few duplicates."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone, Vehicle
from customers.phones import phone_normalize
from customers.seeding.common import MAKES, SOURCES, make_vin, sources_ensure

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
    sources = {s.name: s for s in sources_ensure()}
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
