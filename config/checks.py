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


@checks.register(TAG)
def pay_by_link_is_safe(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Pay by link (payments/providers/): the pretend backend never serves a real shop, and
    Stripe has both of its keys."""
    provider = getattr(settings, "PAYMENTS_PROVIDER", "none")
    if provider == "development" and not getattr(settings, "PAYMENTS_DEVELOPMENT_ALLOWED", False):
        return [
            checks.Error(
                "PAYMENTS_PROVIDER is 'development' with debug off: anyone holding a pay link "
                "could mark an invoice paid on the Pretend to pay page.",
                hint="Set PAYMENTS_PROVIDER=stripe (with its keys) or none (README, Pay by link).",
                id="payments.E001",
            )
        ]
    if provider == "stripe" and not (
        getattr(settings, "STRIPE_SECRET_KEY", "")
        and getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    ):
        return [
            checks.Error(
                "PAYMENTS_PROVIDER is 'stripe' but STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET "
                "is not set: no checkout could open, or no payment could be believed.",
                hint="Set both from the Stripe dashboard (README, Pay by link).",
                id="payments.E002",
            )
        ]
    return []
