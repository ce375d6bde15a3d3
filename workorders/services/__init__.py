"""Every write of the work-order app, and the rules behind them; callers import them from
here (`from workorders import services`), the topic modules import each other.

Topic modules: `statuses` (statuses, stage ranges, settings), `totals` (money),
`work_orders` (create, update, status, close, reopen, optimistic locking),
`jobs` (jobs, lines, packages, the labor-line rule), `approvals` (who approved each job,
how and when; the approval rule), `appointments`, `board` (the live board's quick
changes), `inspections` (inspection sheets, inspections, their photos and videos).
"""

from workorders.services.appointments import (
    appointment_cancel,
    appointment_convert,
    appointment_create,
    appointment_update,
)
from workorders.services.approvals import (
    approval_row_write,
    job_approval_set,
)
from workorders.services.board import (
    job_done_set,
    job_note_add,
    workorder_countdown_set,
    workorder_priority_set,
)
from workorders.services.inspections import (
    THUMBNAIL_SIDE,
    SheetImportError,
    inspection_photo_add,
    inspection_recommend,
    inspection_result_set,
    inspection_start,
    inspection_video_add,
    sheet_create,
    sheet_delete,
    sheet_export,
    sheet_import,
    sheet_update,
)
from workorders.services.jobs import (
    job_add,
    job_add_package,
    job_lines_replace,
    job_update,
    line_add,
    line_remove,
    line_update,
    package_check,
    package_create,
    package_update,
)
from workorders.services.statuses import (
    stage_for_number,
    status_create,
    status_delete,
    status_update,
    workorder_settings_update,
)
from workorders.services.totals import (
    CENT,
    ZERO,
    Totals,
    money,
    totals_compute,
)
from workorders.services.work_orders import (
    first_status_get,
    totals_refresh,
    workorder_create,
    workorder_reopen,
    workorder_status_set,
    workorder_update,
)

__all__ = [
    "CENT",
    "THUMBNAIL_SIDE",
    "ZERO",
    "SheetImportError",
    "Totals",
    "appointment_cancel",
    "appointment_convert",
    "appointment_create",
    "appointment_update",
    "approval_row_write",
    "first_status_get",
    "inspection_photo_add",
    "inspection_recommend",
    "inspection_result_set",
    "inspection_start",
    "inspection_video_add",
    "job_add",
    "job_add_package",
    "job_approval_set",
    "job_done_set",
    "job_lines_replace",
    "job_note_add",
    "job_update",
    "line_add",
    "line_remove",
    "line_update",
    "money",
    "package_check",
    "package_create",
    "package_update",
    "sheet_create",
    "sheet_delete",
    "sheet_export",
    "sheet_import",
    "sheet_update",
    "stage_for_number",
    "status_create",
    "status_delete",
    "status_update",
    "totals_compute",
    "totals_refresh",
    "workorder_countdown_set",
    "workorder_create",
    "workorder_priority_set",
    "workorder_reopen",
    "workorder_settings_update",
    "workorder_status_set",
    "workorder_update",
]
