"""The README says what is true about delivery and production."""

from __future__ import annotations

from pathlib import Path

from config.storage import S3_VARIABLES
from outbox.services import STUCK_ERROR

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
PRODUCTION = README[README.index("## Production") :]


def test_it_does_not_promise_that_no_text_is_ever_lost():
    assert "never lost." not in README.lower()
    assert "Never sent twice, and never lost silently" in README


def test_it_says_what_happens_to_texts_in_flight_when_a_worker_dies():
    # The words the advisor sees on such a message are the README's.
    assert "may or may not have gone out" in " ".join(STUCK_ERROR.split())
    assert '"may or may not have gone out"' in " ".join(README.split())
    assert "**Send again**" in README


def test_the_production_section_covers_the_lock_file():
    assert "pip install --require-hashes -r requirements.lock" in PRODUCTION
    assert "make lock" in PRODUCTION


def test_the_production_section_covers_the_refusal_without_redis():
    assert "shop.E001" in PRODUCTION
    assert "SHOP_ALLOW_IN_PROCESS_TASKS=true" in PRODUCTION


def test_the_production_section_documents_every_storage_variable():
    for name in S3_VARIABLES:
        assert f"`{name}`" in PRODUCTION or f"{name}=" in PRODUCTION, name
