"""`Authorization: Bearer <token>` for outside systems.

A good token authenticates as the integration's service login (its security
level is the integration's), with the Integration as `request.auth`. A
read-only token asking to write gets 403; an unknown or revoked token 401.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from integrations.models import Integration
from integrations.services import token_hash

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# last_used_at is written at most this often per token.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenRefused(exceptions.APIException):
    """401 with `WWW-Authenticate: Bearer`.

    Not an AuthenticationFailed: DRF turns that into a 403 when the first
    authentication class (the session) names no header, and anonymous callers
    keep their 403 that way.
    """

    status_code = 401
    default_code = "authentication_failed"
    auth_header = "Bearer"


class IntegrationTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the session (or nothing) decides
        if len(parts) != 2:
            raise TokenRefused("Send the token as “Authorization: Bearer <token>”.")
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise TokenRefused("The token is not valid.") from None
        integration = (
            Integration.objects.select_related("user").filter(token_hash=token_hash(token)).first()
        )
        if integration is None:
            raise TokenRefused("The token is not valid.")
        if integration.is_revoked:
            raise TokenRefused("This token was revoked.")
        if request.method not in SAFE_METHODS and not integration.can_write:
            raise exceptions.PermissionDenied(
                f"The token of “{integration.name}” is read only: it cannot change anything."
            )
        self._touch(integration)
        return integration.user, integration

    def _touch(self, integration: Integration) -> None:
        now = timezone.now()
        if integration.last_used_at and now - integration.last_used_at < LAST_USED_EVERY:
            return
        Integration.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY),
            pk=integration.pk,
        ).update(last_used_at=now)
        integration.last_used_at = now

    def authenticate_header(self, request):
        return self.keyword
