"""Reads of the follow-ups app, in four topics:

- `search`: the Data Search query builder (criteria -> queryset);
- `rows`: row shaping (queryset -> one dict per customer, invoice, vehicle or follow-up,
  the merge fields of letters, labels and exports);
- `pages`: what the pages list (saved queries, templates, lists, follow-ups, outputs);
- `settings`: the follow-up settings row.

The names below are what the views, the API and the outputs use; the app's own modules
import from the topic modules.
"""

from followups.selectors.pages import (
    follow_up_list_list,
    follow_up_list_overview,
    follow_up_maintenance_list,
    last_job,
    letter_template_list,
    pending_follow_ups,
    recent_jobs,
    saved_query_list,
    service_categories,
)
from followups.selectors.rows import (
    customer_rows,
    follow_up_rows,
    invoice_rows,
    search_preview,
    search_rows,
    vehicle_rows,
)
from followups.selectors.search import customer_search, invoice_search, search, vehicle_search
from followups.selectors.settings import followup_settings_get

__all__ = [
    "customer_rows",
    "customer_search",
    "follow_up_list_list",
    "follow_up_list_overview",
    "follow_up_maintenance_list",
    "follow_up_rows",
    "followup_settings_get",
    "invoice_rows",
    "invoice_search",
    "last_job",
    "letter_template_list",
    "pending_follow_ups",
    "recent_jobs",
    "saved_query_list",
    "search",
    "search_preview",
    "search_rows",
    "service_categories",
    "vehicle_rows",
    "vehicle_search",
]
