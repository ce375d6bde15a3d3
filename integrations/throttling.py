"""A rate limit per integration token (employees' sessions are not limited here).

The count lives in the default cache: Redis in production, so every web
process shares it; process memory otherwise. The rate comes from
settings.INTEGRATION_API_RATE, e.g. "600/min".
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import Integration


class IntegrationRateThrottle(SimpleRateThrottle):
    scope = "integration"

    def get_rate(self):
        return settings.INTEGRATION_API_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, Integration):
            return None  # no limit for employees' sessions
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
