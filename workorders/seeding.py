"""The work-order app's part of the demo shop and the benchmark shop."""

from __future__ import annotations

from django.db import transaction

from workorders.models import Status

# number, name, colour, time display, default minutes, send customer update
STANDARD_STATUSES = [
    (1, "Estimate", "#475569", "open", None, False),
    (2, "Waiting for Approval", "#b45309", "count_up", None, True),
    (3, "Estimate Sent", "#7c3aed", "count_up", None, False),
    (4, "Customer Declined", "#991b1b", "open", None, False),
    (5, "Appointment Set", "#0369a1", "open", None, True),
    (6, "Approved", "#15803d", "count_down", 30, True),
    (7, "In Progress", "#1d4ed8", "count_down", 120, False),
    (8, "Waiting for Parts", "#c2410c", "count_up", None, True),
    (9, "Diagnosis", "#6d28d9", "count_down", 60, False),
    (10, "Waiting for Technician", "#a16207", "count_up", None, False),
    (11, "Road Test", "#0e7490", "count_down", 20, False),
    (12, "Sublet Out", "#9d174d", "count_up", None, False),
    (13, "Quality Check", "#4d7c0f", "count_down", 15, False),
    (14, "Washing", "#0f766e", "count_down", 20, False),
    (15, "On Hold", "#7f1d1d", "count_up", None, False),
    (16, "Ready for Pickup", "#166534", "count_up", None, True),
    (17, "Billed Out", "#111827", "open", None, True),
]

UPDATE_TEMPLATES = {
    2: "Hi {customer}, the estimate for your {vehicle} is ready for your approval. — {shop}",
    5: "Hi {customer}, your appointment for your {vehicle} is set. — {shop}",
    6: "Hi {customer}, thanks for approving the work on your {vehicle}. We're on it. — {shop}",
    8: "Hi {customer}, we're waiting on parts for your {vehicle}; we'll keep you posted. — {shop}",
    16: "Hi {customer}, your {vehicle} is ready for pickup. — {shop}",
    17: "Thank you, {customer}! Your invoice for your {vehicle} is closed. — {shop}",
}


@transaction.atomic
def statuses_ensure() -> dict[int, Status]:
    """The standard 1-17 statuses, created where missing; the shop's edits are kept."""
    existing = {s.number: s for s in Status.objects.all()}
    for number, name, colour, display, minutes, send in STANDARD_STATUSES:
        if number not in existing:
            existing[number] = Status.objects.create(
                number=number,
                name=name,
                colour=colour,
                time_display=display,
                default_minutes=minutes,
                send_customer_update=send,
                message_template=UPDATE_TEMPLATES.get(number, ""),
            )
    return existing


def seed_demo(stdout) -> dict:
    statuses_ensure()
    return {}


def seed_bench(stdout, *, rng) -> None:
    statuses_ensure()
