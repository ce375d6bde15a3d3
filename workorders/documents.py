"""The printed work order: an estimate, a repair order or an invoice, by its stage."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from shop.selectors import shop_profile_get
from workorders.models import Stage, WorkOrder

TEMPLATES = {
    Stage.ESTIMATE: "workorders/pdf/estimate.html",
    Stage.REPAIR_ORDER: "workorders/pdf/repair_order.html",
    Stage.INVOICE: "workorders/pdf/invoice.html",
}
TITLES = {Stage.ESTIMATE: "Estimate", Stage.REPAIR_ORDER: "Repair Order", Stage.INVOICE: "Invoice"}


def file_name(work_order: WorkOrder) -> str:
    return f"{TITLES[work_order.stage].lower().replace(' ', '-')}-{work_order.pk}.pdf"


def work_order_html(work_order: WorkOrder) -> str:
    """The document's HTML; work_order comes from selectors.work_order_for_editor()."""
    jobs = list(work_order.jobs.all())
    if work_order.stage != Stage.REPAIR_ORDER:
        # A job with no lines has nothing to price or charge; the repair order still shows
        # it to the technician as work to look at.
        jobs = [job for job in jobs if job.lines.all()]
    for job in jobs:
        # Who approved the job, how and when: the latest row of its trail.
        trail = list(job.approvals.all())
        job.latest_approval = trail[-1] if trail else None
    return render_to_string(
        TEMPLATES[work_order.stage],
        {
            "wo": work_order,
            "jobs": jobs,
            "shop": shop_profile_get(),
            "title": TITLES[work_order.stage],
            "printed_at": timezone.localtime(),
        },
    )


def work_order_pdf(work_order: WorkOrder, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow for pages that never print

    return HTML(string=work_order_html(work_order), base_url=base_url).write_pdf()
