"""System checks of how the shop is deployed.

Reported by `manage.py check` (and `check --deploy`, `migrate`, `runserver`),
and run again when the web process (config/wsgi.py) or a worker starts, which
refuse to start on an error.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "processes"


@checks.register(TAG)
def tasks_run_in_a_worker(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or not settings.CELERY_TASK_ALWAYS_EAGER:
        return []
    if settings.TASKS_IN_PROCESS_ALLOWED:
        return []
    return [
        checks.Error(
            "REDIS_URL is not set, so background tasks (mailings, texts, reports) would run "
            "inside the web process, and rate limits would be counted per process.",
            hint=(
                "Set REDIS_URL and run a Celery worker and beat beside the web process "
                "(README, Production). To run everything in one process on purpose, set "
                "SHOP_ALLOW_IN_PROCESS_TASKS=true."
            ),
            id="shop.E001",
        )
    ]


def refuse_to_start_on_errors() -> None:
    """Raise ImproperlyConfigured with the messages of any serious deployment error."""
    errors = [message for message in checks.run_checks(tags=[TAG]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "The shop refuses to start:\n" + "\n".join(str(error) for error in errors)
        )
