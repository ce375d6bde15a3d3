"""Answering with a stored file (an inspection photo or video) to someone the view has already
let in, with byte ranges: phones' video players (Safari's above all) ask for a clip in pieces
and will not play one served only whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse

SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def stored_file_response(
    request: HttpRequest, stored: FieldFile, *, content_type: str
) -> HttpResponse:
    """The whole file (200) or the one byte range asked for (206); a range past the end is a
    416. A file no longer in storage is a 404."""
    try:
        size = stored.size
        handle = stored.open("rb")
    except (OSError, ValueError):
        raise Http404("This file is no longer stored.") from None
    asked = SINGLE_RANGE.match(request.headers.get("Range", "").strip())
    if asked is None or not (asked[1] or asked[2]):
        # No range, or several at once (rare; the whole file is a valid answer to those).
        response = FileResponse(handle, content_type=content_type)
    else:
        if asked[1]:
            start = int(asked[1])
            end = min(int(asked[2]), size - 1) if asked[2] else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(0, size - int(asked[2])), size - 1
        if start >= size or start > end:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        response = StreamingHttpResponse(
            _read(handle, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _read(handle: BinaryIO, length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()
