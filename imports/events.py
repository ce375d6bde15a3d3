"""What other apps may react to, published here and only here.

- `import_completed(sender=ImportRun, run, counts, by)`: an import of an old system's
  files finished writing. Sent once per import, inside the transaction of its last step,
  with `counts` = {"customers": {"create": n, "update": n}, "vehicles": ..., "invoices": ...,
  "invoice_lines": ..., "ar_items": ..., "parts": ...}.

An import writes history in bulk and deliberately does NOT send the work orders' events
(`status_changed`, `work_order_closed`, ...) for each imported invoice: those would text
customers about visits years old, generate follow-ups for them and fire one webhook per
row. The imports service writes the report figures and the mileage itself instead (the
documented exception to "reactions go through events"). Integrations deliver this signal
as one `import.completed` webhook with the counts (imports registers it in
`integrations.webhook_sources`, which integrations may offer but not import imports); the
same rule as every event applies: a receiver only writes rows and enqueues work on commit.
"""

from __future__ import annotations

from django.dispatch import Signal

import_completed = Signal()
