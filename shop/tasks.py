"""Thin tasks: load by id, claim, call a service."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from shop.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_activation_email(user_id: int) -> bool:
    from shop.emails import send_activation
    from shop.services import activation_link_make

    user = User.objects.filter(pk=user_id, activated_at=None).first()
    if user is None:
        return False  # activated (or removed) meanwhile: nothing to send
    send_activation(user=user, link=activation_link_make(user))
    User.objects.filter(pk=user_id).update(
        invitation_sent_at=timezone.now(), updated_at=timezone.now()
    )
    return True


@shared_task
def worker_heartbeat() -> dict:
    """Scheduled by beat every minute: the System status page reads when a worker last ran."""
    from shop.services import worker_heartbeat_record

    heartbeat = worker_heartbeat_record(hostname=socket.gethostname())
    return {"hostname": heartbeat.hostname, "beats": heartbeat.beats}
