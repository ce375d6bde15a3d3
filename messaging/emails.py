"""E-mail to customers, through Django's mail backend: django-anymail in production.

Tests use anymail's test backend, development the console; a provider is
chosen with DJANGO_EMAIL_BACKEND (e.g. anymail.backends.postmark.EmailBackend)
and its ANYMAIL_* keys. The outbox calls `send_outbound_email` once per try.
"""

from __future__ import annotations

import hashlib
import smtplib

from anymail.exceptions import (
    AnymailAPIError,
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
)
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from outbox.attachments import attachments_for
from outbox.errors import PermanentProviderError, TransientProviderError


def message_id_for(idempotency_key: str) -> str:
    """The same Message-ID for every try of one message, so mail clients show it once."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<outbox.{digest}@{domain}>"


def send_outbound_email(message) -> str:
    """Send one outbox e-mail; return the provider's message id ("" when it gives none)."""
    from shop.selectors import shop_profile_get

    shop = shop_profile_get()
    context = {"message": message, "shop": shop, "customer": message.customer}
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string("messaging/emails/message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[shop.reply_email] if shop.reply_email else None,
        headers={"Message-ID": message_id_for(message.idempotency_key)},
    )
    email.attach_alternative(
        render_to_string("messaging/emails/message.html", context), "text/html"
    )
    # Files its cause carries (outbox.attachments: a purchase order's PDF to the vendor).
    for file_name, content, mimetype in attachments_for(message):
        email.attach(file_name, content, mimetype)
    # Read by anymail's backends; ignored by Django's own.
    email.metadata = {"outbox_id": str(message.pk), "idempotency_key": message.idempotency_key}
    email.tags = [message.kind]
    try:
        email.send()
    except (
        AnymailRecipientsRefused,
        AnymailInvalidAddress,
        smtplib.SMTPRecipientsRefused,
    ) as error:
        raise PermanentProviderError(f"The address was refused: {error}") from error
    except AnymailAPIError as error:
        status = getattr(error, "status_code", None)
        if status is not None and 400 <= status < 500 and status != 429:
            raise PermanentProviderError(str(error)) from error
        raise TransientProviderError(str(error)) from error
    except (AnymailError, smtplib.SMTPException, OSError) as error:
        raise TransientProviderError(str(error)) from error
    status = getattr(email, "anymail_status", None)
    if status is None or status.message_id is None:
        return ""
    return str(status.message_id)[:100]
