"""VINs: the 17-character check, the North American check digit, and offline decoding.

Decoding needs no network: the model year comes from position 10 and the make
from the World Manufacturer Identifier (the first three characters), looked up
in the small table below of the makes a US shop sees most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shop.errors import ServiceError

TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
# Position 10: the model year, on a 30-year cycle (I, O, Q, U, Z and 0 are never used).
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
# North America: the United States (1, 4, 5), Canada (2), Mexico (3).
NORTH_AMERICA = "12345"

WMI_MAKES = {
    "1C3": "Chrysler", "1C4": "Jeep", "1C6": "Ram", "1D7": "Dodge", "1FA": "Ford",
    "1FD": "Ford", "1FM": "Ford", "1FT": "Ford", "1G1": "Chevrolet", "1G4": "Buick",
    "1G6": "Cadillac", "1GC": "Chevrolet", "1GK": "GMC", "1GN": "Chevrolet", "1GT": "GMC",
    "1GY": "Cadillac", "1HG": "Honda", "1J4": "Jeep", "1LN": "Lincoln", "1N4": "Nissan",
    "1N6": "Nissan", "1VW": "Volkswagen", "19X": "Honda", "19U": "Acura", "2C3": "Chrysler",
    "2C4": "Chrysler", "2FM": "Ford", "2G1": "Chevrolet", "2GN": "Chevrolet", "2HG": "Honda",
    "2HK": "Honda", "2T1": "Toyota", "2T2": "Lexus", "2T3": "Toyota", "3C4": "Chrysler",
    "3C6": "Ram", "3FA": "Ford", "3GC": "Chevrolet", "3GN": "Chevrolet", "3GT": "GMC",
    "3HG": "Honda", "3N1": "Nissan", "3VW": "Volkswagen", "4JG": "Mercedes-Benz",
    "4S3": "Subaru", "4S4": "Subaru", "4T1": "Toyota", "4T3": "Toyota", "5FN": "Honda",
    "5J6": "Honda", "5LM": "Lincoln", "5N1": "Nissan", "5NP": "Hyundai", "5TD": "Toyota",
    "5TF": "Toyota", "5UX": "BMW", "5XY": "Kia", "5YJ": "Tesla", "7SA": "Tesla",
    "JA3": "Mitsubishi", "JA4": "Mitsubishi", "JF1": "Subaru", "JF2": "Subaru", "JHM": "Honda",
    "JH4": "Acura", "JM1": "Mazda", "JM3": "Mazda", "JN1": "Nissan", "JN8": "Nissan",
    "JTD": "Toyota", "JTE": "Toyota", "JTH": "Lexus", "JTJ": "Lexus", "JTM": "Toyota",
    "JTN": "Toyota", "KMH": "Hyundai", "KM8": "Hyundai", "KNA": "Kia", "KND": "Kia",
    "SAJ": "Jaguar", "SAL": "Land Rover", "WA1": "Audi", "WAU": "Audi", "WBA": "BMW",
    "WBS": "BMW", "WDB": "Mercedes-Benz", "WDC": "Mercedes-Benz", "WDD": "Mercedes-Benz",
    "WP0": "Porsche", "WP1": "Porsche", "WVG": "Volkswagen", "WVW": "Volkswagen",
    "YV1": "Volvo", "YV4": "Volvo", "ZFA": "Fiat",
}  # fmt: skip


@dataclass(frozen=True)
class DecodedVin:
    vin: str
    year: int | None
    make: str
    north_american: bool


def vin_clean(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw or "").upper()


def vin_check_digit(vin: str) -> str:
    total = sum(TRANSLITERATION[char] * weight for char, weight in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_model_year(vin: str) -> int | None:
    code = vin[9]
    if code not in YEAR_CODES:
        return None
    # A letter in position 7 marks the 2010-2039 cycle (the rule for North American
    # passenger vehicles, and the best guess offline for the rest).
    return (2010 if vin[6].isalpha() else 1980) + YEAR_CODES.index(code)


def vin_decode(raw: str, *, field: str = "vin") -> DecodedVin:
    """Check a VIN and decode what can be decoded offline; raise a ServiceError if it is wrong."""
    vin = vin_clean(raw)
    if len(vin) != 17:
        raise ServiceError(f"A VIN has 17 characters; “{raw.strip()}” has {len(vin)}.", field=field)
    if re.search(r"[IOQ]", vin):
        raise ServiceError(
            "A VIN never contains the letters I, O or Q (they look like 1 and 0).", field=field
        )
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", vin):
        raise ServiceError("A VIN has only letters and digits.", field=field)
    north_american = vin[0] in NORTH_AMERICA
    if north_american and vin[8] != vin_check_digit(vin):
        raise ServiceError(
            f"{vin} is not a valid VIN: its check digit (9th character) should be "
            f"{vin_check_digit(vin)}, not {vin[8]}. Check for a mistyped character.",
            field=field,
        )
    return DecodedVin(
        vin=vin,
        year=vin_model_year(vin),
        make=WMI_MAKES.get(vin[:3], ""),
        north_american=north_american,
    )
