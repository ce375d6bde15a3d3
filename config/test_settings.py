"""Settings for pytest: the real settings, with a fast hasher and local mail."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 48)

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run over plain http on the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/shop-test-media")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SHOP_BASE_URL = "http://testserver"
# Tasks run inline in the test process on purpose (tests marked `worker` use Redis).
TASKS_IN_PROCESS_ALLOWED = True
# Texts are kept in the database (the development backend), like mail in locmem.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "dev")
# No collected static files here: served from the app folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Pay by link: the pretend-to-pay backend (tests of the Stripe backend choose it themselves).
PAYMENTS_PROVIDER = "development"
PAYMENTS_DEVELOPMENT_ALLOWED = True
