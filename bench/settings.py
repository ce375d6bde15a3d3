"""Settings for `make bench`: production settings over plain http on the test client."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-secret-key-" + "y" * 48)

from config.settings import *  # noqa: F403
from config.settings import STORAGES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Filling the bench database runs without Redis; only the outbox scenario needs a worker.
TASKS_IN_PROCESS_ALLOWED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# No collected static files here: served from the app folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
