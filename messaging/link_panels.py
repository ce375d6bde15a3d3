"""Parts that upper apps add to the customer's link page (messaging:customer_link), e.g.
payments' balance with its Pay button. A panel is `render(work_order, token) -> html or
None`, registered from the upper app's AppConfig.ready(); messaging never names it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

Renderer = Callable[[Any, str], "str | None"]
_panels: dict[str, tuple[int, Renderer]] = {}


def register(app: str, render: Renderer, *, order: int = 100) -> None:
    """Add (or replace: registering twice is harmless) `app`'s panel."""
    _panels[app] = (order, render)


def render_all(work_order: Any, token: str) -> SafeString:
    ordered = sorted(_panels.items(), key=lambda item: (item[1][0], item[0]))
    parts = [render(work_order, token) for _app, (_order, render) in ordered]
    return mark_safe("".join(str(part) for part in parts if part))
