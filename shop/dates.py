"""The shop's days as aware datetimes: one place for "from midnight to midnight".

A day runs from local midnight to the next local midnight in the shop's time
zone. The end is computed from the next date, not as start + 24 hours, so a day
with a daylight-saving change is 23 or 25 hours long, as the clock on the wall
says.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, aware."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    """Local midnight at the end of `day` (the start of the next), aware: an exclusive bound."""
    return day_start(day + timedelta(days=1))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of one day."""
    return day_start(day), day_end(day)


def days_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) from the start of `first` to the end of `last`, both included."""
    return day_start(first), day_end(last)
