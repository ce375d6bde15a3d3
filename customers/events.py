"""What other apps react to in customers and vehicles, published here and only here.

Nine signals, each sent by customers.services *inside* the transaction that
made the change, after the change is written. `by` is the employee who made it
(None for the system's own changes, such as a visit's odometer reading).

One vehicle:

- `vehicle_changed(sender=Vehicle, vehicle, created, by)`: a vehicle was added
  (`created` True) or edited (`vehicle_create`, `vehicle_update`, at the
  counter or through the API), or a billed-out visit moved its odometer or its
  annual mileage on (`vehicle_odometer_record`, `by` None).
- `vehicle_disabled(sender=Vehicle, vehicle, by)`: it was disabled (sold,
  scrapped: it leaves the counter). Sent only when it was active.
- `vehicle_enabled(sender=Vehicle, vehicle, by)`: a disabled vehicle was
  brought back. Sent only when it was disabled.

Many vehicles at once (the utilities write them in bulk, so no model signal
would tell). Each carries:

- `vehicle_ids`: the vehicles whose row changed and that still exist, so a
  receiver can react once per vehicle;
- `moved_rows`: every row the run pointed at the survivor (or its undo pointed
  back), by model label, e.g. `{"workorders.workorder": [ids], ...}`
  (combining finds them generically, so customers names no other app's model);
- `entry`: the UtilityLogEntry that records the run and can undo it.

The four:

- `customers_combined(sender=Customer, survivor, merged_id, vehicle_ids,
  moved_rows, entry, by)`: Combine Customers (manual or automatic) combined
  the customer `merged_id` (now deleted) into `survivor`; `vehicle_ids` are the
  merged customer's vehicles, now the survivor's. Sent once per combined pair.
- `customers_combine_undone(sender=Customer, entry, vehicle_ids, moved_rows,
  by)`: that combine was undone from the utilities' log: the merged customer
  is back and `vehicle_ids` are its vehicles again.
- `vehicles_combined(sender=Vehicle, vehicle_ids, removed_ids, moved_rows,
  entry, by)`: Combine Vehicles combined duplicates (`removed_ids`, now
  deleted) into the kept vehicles, which took their work orders and history;
  `vehicle_ids` are the kept vehicles whose blanks were filled from a
  duplicate (VIN, plate, odometer...).
- `vehicles_combine_undone(sender=Vehicle, entry, vehicle_ids, moved_rows,
  by)`: that run was undone: the duplicates are back and the kept vehicles'
  filled blanks are blank again; `vehicle_ids` holds both.

Deleting (Delete Customers with No Invoices), the same way:

- `customers_deleted(sender=Customer, customer_ids, removed_vehicle_ids, entry,
  by)`: the customers `customer_ids` and their vehicles `removed_vehicle_ids`
  were deleted (none had a row in another app: that is what the utility looks
  for). Like `removed_ids` of `vehicles_combined`, the vehicles no longer exist.
- `customers_delete_undone(sender=Customer, entry, vehicle_ids, moved_rows,
  by)`: that run was undone: the customers are back, and `vehicle_ids` are
  their vehicles, back too.

Why inside the transaction: a receiver (integrations' webhooks) writes its own
rows, such as an outbox message, in the same transaction as the change that
caused them, so the two are saved together or not at all. Receivers must
therefore only write rows and enqueue work with `transaction.on_commit(...)`;
never call a provider from a receiver, and never refuse a change by raising (a
receiver that raises rolls the change back, which is for errors only).

The other apps react to these events, never to saves of these models:
`.update()` and `bulk_update`, which the services use, send no model signal.
"""

from __future__ import annotations

from django.dispatch import Signal

vehicle_changed = Signal()
vehicle_disabled = Signal()
vehicle_enabled = Signal()
customers_combined = Signal()
customers_combine_undone = Signal()
vehicles_combined = Signal()
vehicles_combine_undone = Signal()
customers_deleted = Signal()
customers_delete_undone = Signal()
