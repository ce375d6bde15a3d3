"""The outbox: everything that leaves the shop is a row first, and is sent exactly once.

How "exactly once" holds, step by step:

1. `outbound_message_enqueue` writes the row inside the caller's transaction, keyed
   by an idempotency key that is unique in the table. If the transaction rolls
   back, there is no row and nothing is sent; a second enqueue with the same key
   (a re-delivered event, a double-clicked button) returns the first row.
2. After commit, `transaction.on_commit` publishes a task (the messages of one
   transaction together, DISPATCH_CHUNK ids to a task). A broker that is down
   makes the publish fail fast (settings: no publish retries, short socket
   timeouts); the error is logged and the request goes on. The row stays
   "queued". Nothing that publishes after commit may raise into the request.
3. The task claims the row with one conditional UPDATE (queued -> sending).
   Only one claim can succeed, so a task delivered twice (acks_late, a
   redelivery after a crash, the relay racing the original task) sends once.
4. The channel's transport (outbox/transports.py) is called outside any
   transaction. On success the row is "sent" with the provider's id; on a
   transient error it goes back to "queued" with `next_attempt_at` pushed out
   exponentially and the task retries itself with that countdown; after
   OUTBOX_MAX_ATTEMPTS, or on a permanent error, it is "failed" with the error
   kept for the shop to read. Every try that has something to tell is logged as
   a SendAttempt (the delivery log).
5. The relay (beat, every 30 s) re-publishes rows queued past their time plus
   OUTBOX_RELAY_AFTER_SECONDS: their task never ran (broker down at commit, a
   lost retry, a task published under a name a new release no longer has). The
   claim in 3 makes an extra publish harmless.
6. The one window the claim cannot close: a worker that dies after the provider
   accepted the message but before "sent" was written. Such a row stays
   "sending"; past OUTBOX_SENDING_TIMEOUT_SECONDS the relay asks the transport.
   Where the provider drops a second send with the same idempotency key (the
   development text backend) or the receiver drops a repeat by its id (webhooks
   are delivered at least once), the row is queued again. Where it does not
   (Twilio's Messages API takes no key; e-mail providers do not deduplicate
   either, though each e-mail carries a Message-ID made from the key, which Gmail
   and most clients show once), sending again could reach the customer twice, so
   the row is marked failed with an explanation instead: at most once when in
   doubt, and the advisor sees it. Twilio's status callback carries the row's id,
   so if the text did go out the callback later marks it sent or delivered.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from outbox.errors import PermanentProviderError, TransientProviderError
from outbox.models import OutboundMessage, SendAttempt
from outbox.transports import registered, transport_for
from shop.errors import ServiceError

logger = logging.getLogger(__name__)

State = OutboundMessage.State
MAX_BACKOFF_SECONDS = 60 * 60


# --- Enqueue -------------------------------------------------------------------


def outbound_message_enqueue(
    *,
    channel: str,
    to: str,
    body: str,
    idempotency_key: str,
    subject: str = "",
    customer: Any = None,
    kind: str = OutboundMessage.Kind.MANUAL,
    cause: Any = None,
    sent_by: Any = None,
    check_consent: bool = True,
) -> OutboundMessage:
    """Write a message to the outbox in the caller's transaction; it is sent after commit.

    The same idempotency key twice returns the first message and sends nothing more.
    A contact the channel's transport refuses (no consent) is refused with a
    ServiceError, and asked again at send time, so a STOP that arrives meanwhile
    still wins. The one write is a single INSERT in a savepoint, so a duplicate key
    leaves the caller's transaction usable.
    """
    transport = transport_for(channel)
    to = transport.clean_recipient(to)
    body = (body or "").strip()
    if not body:
        raise ServiceError("Write the message.", field="body")
    if transport.missing_subject_error and not subject.strip():
        raise ServiceError(transport.missing_subject_error, field="subject")
    if check_consent and transport.refusal is not None:
        problem = transport.refusal(to=to, customer=customer, message=None)
        if problem:
            raise ServiceError(problem, code="no_consent")
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                channel=channel,
                kind=kind,
                to=to,
                customer=customer,
                subject=subject.strip()[:200],
                body=body,
                idempotency_key=idempotency_key,
                cause_type=ContentType.objects.get_for_model(cause) if cause is not None else None,
                cause_id=cause.pk if cause is not None else None,
                sent_by=sent_by,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        # This key was enqueued before (or by a transaction racing this one): that
        # message is the one, and nothing more is sent.
        return OutboundMessage.objects.get(idempotency_key=idempotency_key)
    _dispatch_after_commit(message.pk)
    return message


# Messages committed together go to the worker in tasks of up to this many ids.
DISPATCH_CHUNK = 25


def outbound_message_dispatch(*, message_id: int) -> bool:
    """Publish the send task for one message (the relay, a requeue)."""
    return outbound_messages_dispatch(message_ids=[message_id]) == 1


def outbound_messages_dispatch(*, message_ids: list[int]) -> int:
    """Publish send tasks, DISPATCH_CHUNK ids to a task; return how many ids were published.

    A broker that is down is logged, not raised: the rows stay queued and the relay
    sends them later.
    """
    from outbox.tasks import send_outbound_message, send_outbound_messages

    queue = getattr(settings, "OUTBOX_TASK_QUEUE", None)
    options = {"queue": queue} if queue else {}
    published = 0
    for start in range(0, len(message_ids), DISPATCH_CHUNK):
        chunk = message_ids[start : start + DISPATCH_CHUNK]
        try:
            if len(chunk) == 1:
                send_outbound_message.apply_async((chunk[0],), **options)
            else:
                send_outbound_messages.apply_async((chunk,), **options)
        except Exception:
            logger.warning(
                "Could not publish messages %s; the outbox relay will send them.",
                chunk,
                exc_info=True,
            )
        else:
            published += len(chunk)
    return published


class _CommittedTogether:
    """The outbox messages written in one transaction, published together after its commit."""

    def __init__(self) -> None:
        self.message_ids: list[int] = []
        self.published = False

    def __call__(self) -> None:
        self.published = True
        outbound_messages_dispatch(message_ids=self.message_ids)


def _dispatch_after_commit(message_id: int) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        outbound_message_dispatch(message_id=message_id)  # already committed
        return
    # One publishing callback per transaction. A callback registered inside a savepoint
    # that was rolled back is gone from run_on_commit: a new one is registered then.
    pending = getattr(connection, "_outbox_committed_together", None)
    # One already published (its callback ran, e.g. a test's captured callbacks, which stay
    # in run_on_commit) takes no more messages either.
    if (
        pending is None
        or pending.published
        or not any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        pending = _CommittedTogether()
        connection._outbox_committed_together = pending
        transaction.on_commit(pending, robust=True)
    pending.message_ids.append(message_id)


# --- Send ------------------------------------------------------------------------


@dataclass(frozen=True)
class SendOutcome:
    state: str
    # Seconds until the task should try again, when it should.
    retry_in: float | None = None


def retry_delay_compute(attempts: int) -> float:
    """30 s, 60 s, 120 s... (OUTBOX_RETRY_BASE_SECONDS doubled per try), at most an hour."""
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1), MAX_BACKOFF_SECONDS)


def outbound_message_send(*, message_id: int) -> SendOutcome:
    """Claim the message and hand it to its transport. Safe to call any number of times."""
    started = timezone.now()
    claimed = OutboundMessage.objects.filter(pk=message_id, state=State.QUEUED).update(
        state=State.SENDING, claimed_at=started, attempts=F("attempts") + 1, updated_at=started
    )
    if not claimed:
        return SendOutcome("skipped")  # sent, failed, or another worker has it
    rows = OutboundMessage.objects.select_related("customer")
    for transport in registered().values():
        # Each transport's refusal data, loaded with the row (an EXISTS for texts).
        if transport.annotate is not None:
            rows = transport.annotate(rows)
    message = rows.get(pk=message_id)
    attempt = SendAttempt(message=message, number=message.attempts, started_at=started)

    transport = registered().get(message.channel)
    if transport is None:
        error = f"Nothing sends “{message.channel}” messages in this installation."
        return _finish(message, attempt, State.FAILED, error=error)
    if transport.refusal is not None:
        problem = transport.refusal(to=message.to, customer=message.customer, message=message)
        if problem:
            return _finish(message, attempt, State.SUPPRESSED, error=problem)
    try:
        provider_id = transport.send(message)
    except PermanentProviderError as error:
        return _finish(message, attempt, State.FAILED, error=str(error))
    except Exception as error:
        # Transient by default: a network error, a provider's 5xx, a timeout.
        if not isinstance(error, TransientProviderError):
            logger.exception("Sending message %s failed", message_id)
        text = str(error) or error.__class__.__name__
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            return _finish(
                message,
                attempt,
                State.FAILED,
                error=f"Gave up after {message.attempts} tries. Last error: {text}",
            )
        delay = retry_delay_compute(message.attempts)
        attempt.retry_in = delay
        return _finish(message, attempt, State.QUEUED, error=text, retry_in=delay)
    return _finish(message, attempt, State.SENT, provider_id=provider_id)


def _finish(
    message: OutboundMessage,
    attempt: SendAttempt,
    state: str,
    *,
    error: str = "",
    provider_id: str = "",
    retry_in: float | None = None,
) -> SendOutcome:
    now = timezone.now()
    attempt.finished_at = now
    attempt.succeeded = state == State.SENT
    attempt.error = error
    # The tries are logged when there is something to tell: an error, or a success after
    # errors. A first-try success is the message's own sent_at, and costs no extra row.
    log_attempt = not (attempt.succeeded and attempt.number == 1)
    fields: dict[str, Any] = {"state": state, "last_error": error, "updated_at": now}
    if state == State.SENT:
        fields.update(sent_at=now, provider_message_id=provider_id)
    elif state == State.QUEUED:
        fields.update(next_attempt_at=now + timedelta(seconds=retry_in or 0))
    else:
        fields.update(failed_at=now)
    # The attempt and the state change are saved together; alone, the UPDATE needs no
    # transaction of its own (one statement less per message on the busy path).
    with transaction.atomic() if log_attempt else contextlib.nullcontext():
        if log_attempt:
            attempt.save()
        updated = OutboundMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
            **fields
        )
        if not updated and provider_id:
            # A delivery callback got here first and moved the state on; keep its state.
            OutboundMessage.objects.filter(pk=message.pk, provider_message_id="").update(
                provider_message_id=provider_id, sent_at=now
            )
    if state in (State.FAILED, State.SUPPRESSED):
        logger.warning("Message %s %s: %s", message.pk, state, error)
    return SendOutcome(state, retry_in if state == State.QUEUED else None)


# --- Relay -----------------------------------------------------------------------


STUCK_ERROR = (
    "The worker stopped while handing this message to the provider, so it may or may "
    "not have gone out. It is not sent again automatically, to avoid a duplicate; send "
    "it again if the customer did not get it."
)


def _provider_drops_duplicates(message: OutboundMessage) -> bool:
    transport = registered().get(message.channel)
    return transport is not None and transport.drops_duplicates(message)


def outbound_relay(*, limit: int = 500) -> dict[str, int]:
    """Publish what the broker never got, and settle what a dead worker left "sending"."""
    now = timezone.now()
    due = now - timedelta(seconds=settings.OUTBOX_RELAY_AFTER_SECONDS)
    ids = list(
        OutboundMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=due)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        # The next relay waits its full delay again before publishing these a second time.
        OutboundMessage.objects.filter(pk__in=ids, state=State.QUEUED).update(next_attempt_at=now)
    published = outbound_messages_dispatch(message_ids=ids)

    stuck_before = now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS)
    requeued = failed = 0
    for message in OutboundMessage.objects.filter(
        state=State.SENDING, claimed_at__lte=stuck_before
    )[:limit]:
        if _provider_drops_duplicates(message):
            if OutboundMessage.objects.filter(
                pk=message.pk, state=State.SENDING, claimed_at=message.claimed_at
            ).update(state=State.QUEUED, next_attempt_at=now, updated_at=now):
                requeued += 1
                outbound_message_dispatch(message_id=message.pk)
        elif OutboundMessage.objects.filter(
            pk=message.pk, state=State.SENDING, claimed_at=message.claimed_at
        ).update(state=State.FAILED, failed_at=now, last_error=STUCK_ERROR, updated_at=now):
            failed += 1
            logger.warning("Message %s was left sending by a worker: marked failed", message.pk)
    if ids or requeued or failed:
        logger.info(
            "Outbox relay: %s republished (%s reached the broker), %s requeued, %s failed",
            len(ids),
            published,
            requeued,
            failed,
        )
    return {"republished": len(ids), "published": published, "requeued": requeued, "failed": failed}
