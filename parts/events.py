"""What parts publishes for other apps (see ARCHITECTURE.md, Events): named signals sent by
its services inside the transaction that made the change, after the change is written."""

from django.dispatch import Signal

# A sale (bill-out) took a stocked part from its reorder point or above to below it: once
# per crossing, not for every later sale while it stays below. Arguments: part, on_hand
# (after the sale), work_order, by.
part_low_stock = Signal()
