"""Text backends that misbehave on purpose, chosen with SMS_BACKEND=<dotted path>."""

from __future__ import annotations

import os

from messaging.sms import DevSmsBackend, PermanentProviderError, TransientProviderError


class FlakySmsBackend(DevSmsBackend):
    """Fails the first FLAKY_SMS_FAILURES tries of each message, then sends it."""

    tries: dict[str, int] = {}

    def send(self, *, to: str, body: str, idempotency_key: str, message_id: int) -> str:
        failures = int(os.environ.get("FLAKY_SMS_FAILURES", "2"))
        self.tries[idempotency_key] = self.tries.get(idempotency_key, 0) + 1
        if self.tries[idempotency_key] <= failures:
            raise TransientProviderError(
                f"The provider answered 503 (try {self.tries[idempotency_key]})"
            )
        return super().send(
            to=to, body=body, idempotency_key=idempotency_key, message_id=message_id
        )


class RefusingSmsBackend(DevSmsBackend):
    def send(self, *, to: str, body: str, idempotency_key: str, message_id: int) -> str:
        raise PermanentProviderError("Twilio 400 (code 21614): not a mobile number")


class ForgetfulSmsBackend(DevSmsBackend):
    """Like a provider without idempotency keys (Twilio): a stuck message must not be resent."""

    supports_idempotency = False
