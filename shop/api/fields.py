"""Serializer fields the apps' APIs share."""

from __future__ import annotations

from datetime import UTC, datetime

from rest_framework import serializers

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)


class ShopDateTimeField(serializers.DateTimeField):
    """A time a shop's record can hold: from 1900 to 2999.

    Before about 1900 the shop's time zone has no whole-minute UTC offset (local mean time,
    e.g. -05:50:36 in Chicago), which an ISO 8601 / RFC 3339 answer cannot write back, and
    no appointment or promise is that old or that far ahead."""

    default_error_messages = {
        "out_of_range": "Give a time between the years 1900 and 2999.",
    }

    def to_internal_value(self, value) -> datetime:
        value = super().to_internal_value(value)
        if not EARLIEST <= value < LATEST:
            self.fail("out_of_range")
        return value
