"""One function per kind of e-mail the shop app sends; each has subject, text and HTML templates."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from shop.models import User


def _send(template: str, to: str, context: dict, reply_to: str = "") -> None:
    subject = render_to_string(f"shop/emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"shop/emails/{template}.txt", context)
    html = render_to_string(f"shop/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], reply_to=[reply_to] if reply_to else None
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_activation(*, user: User, link: str) -> None:
    from shop.selectors import shop_profile_get

    shop = shop_profile_get()
    context = {
        "user": user,
        "link": link,
        "shop": shop,
        "invited_by": user.invited_by,
        "days": settings.ACTIVATION_LINK_MAX_AGE.days,
    }
    _send("activation", user.email, context, reply_to=shop.reply_email)
