"""Every write and every rule of follow-ups and mailings, by topic; callers import them
from here:

- `records`: settings, saved queries, letters and e-mails (File Edit), follow-up lists;
- `outputs`: output jobs, from start to a file kept for download, and their cancellation;
- `follow_ups`: the daily generation of follow-ups and Follow Up Maintenance.
"""

from followups.services.follow_ups import follow_ups_delete_sent, follow_ups_generate
from followups.services.outputs import (
    output_job_cancel,
    output_job_rerun,
    output_job_run,
    output_job_start,
    output_jobs_reap,
)
from followups.services.records import (
    follow_up_list_save,
    follow_up_settings_update,
    letter_template_save,
    saved_query_delete,
    saved_query_save,
)

__all__ = [
    "follow_up_list_save",
    "follow_up_settings_update",
    "follow_ups_delete_sent",
    "follow_ups_generate",
    "letter_template_save",
    "output_job_cancel",
    "output_job_rerun",
    "output_job_run",
    "output_job_start",
    "output_jobs_reap",
    "saved_query_delete",
    "saved_query_save",
]
