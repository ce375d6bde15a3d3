"""Figures that apps above reports add to the owner's dashboard, without reports
importing them.

Reports sits below payments, so payments registers its figures from its
`AppConfig.ready()`:

    from reports import dashboard_figures
    dashboard_figures.register("payments", figures=money_figures)

`figures(period) -> list[DashboardFigure]` is called once per dashboard page, in a fixed
number of queries whatever the shop's size. Its figures follow the report's own KPIs, in
the order the apps registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardFigure:
    label: str
    value: str  # formatted: "$1,234.56"
    note: str = ""  # e.g. "as of today"
    url: str = ""  # the page behind it, when the viewer may open it


_registry: dict[str, Callable[..., list[DashboardFigure]]] = {}


def register(app: str, *, figures: Callable[..., list[DashboardFigure]]) -> None:
    """Add `app`'s figures (registering again replaces them: harmless)."""
    _registry[app] = figures


def figures_for(period: Any, request: Any) -> list[DashboardFigure]:
    found: list[DashboardFigure] = []
    for provider in _registry.values():
        found.extend(provider(period, request))
    return found
