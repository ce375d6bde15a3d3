"""Every write of the shop app: employees, administrators' activation, settings, Set Security."""

from __future__ import annotations

import logging
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from shop.errors import ServiceError
from shop.models import SecurityFunctionLevel, ShopProfile, User, WorkerHeartbeat
from shop.security import registered_functions
from shop.selectors import shop_profile_get

logger = logging.getLogger(__name__)

ACTIVATION_SALT = "shop.administrator-activation"


# --- Set Security -------------------------------------------------------------


def security_functions_sync(*, using: str = "default") -> int:
    """Give every registered function its row, at its default level; keep names current.

    Levels the owner has set are never changed. Returns the number of rows created.
    """
    existing = {row.code: row for row in SecurityFunctionLevel.objects.using(using).all()}
    created = 0
    for function in registered_functions():
        row = existing.get(function.code)
        if row is None:
            SecurityFunctionLevel.objects.using(using).create(
                code=function.code,
                name=function.name,
                area=function.area,
                level=function.default_level,
                default_level=function.default_level,
            )
            created += 1
        elif (row.name, row.area, row.default_level) != (
            function.name,
            function.area,
            function.default_level,
        ):
            row.name, row.area, row.default_level = (
                function.name,
                function.area,
                function.default_level,
            )
            row.save(using=using, update_fields=["name", "area", "default_level", "updated_at"])
    return created


# --- Locked-out logins --------------------------------------------------------


@transaction.atomic
def login_lockout_clear(*, by: User, username: str, ip_address: str | None) -> int:
    """Unlock one locked-out login (a username from one address) at once, rather than after
    AXES_COOLOFF_TIME: its wrong-password count starts again from zero."""
    attempts = AccessAttempt.objects.filter(username=username, ip_address=ip_address or None)
    cleared, _ = attempts.delete()
    if not cleared:
        raise ServiceError(
            f"“{username}” is not locked out any more: it was unlocked already, "
            "or its lockout ran out."
        )
    logger.info("%s unlocked the login %r from %s", by, username, ip_address or "no address")
    return cleared


# --- Shop profile -------------------------------------------------------------


@transaction.atomic
def shop_profile_update(*, by: User, **fields: Any) -> ShopProfile:
    profile = ShopProfile.objects.select_for_update().get(pk=shop_profile_get().pk)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    logger.info("%s updated the shop profile: %s", by, ", ".join(sorted(fields)))
    return profile


# --- Employees and administrators ---------------------------------------------


def _check_may_grant(*, by: User, security_level: int) -> None:
    own = by.effective_security_level
    if own is None or security_level < own:
        raise ServiceError(
            f"You cannot give level {security_level}: it is above your own level ({own}).",
            field="security_level",
        )


@transaction.atomic
def administrator_invite(
    *,
    by: User,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    security_level: int,
    phone: str = "",
) -> User:
    """Add New Administrator: an inactive login, activated from an e-mailed link."""
    _check_may_grant(by=by, security_level=security_level)
    if role not in User.Role.values:
        raise ServiceError("Choose a role.", field="role")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"The username “{username}” is taken.", field="username")
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError(f"{email} already belongs to a login.", field="email")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        security_level=security_level,
        phone=phone,
        is_active=False,
        invited_by=by,
        invited_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    _send_activation_after_commit(user)
    return user


