"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is an employee meeting a level they do not have, or a fleet user at another
    company's door: an ordinary event to note, not a crash. Django logs the refusal with
    the exception's traceback; keep the one line, at warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        refused = getattr(record, "status_code", None) == 403 or (
            record.exc_info is not None and isinstance(record.exc_info[1], PermissionDenied)
        )
        if refused:
            record.exc_info = None
            record.exc_text = None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
