import pytest


@pytest.fixture(autouse=True)
def messaging_settings(settings):
    """Anymail's test backend for e-mail, the development backend for texts, a Twilio token."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.SMS_BACKEND = "dev"
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.MESSAGING_RETRY_BASE_SECONDS = 30
    settings.MESSAGING_MAX_ATTEMPTS = 4
    return settings
