"""What the demo and bench shops are made of: sources, places, streets, makes and VINs."""

from __future__ import annotations

import random
import string

from customers.models import CustomerSource
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


def sources_ensure() -> list[CustomerSource]:
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
