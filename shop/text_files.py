"""Reading the text files people upload: which encoding their bytes are in, and which
character separates their columns.

One reader for every app that takes a CSV file (imports: an old system's export; parts: a
vendor's price file), so a file that one accepts reads the same in the other. What a file
is refused for is said by each app in its own words: `encoding_detect` raises
`UnreadableText` with the reason, and the app words the `ServiceError`.

Encodings: UTF-8 (with or without a byte order mark), UTF-16 with its byte order mark, and
Windows-1252, what US point-of-sale systems and Excel on Windows write. A file that is none
of them is refused with what it looks like (charset-normalizer's guess), unless the caller
reads every file that is not UTF-8 as one encoding (`otherwise`) and marks the characters
that do not belong on their rows.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
from typing import BinaryIO

import charset_normalizer

SAMPLE_BYTES = 1 << 20
# The encodings charset-normalizer weighs a file that is not UTF-8 against: Windows-1252 is
# the one old systems write here; the others are there so that a file in one of them is named
# and refused rather than read as nonsense.
CANDIDATES = [
    "cp1252", "cp1251", "cp1253", "cp1255", "cp1256", "koi8_r", "cp932", "gb18030", "euc_kr",
    "big5",
]  # fmt: skip
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}
# Punctuation Windows-1252 adds that a name or a note may hold (curly quotes, dashes...).
WESTERN_PUNCTUATION = set("‘’“”–—•…°½¼¾©®™€£¢§¶·×÷«»¿¡")
DELIMITERS = ",;\t|"


class UnreadableText(Exception):
    """Why a file cannot be read as text: `reason` is "empty", "binary" (it holds NUL bytes)
    or "encoding" (not an encoding read here); `looks_like` names, for "encoding", what
    the bytes look like ("cp1251, Russian"), or is ""."""

    def __init__(self, reason: str, looks_like: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.looks_like = looks_like


def utf8_bad_line(handle: BinaryIO) -> int | None:
    """The number of the first line that is not UTF-8 text, or None when the whole file is;
    read in chunks, from the start, and left at the start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    handle.seek(0)
    line = 1
    try:
        while chunk := handle.read(SAMPLE_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return line + chunk[: max(error.start, 0)].count(b"\n")
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line
        return None
    finally:
        handle.seek(0)


def _western(text: str) -> bool:
    """Every character beyond ASCII is a Latin letter or common Western punctuation."""
    for char in set(text):
        if ord(char) < 128 or char in WESTERN_PUNCTUATION:
            continue
        if char.isalpha() and "LATIN" in unicodedata.name(char, ""):
            continue
        if char in "\u00a0":  # a non-breaking space, as Excel writes them
            continue
        return False
    return True


def encoding_detect(handle: BinaryIO, *, otherwise: str = "") -> str:
    """The file's encoding (a Python codec name), or UnreadableText.

    A file that is not UTF-8 is read as `otherwise` when it is given; else as Windows-1252
    when that reading gives only Latin letters and Western punctuation."""
    handle.seek(0)
    head = handle.read(SAMPLE_BYTES)
    handle.seek(0)
    if not head.strip():
        raise UnreadableText("empty")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise UnreadableText("binary")
    if utf8_bad_line(handle) is None:
        return "utf-8"
    if otherwise:
        return otherwise
    matches = charset_normalizer.from_bytes(head, cp_isolation=CANDIDATES)
    # Short Western text is often taken for Cyrillic by its letter frequencies ("Josй"):
    # when Windows-1252 is among the readings and gives only Latin letters, it is the one.
    if any(match.encoding == "cp1252" for match in matches):
        try:
            decoded = head.decode("cp1252")
        except UnicodeDecodeError:
            decoded = ""
        if decoded and _western(decoded):
            return "cp1252"
    best = matches.best()
    looks_like = ""
    if best is not None:
        looks_like = best.encoding + (f", {best.language}" if best.language else "")
    raise UnreadableText("encoding", looks_like)


def delimiter_sniff(sample: str) -> str:
    """The character that separates the columns (comma, semicolon, tab or pipe), from the
    first lines of the file."""
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or quotes the sniffer cannot see through: the most common separator
        # of the header line.
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","
