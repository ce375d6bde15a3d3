"""What apps above workorders add to its pages, without workorders importing them.

Fleet draws its approval panel in the editor and its approval box on the printed
invoice; payments and parts will add theirs. Workorders sits below those apps,
so it cannot load their template tags or import their code. Instead each app
registers a renderer for a named slot in its `AppConfig.ready()`:

    from workorders import contributions
    contributions.register("editor_panel", "fleet", fleet_panel_render, order=10)

and the work-order templates draw a slot with the `workorders` tag library:

    {% contributions "editor_panel" wo %}          the page
    {% contributions "editor_panel" wo oob=True %} an htmx answer after a line changed

A renderer is `render(context, work_order, *, oob, **options) -> str | None` and returns
safe HTML (build it with `format_html` or `render_to_string`), or None/"" to draw
nothing. With oob=True it draws its part marked `hx-swap-oob` so an htmx answer
replaces what the page drew; it returns nothing when its part never changes.

The slots (a slot not listed here is refused at registration, so a typo fails
at start-up, not silently on a page):

- "editor_panel": the editor's side column, under the totals (fleet's approval panel).
- "editor_save_button": the editor's Save button for the details form. The first
  renderer (by order) that returns something draws the button; when none does,
  workorders draws its plain Save (and, out of band, nothing: the plain button
  never changes).
- "invoice_footer": the printed invoice's footer, above the thank-you line (fleet's
  approval box).
- "line_form": inside the form that adds a line to a job, after its fields
  (options: job).
- "line_badges": in a line's row, after its description (options: line); parts marks the
  lines that came from its catalog. Called for every row: a renderer that reads the
  database loads what it needs for the whole work order once.
- "work_order_list_column": a column of the work-order list (payments' paid / partial /
  unpaid with the balance). Drawn once for the header cell (work_order None, head=True)
  and once per row; every call also gets `rows`, the page's work orders, so a renderer
  reads what it shows for the whole page in one query (and keeps it, e.g. on `rows`),
  never one per row. It returns whole `<th>`/`<td>` cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SLOTS = (
    "editor_panel",
    "editor_save_button",
    "invoice_footer",
    "line_form",
    "line_badges",
    "work_order_list_column",
)

# The details form's save button: htmx answers replace it out of band by this id.
SAVE_BUTTON_ID = "wo-save-button"

Renderer = Callable[..., str | None]


@dataclass(frozen=True)
class Contribution:
    slot: str
    app: str
    render: Renderer
    order: int


_registry: dict[str, list[Contribution]] = {slot: [] for slot in SLOTS}


def register(slot: str, app: str, render: Renderer, *, order: int = 100) -> None:
    """Add (or replace: registering twice is harmless) `app`'s renderer for `slot`."""
    if slot not in _registry:
        raise ValueError(f"No slot {slot!r} in the work-order pages; the slots are {SLOTS}.")
    entries = [c for c in _registry[slot] if c.app != app]
    entries.append(Contribution(slot=slot, app=app, render=render, order=order))
    entries.sort(key=lambda c: (c.order, c.app))
    _registry[slot] = entries


def contributions_for(slot: str) -> list[Contribution]:
    return list(_registry[slot])


def render_slot(slot: str, context: Any, work_order: Any, *, oob: bool = False, **options) -> str:
    """Every contribution to `slot`, in order, as one piece of safe HTML."""
    parts = [c.render(context, work_order, oob=oob, **options) for c in _registry[slot]]
    return mark_safe("".join(str(p) for p in parts if p))


def render_save_button(context: Any, work_order: Any, *, oob: bool = False) -> SafeString | str:
    for contribution in _registry["editor_save_button"]:
        html = contribution.render(context, work_order, oob=oob)
        if html:
            return mark_safe(str(html))
    if oob:
        return ""
    return format_html(
        '<button class="btn btn--primary" type="submit" id="{}">Save</button>', SAVE_BUTTON_ID
    )
