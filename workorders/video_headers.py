"""What a video clip is, read from its own bytes rather than its name: the container (MP4,
QuickTime MOV or WebM, as phones and browsers record them), whether it holds a video track, and
its length from the container's header. No decoding and no new dependency: MP4 and MOV keep
the length in the movie header box ('moov' > 'mvhd'); WebM in the segment's Info > Duration,
or, when a browser's recorder left it out, in the timestamps of its clusters.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO


class NotAVideo(Exception):
    """The bytes are not a clip in a container we take."""


@dataclass(frozen=True)
class VideoHeader:
    content_type: str  # "video/mp4", "video/quicktime" or "video/webm"
    extension: str
    duration_ms: int | None  # None: the file does not say


def video_header_read(stream: BinaryIO) -> VideoHeader:
    stream.seek(0, 2)
    end = stream.tell()
    stream.seek(0)
    head = stream.read(12)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _iso_media(stream, end, major_brand=head[8:12])
    if head[:4] == EBML_HEADER.to_bytes(4, "big"):
        return _webm(stream, end)
    raise NotAVideo("not an MP4, MOV or WebM file")


# --- MP4 and QuickTime (ISO base media file format) -----------------------------------------

# Brands of the same box format that hold pictures or sound only.
NOT_VIDEO_BRANDS = {
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif", b"avis",
    b"M4A ", b"M4B ", b"M4P ", b"crx ", b"jp2 ", b"jpx ",
}  # fmt: skip


def _boxes(stream: BinaryIO, start: int, end: int):
    """(type, payload start, box end) of each box between start and end."""
    offset = start
    while offset + 8 <= end:
        stream.seek(offset)
        size, kind = struct.unpack(">I4s", stream.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", stream.read(8))
            header = 16
        elif size == 0:  # the last box, to the end of the file
            size = end - offset
        if size < header or offset + size > end:
            raise NotAVideo(f"a broken '{kind.decode('latin-1')}' box")
        yield kind, offset + header, offset + size
        offset += size


def _child(stream: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, payload, box_end in _boxes(stream, start, end):
        if found == kind:
            return payload, box_end
    return None


def _iso_media(stream: BinaryIO, end: int, *, major_brand: bytes) -> VideoHeader:
    if major_brand in NOT_VIDEO_BRANDS:
        raise NotAVideo("a picture or sound file, not a video")
    quicktime = major_brand == b"qt  "
    moov = _child(stream, 0, end, b"moov")
    if moov is None:
        raise NotAVideo("no movie header")
    if not _has_video_track(stream, *moov):
        raise NotAVideo("no video track")
    mvhd = _child(stream, *moov, b"mvhd")
    if mvhd is None:
        raise NotAVideo("no movie header")
    stream.seek(mvhd[0])
    version = stream.read(1)[:1]
    if version == b"\x01":
        timescale, duration = struct.unpack(">3x16xIQ", stream.read(31))
        unknown = 0xFFFFFFFFFFFFFFFF
    else:
        timescale, duration = struct.unpack(">3x8xII", stream.read(19))
        unknown = 0xFFFFFFFF
    duration_ms = None if not timescale or duration == unknown else duration * 1000 // timescale
    return VideoHeader(
        content_type="video/quicktime" if quicktime else "video/mp4",
        extension="mov" if quicktime else "mp4",
        duration_ms=duration_ms,
    )


def _has_video_track(stream: BinaryIO, start: int, end: int) -> bool:
    for kind, payload, box_end in _boxes(stream, start, end):
        if kind != b"trak":
            continue
        mdia = _child(stream, payload, box_end, b"mdia")
        hdlr = mdia and _child(stream, *mdia, b"hdlr")
        if hdlr:
            stream.seek(hdlr[0] + 8)  # version and flags, pre_defined
            if stream.read(4) == b"vide":
                return True
    return False


# --- WebM (Matroska's EBML) ---------------------------------------------------------------

EBML_HEADER = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
INFO = 0x1549A966
TIMECODE_SCALE = 0x2AD7B1
DURATION = 0x4489
TRACKS = 0x1654AE6B
TRACK_ENTRY = 0xAE
TRACK_TYPE = 0x83
CLUSTER = 0x1F43B675
CLUSTER_TIMECODE = 0xE7
SIMPLE_BLOCK = 0xA3
BLOCK_GROUP = 0xA0
BLOCK = 0xA1
# The segment's own children: where a cluster of unknown size ends.
SEGMENT_CHILDREN = {
    0x114D9B74, INFO, TRACKS, CLUSTER, 0x1C53BB6B, 0x1941A469, 0x1043A770, 0x1254C367,
}  # fmt: skip
UNKNOWN = -1


def _vint(stream: BinaryIO, *, keep_marker: bool) -> tuple[int, int]:
    """(value, bytes read) of an EBML variable-size integer; UNKNOWN for an unknown size."""
    first = stream.read(1)
    if not first:
        raise EOFError
    byte = first[0]
    length = 1
    while length <= 8 and not byte & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise NotAVideo("a broken WebM element")
    rest = stream.read(length - 1)
    if len(rest) != length - 1:
        raise EOFError
    value = byte if keep_marker else byte & (0xFF >> length)
    for extra in rest:
        value = (value << 8) | extra
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return UNKNOWN, length
    return value, length


def _element(stream: BinaryIO) -> tuple[int, int, int]:
    """(id, size, data start) of the element at the stream's position."""
    element_id, _ = _vint(stream, keep_marker=True)
    size, _ = _vint(stream, keep_marker=False)
    return element_id, size, stream.tell()


