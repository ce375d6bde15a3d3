"""Every API route, walked from the URL resolver: no method, with or without a `.json`
suffix, answers 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1/"
METHODS = ["get", "post", "put", "patch", "delete", "options"]
# An id no row has: the walk is about routing and dispatch, not about one record.
MISSING_ID = "999999"


def _api_patterns(resolver: URLResolver, route: str = "", namespace: str = ""):
    """(name to reverse, pattern) of every named route under API_PREFIX."""
    for entry in resolver.url_patterns:
        inner_route = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _api_patterns(entry, inner_route, inner)
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and inner_route.lstrip("^").startswith(API_PREFIX.lstrip("/"))
        ):
            yield namespace + entry.name, entry


def api_routes() -> list[str]:
    """The path of every named API route, its arguments filled with MISSING_ID."""
    paths = set()
    for name, pattern in _api_patterns(get_resolver()):
        arguments = set(pattern.pattern.regex.groupindex)
        if "format" in arguments:
            continue  # a suffix variant: the walk adds `.json` to every route itself
        paths.add(reverse(name, kwargs=dict.fromkeys(arguments, MISSING_ID)))
    return sorted(paths)


def test_the_walk_finds_the_api_routes():
    routes = api_routes()
    assert len(routes) > 40
    assert "/api/v1/work-orders/" in routes
    assert f"/api/v1/appointments/{MISSING_ID}/cancel/" in routes
    assert f"/api/v1/followups/queries/{MISSING_ID}/run/" in routes


def test_no_api_route_answers_500_with_or_without_a_format_suffix(owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    failures = []
    for path in api_routes():
        for url in (path, path.rstrip("/") + ".json"):
            for method in METHODS:
                response = getattr(client, method)(url, {}, content_type="application/json")
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert failures == []


def test_a_format_suffix_is_not_a_route(owner, client):
    client.force_login(owner)
    assert client.get("/api/v1/work-orders/").status_code == 200
    assert client.get("/api/v1/work-orders.json").status_code == 404
    assert client.post("/api/v1/work-orders.json", {}).status_code == 404
