"""Reactions to other apps' events, connected once when the app is ready."""

from __future__ import annotations


def connect() -> None:
    from messaging.services import on_status_changed
    from workorders import events

    events.status_changed.connect(on_status_changed, dispatch_uid="messaging.status_update")
