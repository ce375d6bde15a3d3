from __future__ import annotations

import os
import shutil

import pytest

from tests.shop.factories import EmployeeFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses
# to run beside one unless told that the test process is single-threaded use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = bool(os.environ.get("CI"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Worker and browser tests run for real in CI (and fail there if a service is missing);
    elsewhere they skip when the service is absent, saying why."""
    if IN_CI:
        return
    missing_redis = not os.environ.get("REDIS_URL")
    missing_chromium = shutil.which(CHROMIUM) is None
    for item in items:
        if item.get_closest_marker("worker") and missing_redis:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL and a Celery worker"))
        if item.get_closest_marker("browser") and missing_chromium:
            item.add_marker(pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def employee_at():
    """employee_at(level) -> an active employee with that security level."""

    def make(level: int, **kwargs):
        return EmployeeFactory(security_level=level, **kwargs)

    return make


@pytest.fixture
def owner(db):
    return EmployeeFactory(security_level=1, role="owner", username="owner")


@pytest.fixture
def advisor(db):
    return EmployeeFactory(security_level=3, role="advisor", username="advisor")


@pytest.fixture
def technician(db):
    return EmployeeFactory(security_level=5, role="technician", username="tech")


@pytest.fixture(autouse=True)
def tasks_run_inline(request):
    """Tasks run in the test's own process, as on the embedded default.

    Tests marked `worker` send them to a real worker through Redis instead.
    """
    from config.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fresh_local_cache():
    """Each test starts with an empty in-process cache (rate-limit counters live there).

    On SQLite, rolled-back ids are reused, so one test's counters would throttle the next.
    A Redis cache is left alone: in CI it shares the server with the broker.
    """
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield
