"""A rate limit per integration token (employees' sessions are not limited here).

The count lives in the default cache: Redis in production, so every web
process shares it; process memory otherwise. The rate comes from
settings.INTEGRATION_API_RATE, e.g. "600/min".

A cache that cannot be reached is treated as a miss, as the settings promise:
the request goes through unlimited and the outage is logged, rather than every
call by token failing with a 500 while Redis is down.
"""

from __future__ import annotations

import logging

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import Integration

logger = logging.getLogger(__name__)

# What a cache backend raises when its server is down or does not answer in time.
CACHE_UNREACHABLE = (RedisError, OSError)


class IntegrationRateThrottle(SimpleRateThrottle):
    scope = "integration"

    def get_rate(self):
        return settings.INTEGRATION_API_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, Integration):
            return None  # no limit for employees' sessions
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_UNREACHABLE as error:
            logger.warning(
                "Rate limit of integration token not checked: the cache is unreachable (%s: %s)",
                type(error).__name__,
                error,
            )
            return True
