"""Every image the app reads is checked by its pixel count from the header, before decoding:
a small file holding a huge picture (an image bomb) is refused without the memory it takes."""

from __future__ import annotations

import io
import resource
from contextlib import contextmanager

import pytest
from PIL import Image

from shop.errors import ServiceError
from shop.images import image_open
from tests.workorders.factories import png_bomb_bytes, png_bytes

DECODED_BOMB_MB = 12_000 * 12_000 * 3 / 1024 / 1024  # as RGB: about 412 MB


@contextmanager
def peak_memory_growth_mb():
    """The process's peak resident memory growth over the block, in MB (Linux: KB units)."""
    growth = {}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield growth
    growth["mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024


def test_pillows_own_limit_matches_the_shops(settings):
    assert settings.IMAGE_MAX_PIXELS == 40_000_000
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


def test_it_refuses_a_140_kb_png_of_12000_by_12000_pixels_without_decoding_it():
    bomb = png_bomb_bytes(12_000, 12_000)
    assert len(bomb) < 200 * 1024
    with peak_memory_growth_mb() as growth, pytest.raises(ServiceError) as error:
        image_open(io.BytesIO(bomb), name="brakes.png", field="photo")
    assert error.value.code == "too_many_pixels" and error.value.field == "photo"
    assert "“brakes.png” has 144 megapixels" in error.value.message
    assert "at most 40 megapixels" in error.value.message
    assert growth["mb"] < DECODED_BOMB_MB / 10


def test_it_refuses_a_picture_just_past_the_limit_naming_its_size():
    with peak_memory_growth_mb() as growth, pytest.raises(ServiceError) as error:
        image_open(io.BytesIO(png_bomb_bytes(8_000, 5_001)), name="wide.png", field="logo")
    assert error.value.message.startswith("“wide.png” is 8,000 × 5,001 pixels (40 megapixels);")
    assert error.value.field == "logo"
    assert growth["mb"] < 40


def test_it_reads_an_ordinary_photo_upright_in_rgb():
    image = image_open(io.BytesIO(png_bytes((64, 48))), name="ok.png", field="photo")
    assert image.size == (64, 48) and image.mode == "RGB"


def test_it_refuses_what_is_not_an_image():
    with pytest.raises(ServiceError) as error:
        image_open(io.BytesIO(b"GIF89a but not really"), name="x.gif", field="photo")
    assert error.value.code == "not_image"
