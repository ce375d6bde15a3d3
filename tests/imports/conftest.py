from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.sample import sample_write
from shop.models import ShopProfile
from workorders.seeding import statuses_ensure
from workorders.selectors import workorder_settings_get


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """The sample export of a small shop, written once for the session."""
    return Path(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def sample_paths(sample_dir) -> dict[str, Path]:
    return sample_write(sample_dir)


@pytest.fixture(scope="session")
def small_sample_paths(tmp_path_factory) -> dict[str, Path]:
    """A smaller export of the same shape, for tests that apply and undo it several times."""
    return sample_write(
        tmp_path_factory.mktemp("small"), customers=60, vehicles=80, invoices=300, seed=7
    )


@pytest.fixture
def shop(db):
    """The shop's settings the import reads: its default area code, and the statuses."""
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "default_area_code": "217"}
    )
    statuses_ensure()
    # The work-order settings row is made by its first reader; the shop has it already.
    workorder_settings_get()


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def uploads(paths: dict[str, Path], kinds=None) -> dict[str, SimpleUploadedFile]:
    return {kind: upload(path) for kind, path in paths.items() if kinds is None or kind in kinds}
