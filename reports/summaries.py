"""The invoice figures the reports add up, written by one INSERT ... SELECT per table.

A line's cost is quantity × unit cost rounded to the cent, half up, as the work orders
round a line's amount. It is worked out in whole cents (integers) so that SQLite, the
embedded default, rounds exactly as PostgreSQL does. Lines of declined jobs are not charged
and cost nothing.
"""

from __future__ import annotations

from django.db import connection

from reports.models import InvoiceSummary, TechnicianSummary
from workorders.models import Job, Line, Stage, WorkOrder

# The cost of line `l` in cents: both factors have two decimals, so their product in
# ten-thousandths is exact, and +50 then integer division rounds half up (amounts are >= 0).
LINE_COST_CENTS = (
    "((CAST(ROUND(l.quantity * 100) AS BIGINT) * CAST(ROUND(l.unit_cost * 100) AS BIGINT) + 50)"
    " / 100)"
)
LINE_NET = "(l.amount - l.discount)"


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "wo": quote(WorkOrder._meta.db_table),
        "line": quote(Line._meta.db_table),
        "job": quote(Job._meta.db_table),
        "summary": quote(InvoiceSummary._meta.db_table),
        "tech": quote(TechnicianSummary._meta.db_table),
    }


def _where(work_order_ids: list[int] | None, only_missing: bool, table: str) -> tuple[str, list]:
    clauses = ["w.stage = %s", "w.closed_at IS NOT NULL"]
    params: list = [Stage.INVOICE]
    if work_order_ids is not None:
        clauses.append(f"w.id IN ({', '.join(['%s'] * len(work_order_ids))})")
        params.extend(work_order_ids)
    if only_missing:
        clauses.append(f"NOT EXISTS (SELECT 1 FROM {table} s WHERE s.work_order_id = w.id)")
    return " AND ".join(clauses), params


def summaries_write(*, work_order_ids: list[int] | None = None, only_missing: bool = False) -> int:
    """Write the summaries of these billed-out work orders (all of them when None).

    The caller deletes stale rows first (or passes only_missing). Returns invoices written.
    """
    if work_order_ids is not None and not work_order_ids:
        return 0
    t = _tables()
    charged = (
        f"l.work_order_id = w.id AND NOT EXISTS (SELECT 1 FROM {t['job']} j "
        "WHERE j.id = l.job_id AND j.approval = %s)"
    )
    where, params = _where(work_order_ids, only_missing, t["summary"])

    def by_kind(kind: str, expression: str) -> str:
        return f"COALESCE(SUM(CASE WHEN l.kind = '{kind}' THEN {expression} ELSE 0 END), 0)"

    invoices_sql = f"""
        INSERT INTO {t["summary"]} (
            work_order_id, closed_at, customer_id, vehicle_id, advisor_id, odometer,
            invoice_total, sales, cost, labor_sales, labor_cost, parts_sales, parts_cost, hours_sold
        )
        SELECT
            w.id, w.closed_at, w.customer_id, w.vehicle_id, w.advisor_id,
            COALESCE(w.odometer_out, w.odometer_in),
            w.grand_total,
            COALESCE(SUM({LINE_NET}), 0),
            COALESCE(SUM({LINE_COST_CENTS}), 0) / 100.0,
            {by_kind("labor", LINE_NET)},
            {by_kind("labor", LINE_COST_CENTS)} / 100.0,
            {by_kind("part", LINE_NET)},
            {by_kind("part", LINE_COST_CENTS)} / 100.0,
            {by_kind("labor", "l.quantity")}
        FROM {t["wo"]} w
        LEFT JOIN {t["line"]} l ON {charged}
        WHERE {where}
        GROUP BY w.id, w.closed_at, w.customer_id, w.vehicle_id, w.advisor_id, w.odometer_out,
            w.odometer_in, w.grand_total
    """
    tech_where, tech_params = _where(work_order_ids, only_missing, t["tech"])
    technician = "COALESCE(l.technician_id, j.technician_id, w.default_technician_id)"
    technicians_sql = f"""
        INSERT INTO {t["tech"]} (
            work_order_id, technician_id, closed_at, hours_sold, labor_sales, labor_cost
        )
        SELECT
            w.id, {technician}, w.closed_at, SUM(l.quantity), SUM({LINE_NET}),
            SUM({LINE_COST_CENTS}) / 100.0
        FROM {t["wo"]} w
        JOIN {t["line"]} l ON l.work_order_id = w.id AND l.kind = 'labor'
        JOIN {t["job"]} j ON j.id = l.job_id AND j.approval <> %s
        WHERE {tech_where}
        GROUP BY w.id, {technician}, w.closed_at
    """
    with connection.cursor() as cursor:
        cursor.execute(invoices_sql, [Job.Approval.DECLINED, *params])
        written = cursor.rowcount
        cursor.execute(technicians_sql, [Job.Approval.DECLINED, *tech_params])
    return written
