from __future__ import annotations

from django.core.exceptions import PermissionDenied

from shop.errors import ServiceError


def refuse_if_hidden(error: ServiceError) -> None:
    """A write to a work order the employee may not see (an estimate below "See
    estimates"): a 403 naming the function and the level, as for any refused page."""
    if error.code == "hidden":
        raise PermissionDenied(error.message)
