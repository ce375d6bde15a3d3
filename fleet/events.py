"""What other apps react to in fleet approval, published here and only here.

One signal, sent by fleet.services *inside* the transaction that made the
change, after the change is written:

- `fleet_request_decided(sender=FleetRequest, request, version, state,
  decided_at, by)`: the fleet approved or denied one or more lines of the
  request's current version (`version`, a FleetRequestVersion whose lines carry
  each decision; `state` the request's state after it; `by` the name of who
  decided, as recorded on the lines). Sent only when a decision was written:
  the same decision sent again, or a note alone, sends nothing. A version
  approved at submission because its total is within the company's
  auto-approve limit sends it too (state "auto_approved").

Why inside the transaction: a receiver (integrations' webhooks) writes its own
rows, such as an outbox message, in the same transaction as the decision, so
the two are saved together or not at all. Receivers must therefore only write
rows and enqueue work with `transaction.on_commit(...)`; never call a provider
from a receiver. A receiver that raises rolls the decision back.
"""

from __future__ import annotations

from django.dispatch import Signal

fleet_request_decided = Signal()
