"""Reading an uploaded image safely: its pixel count is checked from the file's header before
anything is decoded, so a small file holding a huge picture (an "image bomb") is refused
without using the memory it would take. Every image the app reads goes through here."""

from __future__ import annotations

import re
import warnings
from typing import IO

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from shop.errors import ServiceError


def image_open(
    upload: IO[bytes], *, name: str, field: str, fit_within: int | None = None
) -> Image.Image:
    """The upload decoded as an upright RGB image, or a ServiceError naming the problem.

    `fit_within` lets a JPEG decode at a reduced scale when it will be shrunk to that side
    anyway, which keeps memory down for ordinary large phone photos too.
    """
    limit = settings.IMAGE_MAX_PIXELS
    try:
        # Image.open reads only the header: the size is known, nothing is decoded yet.
        with warnings.catch_warnings():
            # Past the limit Pillow warns at open; the refusal below says it to the person.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(upload)
        with opened:
            width, height = opened.size
            if width * height > limit:
                raise _too_many_pixels(name, field, width * height, limit, (width, height))
            if fit_within:
                opened.draft("RGB", (fit_within, fit_within))
            opened.load()
            return ImageOps.exif_transpose(opened).convert("RGB")
    except Image.DecompressionBombError as bomb:
        # Pillow refuses at open already past twice its limit (set to ours in shop.apps); its
        # message carries the pixel count: "Image size (144000000 pixels) exceeds limit ...".
        found = re.search(r"\((\d+) pixels\)", str(bomb))
        raise _too_many_pixels(name, field, int(found.group(1)) if found else 0, limit) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ServiceError(
            f"“{name}” is not a photo we can read. Take a picture with the camera or choose "
            "a JPEG, PNG or HEIC-converted image.",
            field=field,
            code="not_image",
        ) from None


def _too_many_pixels(
    name: str, field: str, pixels: int, limit: int, size: tuple[int, int] | None = None
) -> ServiceError:
    if size:
        found = f" is {size[0]:,} × {size[1]:,} pixels ({pixels / 1e6:.0f} megapixels);"
    elif pixels:
        found = f" has {pixels / 1e6:.0f} megapixels;"
    else:
        found = " is too large;"
    return ServiceError(
        f"“{name}”{found} an image may be at most {limit / 1e6:.0f} megapixels. Take it again "
        "at a lower resolution or make it smaller.",
        field=field,
        code="too_many_pixels",
    )
