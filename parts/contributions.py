"""Parts' pieces of the work-order editor, contributed through workorders.contributions
(workorders sits below parts and never loads its code):

- "line_form": the parts list's typeahead in each job's add-line form. Typing in Part # or
  Description offers catalog parts (number, description, on hand, bin, price); picking
  one fills the form, and the line is then added through parts (services.part_line_add),
  which remembers the part and adds its core charge. static/js/parts.js does the typing.
- "line_badges": beside a line's description, "catalog" for a line from the parts list,
  or "price override" when its price is not the catalog's.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from parts.models import PartLine
from shop.security import can
from workorders import contributions
from workorders.models import Job, Line, WorkOrder


def line_form_render(context: Any, work_order: WorkOrder, *, oob: bool = False, job: Job) -> str:
    # The catalog lines for the badges, loaded here too: the page then costs the same one
    # query whether the work order has no line yet or a hundred.
    _part_lines(work_order)
    request = context.get("request")
    if request is None or not can(request.user, "view_parts", request):
        return ""
    # The script and its styles once per page; htmx answers find them loaded already.
    first = not getattr(request, "_parts_typeahead_drawn", False) and not request.htmx
    request._parts_typeahead_drawn = True
    return render_to_string(
        "parts/partials/line_form_typeahead.html",
        {
            "wo": work_order,
            "job": job,
            "with_assets": first,
            # After a refusal (parts' line_add answering), the part stays picked.
            "picked": context.get("parts_picked", ""),
        },
    )


def _part_lines(work_order: WorkOrder) -> dict[int, PartLine]:
    # Every line of the work order asks: one query for all of them.
    cached = getattr(work_order, "_parts_part_lines", None)
    if cached is None:
        cached = work_order._parts_part_lines = {
            row.line_id: row
            for row in PartLine.objects.filter(line__work_order=work_order).select_related("part")
        }
    return cached


def line_badges_render(context: Any, work_order: WorkOrder, *, oob: bool = False,
                       line: Line) -> str | None:  # fmt: skip
    row = _part_lines(work_order).get(line.pk)
    if row is None:
        return None
    special = ""
    if not row.part.stocked and row.part.kind == "part" and work_order.stage != "invoice":
        # A non-stock part is ordered for this work order (parts/views_purchasing.py).
        special = format_html(
            ' <a class="badge" href="{}" title="Not kept on the shelf: order it from a vendor">'
            "special order</a>",
            reverse("parts:work_order_orders", args=[work_order.pk]),
        )
    if line.unit_price != row.catalog_price:
        return format_html(
            ' <span class="badge badge--warn" title="The parts list price is ${}">'
            "price override</span>{}",
            row.catalog_price,
            special,
        )
    return mark_safe(
        ' <span class="badge" title="Priced from the parts list">catalog</span>' + special
    )


def register() -> None:
    contributions.register("line_form", "parts", line_form_render, order=20)
    contributions.register("line_badges", "parts", line_badges_render, order=20)