@transaction.atomic
def administrator_invitation_resend(*, by: User, user: User) -> User:
    """A new link; the earlier one stops working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.awaiting_activation:
        raise ServiceError(f"{user} has already activated their login.")
    _check_may_grant(by=by, security_level=user.security_level or 5)
    user.invited_at = timezone.now()
    user.invitation_sent_at = None
    user.save(update_fields=["invited_at", "invitation_sent_at", "updated_at"])
    _send_activation_after_commit(user)
    return user


def _send_activation_after_commit(user: User) -> None:
    from shop.tasks import send_activation_email

    # robust: the login is saved whatever happens to the mail; the list shows
    # "not sent" and offers Resend when the queue could not take it.
    transaction.on_commit(lambda: send_activation_email.delay(user.pk), robust=True)


def _activation_fingerprint(user: User) -> str:
    # Changes once the password is set or a new link is sent: a link works once.
    invited = user.invited_at.isoformat() if user.invited_at else ""
    state = f"{user.pk}|{user.password}|{user.is_active}|{invited}"
    return salted_hmac(ACTIVATION_SALT, state).hexdigest()[:20]


def activation_token_make(user: User) -> str:
    return signing.TimestampSigner(salt=ACTIVATION_SALT).sign_object(
        {"u": user.pk, "f": _activation_fingerprint(user)}
    )


def activation_link_make(user: User) -> str:
    from django.urls import reverse

    return settings.SHOP_BASE_URL + reverse("activate", args=[activation_token_make(user)])


def activation_user_get(token: str) -> User:
    """The login an activation link is for, or a ServiceError saying why not."""
    signer = signing.TimestampSigner(salt=ACTIVATION_SALT)
    try:
        payload = signer.unsign_object(token, max_age=settings.ACTIVATION_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ServiceError(
            "This activation link has expired. Ask the shop's administrator to send a new one.",
            code="expired",
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ServiceError("This activation link is not valid.", code="invalid") from None
    user = User.objects.filter(pk=payload.get("u")).first()
    if user is None or _activation_fingerprint(user) != payload.get("f"):
        raise ServiceError(
            "This activation link has already been used or replaced by a newer one. "
            "Log in, or ask for a new link.",
            code="used",
        )
    return user


@transaction.atomic
def administrator_activate(*, token: str, password: str) -> User:
    user = activation_user_get(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    # Checked again under the lock: two tabs submitting the same link, one wins.
    if (
        _activation_fingerprint(user)
        != signing.TimestampSigner(salt=ACTIVATION_SALT).unsign_object(token)["f"]
    ):
        raise ServiceError("This activation link has already been used.", code="used")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages), field="new_password1") from None
    user.set_password(password)
    user.is_active = True
    user.activated_at = timezone.now()
    user.save(update_fields=["password", "is_active", "activated_at", "updated_at"])
    return user


@transaction.atomic
def employee_update(
    *,
    by: User,
    employee: User,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    role: str,
    security_level: int,
    is_active: bool,
) -> User:
    employee = User.objects.select_for_update().get(pk=employee.pk)
    own = by.effective_security_level
    if employee.security_level is not None and own is not None and employee.security_level < own:
        raise ServiceError(f"{employee} has a higher level than yours; you cannot change them.")
    if security_level != employee.security_level:
        _check_may_grant(by=by, security_level=security_level)
    if employee.pk == by.pk and not is_active:
        raise ServiceError("You cannot deactivate your own login.", field="is_active")
    if employee.pk == by.pk and security_level != employee.security_level:
        raise ServiceError(
            "Another administrator must change your own level.", field="security_level"
        )
    losing_level_one = employee.security_level == 1 and (security_level != 1 or not is_active)
    if losing_level_one and employee.is_active:
        others = User.objects.filter(security_level=1, is_active=True).exclude(pk=employee.pk)
        if not others.exists():
            raise ServiceError("The shop must keep at least one active level-1 employee.")
    if role not in User.Role.values:
        raise ServiceError("Choose a role.", field="role")
    if email and User.objects.filter(email__iexact=email).exclude(pk=employee.pk).exists():
        raise ServiceError(f"{email} already belongs to another login.", field="email")
    employee.first_name = first_name
    employee.last_name = last_name
    employee.email = email
    employee.phone = phone
    employee.role = role
    employee.security_level = security_level
    if employee.activated_at is not None or employee.invited_at is None:
        # An invited login becomes active through its link, not through this form.
        employee.is_active = is_active
    employee.save()
    return employee


# --- Background worker ----------------------------------------------------------


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    now = timezone.now()
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(
        hostname=hostname, defaults={"seen_at": now, "beats": 1}
    )
    if not created:
        from django.db.models import F

        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(seen_at=now, beats=F("beats") + 1)
        heartbeat.refresh_from_db()
    return heartbeat
