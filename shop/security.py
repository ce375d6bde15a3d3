"""Set Security: the registry of protected functions and the one mechanism that enforces it.

Each app declares its functions in `<app>/security_functions.py` with
`register(...)`. Pages use `@security_function("code")` (or
`@employee_required` for what every employee may see); API views name
`security_function` (or `security_functions` per action) and are checked by
`HasSecurityFunction`, the default permission class. A refusal is a 403 that
names the function and the level it needs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from rest_framework.permissions import BasePermission


@dataclass(frozen=True)
class SecurityFunction:
    code: str
    name: str
    default_level: int
    area: str
    description: str = ""


_registry: dict[str, SecurityFunction] = {}


def register(
    code: str, name: str, *, default_level: int, area: str, description: str = ""
) -> SecurityFunction:
    if not 1 <= default_level <= 5:
        raise ImproperlyConfigured(f"{code}: default level must be 1 to 5")
    function = SecurityFunction(code, name, default_level, area, description)
    existing = _registry.get(code)
    if existing is not None and existing != function:
        raise ImproperlyConfigured(f"Security function {code!r} is registered twice")
    _registry[code] = function
    return function


def registered_functions() -> list[SecurityFunction]:
    return sorted(_registry.values(), key=lambda f: (f.area, f.name))


def get_function(code: str) -> SecurityFunction:
    try:
        return _registry[code]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown security function {code!r}") from None


def required_levels(request: HttpRequest | None = None) -> dict[str, int]:
    """The level every function requires: one query, kept on the request."""
    cached = getattr(request, "_security_levels", None) if request is not None else None
    if cached is not None:
        return cached
    from shop.models import SecurityFunctionLevel

    levels = {f.code: f.default_level for f in _registry.values()}
    levels.update(SecurityFunctionLevel.objects.order_by().values_list("code", "level"))
    if request is not None:
        request._security_levels = levels
    return levels


def required_level(code: str, request: HttpRequest | None = None) -> int:
    get_function(code)
    return required_levels(request)[code]


def can(user: Any, code: str, request: HttpRequest | None = None) -> bool:
    """May this user use this function? Level 1 can do all that 2 to 5 can."""
    level = user_level(user)
    return level is not None and level <= required_level(code, request)


def user_level(user: Any) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    return user.effective_security_level


class SecurityRefused(PermissionDenied):
    """A 403 whose message names the function and the level it needs."""

    def __init__(self, function: SecurityFunction | None, required: int | None, user: Any):
        self.function = function
        self.required = required
        level = user_level(user)
        if function is None:
            message = "This page is for the shop's employees."
        else:
            yours = f"yours is level {level}" if level else "you have no security level"
            message = (
                f"“{function.name}” needs security level {required} or higher; {yours}. "
                "Ask the owner to change your level or the function's level in Set Security."
            )
        super().__init__(message)


def check(request: HttpRequest, code: str) -> None:
    """Raise SecurityRefused unless the request's user may use the function."""
    if not can(request.user, code, request):
        raise SecurityRefused(get_function(code), required_level(code, request), request.user)


def security_function(code: str) -> Callable:
    """Decorate a page view: only employees at the function's level or higher get in."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any):
            check(request, code)
            return view(request, *args, **kwargs)

        wrapped.security_function = code
        return wrapped

    return decorator


def employee_required(view: Callable) -> Callable:
    """Decorate a page view that any active employee may open, whatever the level."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any):
        if user_level(request.user) is None:
            raise SecurityRefused(None, None, request.user)
        return view(request, *args, **kwargs)

    wrapped.security_function = None
    wrapped.employee_only = True
    return wrapped


def view_security_function(view: Any, request: Any) -> str | None:
    per_action = getattr(view, "security_functions", None)
    if per_action:
        action = getattr(view, "action", None) or request.method.lower()
        if action in per_action:
            return per_action[action]
        if request.method in ("GET", "HEAD", "OPTIONS") and "read" in per_action:
            return per_action["read"]
        return per_action.get("write")
    return getattr(view, "security_function", None)


class HasSecurityFunction(BasePermission):
    """DRF's side of Set Security: every API view names its function."""

    message = "You do not have permission to perform this action."

    def has_permission(self, request: Any, view: Any) -> bool:
        code = view_security_function(view, request)
        if code is None:
            # A view that names no function is refused rather than left open.
            return False
        if can(request.user, code, request._request):
            return True
        function = get_function(code)
        required = required_level(code, request._request)
        self.message = str(SecurityRefused(function, required, request.user).args[0])
        return False