def _uint(stream: BinaryIO, size: int) -> int:
    return int.from_bytes(stream.read(size), "big") if 0 < size <= 8 else 0


def _children(stream: BinaryIO, start: int, end: int):
    position = start
    while position < end:
        stream.seek(position)
        element_id, size, data = _element(stream)
        if size == UNKNOWN or data + size > end:
            raise NotAVideo("a broken WebM element")
        yield element_id, size, data
        position = data + size


def _webm(stream: BinaryIO, end: int) -> VideoHeader:
    try:
        return _webm_read(stream, end)
    except EOFError:
        raise NotAVideo("a WebM file cut short") from None


def _webm_read(stream: BinaryIO, end: int) -> VideoHeader:
    stream.seek(0)
    _, size, data = _element(stream)
    if size == UNKNOWN:
        raise NotAVideo("a broken WebM header")
    doc_type = b""
    for element_id, child_size, child in _children(stream, data, data + size):
        if element_id == DOC_TYPE:
            stream.seek(child)
            doc_type = stream.read(child_size).rstrip(b"\x00")
    if doc_type != b"webm":
        raise NotAVideo("not a WebM file")
    stream.seek(data + size)
    segment_id, segment_size, position = _element(stream)
    if segment_id != SEGMENT:
        raise NotAVideo("no WebM segment")
    segment_end = end if segment_size == UNKNOWN else min(end, position + segment_size)

    scale = 1_000_000  # nanoseconds per timestamp unit, unless Info says otherwise
    duration: float | None = None
    has_video = False
    last_timestamp: int | None = None
    while position < segment_end:
        stream.seek(position)
        try:
            element_id, size, data = _element(stream)
        except EOFError:
            break
        if element_id == CLUSTER:
            cluster_end, cluster_last = _cluster(stream, data, size, segment_end)
            if cluster_last is not None:
                last_timestamp = max(last_timestamp or 0, cluster_last)
            position = cluster_end
            continue
        if size == UNKNOWN:
            raise NotAVideo("a broken WebM element")
        if element_id == INFO:
            for child_id, child_size, child in _children(stream, data, data + size):
                stream.seek(child)
                if child_id == TIMECODE_SCALE:
                    scale = _uint(stream, child_size) or scale
                elif child_id == DURATION and child_size in (4, 8):
                    (duration,) = struct.unpack(
                        ">f" if child_size == 4 else ">d", stream.read(child_size)
                    )
        elif element_id == TRACKS:
            has_video = has_video or _webm_has_video(stream, data, data + size)
        position = data + size

    if not has_video:
        raise NotAVideo("no video track")
    if duration is not None and duration > 0:
        duration_ms = round(duration * scale / 1_000_000)
    elif last_timestamp is not None:
        duration_ms = round(last_timestamp * scale / 1_000_000)
    else:
        duration_ms = None
    return VideoHeader(content_type="video/webm", extension="webm", duration_ms=duration_ms)


def _webm_has_video(stream: BinaryIO, start: int, end: int) -> bool:
    for element_id, size, data in _children(stream, start, end):
        if element_id != TRACK_ENTRY:
            continue
        for child_id, child_size, child in _children(stream, data, data + size):
            stream.seek(child)
            if child_id == TRACK_TYPE and _uint(stream, child_size) == 1:
                return True
    return False


def _cluster(stream: BinaryIO, start: int, size: int, limit: int) -> tuple[int, int | None]:
    """(where the cluster ends, its last block's timestamp). A recorder writing live leaves
    the cluster's size unknown: it ends where the next segment-level element starts."""
    end = limit if size == UNKNOWN else min(limit, start + size)
    position = start
    cluster_time = 0
    last: int | None = None
    while position < end:
        stream.seek(position)
        try:
            element_id, child_size, data = _element(stream)
        except EOFError:
            return end, last
        if element_id in SEGMENT_CHILDREN:
            return position, last
        if child_size == UNKNOWN:
            raise NotAVideo("a broken WebM cluster")
        if element_id == CLUSTER_TIMECODE:
            cluster_time = _uint(stream, child_size)
        elif element_id == SIMPLE_BLOCK:
            last = max(last or 0, cluster_time + _block_time(stream))
        elif element_id == BLOCK_GROUP:
            for child_id, _, child in _children(stream, data, min(end, data + child_size)):
                if child_id == BLOCK:
                    stream.seek(child)
                    last = max(last or 0, cluster_time + _block_time(stream))
        position = data + child_size
    return end, last


def _block_time(stream: BinaryIO) -> int:
    """A block's timestamp relative to its cluster: after its track number, a signed 16 bits."""
    _vint(stream, keep_marker=False)
    (relative,) = struct.unpack(">h", stream.read(2))
    return relative
