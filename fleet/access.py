"""The fleet portal's own check: the login is a fleet user, and sees only its fleet.

Fleet users have no security level, so Set Security cannot guard the portal.
`fleet_member_required` (pages) and `IsFleetUser` (API) are its guard; both
mark the view with `fleet_portal = True`, which tests/shop/test_security.py
accepts in place of a security function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.permissions import BasePermission

from fleet.selectors import fleet_user_company_id

REFUSAL = "This page is for a fleet company's users."


def fleet_member_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any):
        company_id = fleet_user_company_id(request.user)
        if company_id is None:
            raise PermissionDenied(REFUSAL)
        request.fleet_company_id = company_id
        return view(request, *args, **kwargs)

    wrapped.fleet_portal = True
    return wrapped


class IsFleetUser(BasePermission):
    """DRF: a fleet user's login; the view filters on `request.fleet_company_id`."""

    message = REFUSAL

    def has_permission(self, request: Any, view: Any) -> bool:
        company_id = fleet_user_company_id(request.user)
        if company_id is None:
            return False
        request.fleet_company_id = company_id
        return True
