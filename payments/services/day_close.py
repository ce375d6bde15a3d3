"""The day's close: End of Day per drawer (expected from the ledger, counted, over/short)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from payments.models import ZERO, DayClose, Drawer, Tender
from payments.selectors import tender_totals
from payments.services.taking import money_read
from shop.errors import ServiceError
from shop.models import User


@transaction.atomic
def day_close(
    *,
    by: User,
    drawer: Drawer,
    business_date: date,
    counted: dict[str, Any],
    note: str = "",
) -> DayClose:
    """Close a drawer's day: what the ledger expected by tender (money in less money out),
    what was counted, over (+) or short (-). A difference needs a note. Once closed, a
    payment dated that day needs "Payments on a closed day"."""
    if business_date > timezone.localdate():
        raise ServiceError("A day that has not come yet cannot be closed.", field="business_date")
    drawer = Drawer.objects.select_for_update().get(pk=drawer.pk)
    if DayClose.objects.filter(drawer=drawer, business_date=business_date).exists():
        raise ServiceError(
            f"{drawer}'s day {business_date:%b %-d, %Y} is already closed.", code="closed"
        )
    expected = {tender: ZERO for tender in Tender.values}
    expected.update(tender_totals(drawer_id=drawer.pk, business_date=business_date))
    counted_amounts: dict[str, Decimal] = {}
    for tender in Tender.values:
        label = f"The counted {Tender(tender).label.lower()}"
        amount = money_read(counted.get(tender) or "0", field=f"counted_{tender}", label=label)
        if amount < 0:
            raise ServiceError(f"{label} cannot be negative.", field=f"counted_{tender}")
        counted_amounts[tender] = amount
    over_short = sum(counted_amounts.values(), ZERO) - sum(expected.values(), ZERO)
    note = (note or "").strip()
    if over_short and not note:
        raise ServiceError(
            f"The drawer is {'over' if over_short > 0 else 'short'} by ${abs(over_short)}: "
            "say why in the note before closing.",
            field="note",
        )
    try:
        with transaction.atomic():
            return DayClose.objects.create(
                drawer=drawer,
                business_date=business_date,
                expected={k: str(v) for k, v in expected.items()},
                counted={k: str(v) for k, v in counted_amounts.items()},
                over_short=over_short,
                note=note[:300],
                closed_by=by,
                closed_at=timezone.now(),
            )
    except IntegrityError:
        raise ServiceError(
            f"{drawer}'s day {business_date:%b %-d, %Y} is already closed.", code="closed"
        ) from None
