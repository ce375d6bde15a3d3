"""The outbox: the one way anything leaves the shop.

Texts and e-mails to customers, webhooks to integrations and webhooks to fleet
networks are all rows of one table (outbox.models.OutboundMessage), each written
in the transaction of the change that caused it, and all sent the same way
(outbox/services.py): a task claims the row after commit, the channel's
transport hands it over outside any transaction, a transient failure is retried
with exponential backoff (OUTBOX_RETRY_BASE_SECONDS doubled, OUTBOX_MAX_ATTEMPTS
tries), every try with something to tell is a SendAttempt (the delivery log), and
the beat relay (outbox.tasks.relay_outbound_messages, every 30 s) publishes what
the broker never got and settles what a dead worker left "sending". A broker that
is down when a change commits is logged, never raised into the request.

Modules:

- models.py: OutboundMessage (channel, recipient, body, state, tries, cause) and
  SendAttempt.
- services.py: `outbound_message_enqueue`, dispatch after commit, the claim,
  `outbound_message_send`, `retry_delay_compute`, `outbound_relay`.
- transports.py: the registry of channels. The app that owns a channel registers
  its transport in its AppConfig.ready(): messaging registers "sms" and "email"
  (recipients, consent, providers: messaging/services/outbox.py); this app
  registers the generic "webhook".
- webhooks.py: the signed-webhook transport. The POST, its timeouts and how an
  answer is read are shared; the signature is the receiver's: the app owning the
  record whose secret signs (the message's cause) registers a signer for its
  model. integrations signs `X-Shop-Signature: v1=...` for its subscriptions,
  fleet signs `X-Fleet-Signature: sha256=...` with `X-Fleet-Timestamp` and
  `X-Fleet-Company-Id` for its companies, byte for byte what fleet receivers
  verified before the outbox was shared.
- errors.py: TransientProviderError (try again later), PermanentProviderError.
- tasks.py: the thin send and relay tasks.

Layers: the outbox sits above shop and customers and below every app that sends
(messaging, fleet, followups, integrations). It imports none of them; they
import it and plug in. It depends on customers for one reason: the customer a
text or e-mail is for stays a real foreign key on the row, so a customer's
messages are one indexed join (the conversation, the history, the failures
list), combining customers moves them with the other rows, and a deleted
customer leaves the message log intact (SET_NULL). A generic link could do
none of that without joins through content types. What else caused a message
(a status change, a webhook subscription, a fleet company) is a generic `cause`.

The models were messaging's until the outbox became its own app: messaging
migration 0005 renamed their tables with their rows, outbox 0001 took them over
in Django's state, and fleet 0003 turned its old FleetWebhookDelivery rows into
outbox rows before that model was removed.
"""
