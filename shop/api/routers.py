"""The one router every app's API uses.

No format-suffix routes (`/api/v1/work-orders.json`): the API speaks JSON only,
and DRF's suffix variants pass a `format` argument that custom actions and
views do not take, so they answered 500. Without them such a URL is a 404.
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    """Routes with a trailing slash and nothing else: no root view, no `.json` variants."""

    def __init__(self) -> None:
        super().__init__(trailing_slash=True)
