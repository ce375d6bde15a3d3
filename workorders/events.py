"""What other apps react to, published here and only here.

Six signals, each sent by workorders.services *inside* the transaction that
made the change, after the change is written:

- `work_order_created(sender=WorkOrder, work_order, by)`: a new estimate or
  repair order was written (`workorder_create`, whether the counter, an
  appointment, the API or a sync made it). `by` is None for the system's own.
- `work_order_changed(sender=WorkOrder, work_order, fields)`: the work order's
  row was saved with its version bumped: its header, its status, billing out
  and reopening, and every change to its jobs, lines, approvals and board
  (they all save the work order they belong to, through `work_order_save`).
  `fields` names the columns saved (always with `version` and `updated_at`).
  Sent once per save: a service that saves a work order several times sends it
  several times, and a receiver that wants one reaction per transaction merges
  them (integrations' webhooks do).
- `status_changed(sender=WorkOrder, work_order, from_status, to_status, by)`:
  a work order moved from one status to another (not sent on creation).
- `stage_entered(sender=WorkOrder, work_order, stage, previous_stage, by)`:
  the new status is in a different stage (estimate → repair order, → invoice,
  or back after a reopen).
- `work_order_closed(sender=WorkOrder, work_order, by)`: it entered the invoice
  stage, so it is billed out, its totals frozen and it is locked.
- `inspection_completed(sender=Inspection, inspection, by)`: the last unrated
  item of a vehicle inspection was rated, so every item is green, yellow or red
  (`inspection.completed_at` is set). Sent once per inspection: re-rating an
  item afterwards does not send it again.

Why inside the transaction: a receiver (messaging's status texts, fleet's
resubmission, follow-ups' reminders, integrations' webhooks) writes its own
rows, such as an outbox message, in the same transaction as the change that
caused them, so the two are saved together or not at all. Receivers must
therefore only write rows and enqueue work with `transaction.on_commit(...)`;
never call a provider from a receiver. A receiver that raises rolls the change
back, but that is for errors only: a receiver never refuses a change. A
condition for billing out is a bill-out check (workorders.bill_out), asked
before anything is written.
"""

from __future__ import annotations

from django.dispatch import Signal

work_order_created = Signal()
work_order_changed = Signal()
status_changed = Signal()
stage_entered = Signal()
work_order_closed = Signal()
inspection_completed = Signal()
