"""Payments' figures on the owner's dashboard (reports.dashboard_figures): money collected
today and this month (payments less refunds and voids, every drawer), and A/R outstanding
(what the A/R customers owe now). Two queries whatever the ledger's size."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from payments.models import ZERO, LedgerEntry
from reports.dashboard_figures import DashboardFigure
from shop.security import can


def money_figures_compute() -> dict[str, Any]:
    today = timezone.localdate()
    month_start = today.replace(day=1)
    # Money moves (payments, refunds and the reversals of either) carry their tender.
    moves = LedgerEntry.objects.filter(business_date__range=(month_start, today)).exclude(tender="")
    collected = moves.aggregate(
        today=Coalesce(Sum("amount", filter=Q(business_date=today)), ZERO),
        month=Coalesce(Sum("amount"), ZERO),
    )
    outstanding = LedgerEntry.objects.filter(customer__is_ar=True).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]
    return {
        "collected_today": -collected["today"],
        "collected_month": -collected["month"],
        "ar_outstanding": outstanding,
        "today": today,
    }


def money_figures(period: Any, request: Any) -> list[DashboardFigure]:
    found = money_figures_compute()
    user = getattr(request, "user", None)
    day_url = reverse("payments:daily_sales") if can(user, "daily_sales_report", request) else ""
    aging_url = reverse("payments:ar_aging") if can(user, "ar_aging_report", request) else ""
    return [
        DashboardFigure("Collected today", f"${found['collected_today']:,.2f}", url=day_url),
        DashboardFigure(
            "Collected this month",
            f"${found['collected_month']:,.2f}",
            note=f"{found['today']:%B}",
        ),
        DashboardFigure(
            "A/R outstanding", f"${found['ar_outstanding']:,.2f}", note="now", url=aging_url
        ),
    ]


def register() -> None:
    from reports import dashboard_figures

    dashboard_figures.register("payments", figures=money_figures)
