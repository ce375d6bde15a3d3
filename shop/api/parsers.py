"""The API's JSON parser: refuses text holding the NUL character.

PostgreSQL cannot store NUL (0x00) in text, and cannot even compare with it: a NUL in a
field that is looked up rather than stored (a customer's source by name) raised a
DataError, a 500. DRF's CharField already refuses it; this refuses it everywhere in a JSON
body, keys included, with a 400 before any view runs.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"


def holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if holds_nul(data):
            raise ParseError("Text cannot contain the NUL character (\\u0000).")
        return data
