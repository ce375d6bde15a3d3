"""/favicon.ico answers with the shop's icon, served from our own static files."""

from __future__ import annotations

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_it_answers_with_a_real_icon_before_any_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


def test_every_page_links_it(client, advisor):
    client.force_login(advisor)
    page = client.get("/shop/menu/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page


def test_it_refuses_anything_but_reading_it(client):
    assert client.post("/favicon.ico").status_code == 405
