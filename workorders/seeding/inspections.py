"""The demo shop's multi-point inspection sheet, so the first inspection on a tablet works."""

from __future__ import annotations

from workorders.models import InspectionSheet

DEMO_SHEET_NAME = "Multi-point inspection"

DEMO_SHEET = [
    (
        "Under hood",
        [
            "Engine oil level and condition",
            "Coolant level and condition",
            "Brake fluid",
            "Power steering fluid",
            "Transmission fluid",
            "Windshield washer fluid",
            "Battery and terminals",
            "Drive belts",
            "Hoses",
            "Engine air filter",
            "Cabin air filter",
        ],
    ),
    (
        "Brakes",
        [
            "Front brake pads",
            "Rear brake pads or shoes",
            "Front rotors",
            "Rear rotors or drums",
            "Brake lines and hoses",
            "Parking brake",
        ],
    ),
    (
        "Tires",
        [
            "Tread depth, left front",
            "Tread depth, right front",
            "Tread depth, left rear",
            "Tread depth, right rear",
            "Tire pressure",
            "Spare tire",
        ],
    ),
    (
        "Steering and suspension",
        ["Shocks and struts", "Tie rod ends", "Ball joints", "CV axles and boots"],
    ),
    (
        "Lights",
        ["Headlights", "Brake lights", "Turn signals", "Reverse lights"],
    ),
    (
        "Visibility and exhaust",
        ["Wiper blades", "Windshield", "Exhaust system"],
    ),
]


def inspection_sheets_ensure() -> InspectionSheet:
    """The demo's sheet, made once; a shop that edited it keeps its edits."""
    from workorders.services import sheet_create

    existing = InspectionSheet.objects.filter(name=DEMO_SHEET_NAME).first()
    if existing is not None:
        return existing
    return sheet_create(
        by=None,
        name=DEMO_SHEET_NAME,
        sections=[{"title": title, "items": items} for title, items in DEMO_SHEET],
    )
