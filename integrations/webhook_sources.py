"""Webhook events of the apps above integrations, which integrations may not import.

An upper app (imports, ...) registers its event here from its `AppConfig.ready()`: the code
and label a subscription can choose, the named signal it publishes, and a function that
turns the signal's arguments into the webhook's data. Integrations then subscribes to that
signal and delivers the event like its own (one outbox row per subscription, written in the
publisher's transaction, signed and sent after commit). Integrations never names the app.

    webhook_source_register(
        code="import.completed", label="Import completed",
        signal=events.import_completed, data=lambda run, counts, **kw: {...},
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal


@dataclass(frozen=True)
class WebhookSource:
    code: str
    label: str
    signal: Signal
    data: Callable[..., dict[str, Any]]


_sources: dict[str, WebhookSource] = {}


def webhook_source_register(
    *, code: str, label: str, signal: Signal, data: Callable[..., dict[str, Any]]
) -> None:
    """Deliver `signal` as the webhook event `code` (refused if the code is taken)."""
    from integrations.models import WebhookEvent

    if code in WebhookEvent.values:
        raise ValueError(f"The webhook event {code} belongs to integrations itself.")
    existing = _sources.get(code)
    if existing is not None:
        if existing.signal is signal and existing.data is data:
            return  # ready() ran twice
        raise ValueError(f"The webhook event {code} is registered already.")
    source = WebhookSource(code=code, label=label, signal=signal, data=data)
    _sources[code] = source

    def receive(sender, **kwargs) -> None:
        from integrations.webhooks import emit

        emit(code, lambda: source.data(**kwargs))

    signal.connect(receive, weak=False, dispatch_uid=f"integrations.webhook_source.{code}")


def webhook_event_choices() -> list[tuple[str, str]]:
    """Every event a subscription may choose: integrations' own, then the registered ones."""
    from integrations.models import WebhookEvent

    return [*WebhookEvent.choices, *((s.code, s.label) for s in _sources.values())]


def webhook_event_codes() -> list[str]:
    return [code for code, _label in webhook_event_choices()]
