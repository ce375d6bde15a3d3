"""Where photos and generated files are kept: local disk unless S3_BUCKET says a bucket."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import LOCAL, S3_BACKEND, default_storage_from_env
from tests.shop.test_deploy import PRODUCTION, REDIS, run_python


def test_it_keeps_files_on_local_disk_by_default():
    assert default_storage_from_env({}) == LOCAL
    assert default_storage_from_env({"S3_BUCKET": "  "}) == LOCAL


def test_it_uses_an_s3_compatible_bucket_configured_by_the_environment():
    storage = default_storage_from_env(
        {
            "S3_BUCKET": "shop-files",
            "S3_ENDPOINT_URL": "https://minio.internal:9000",
            "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_REGION": "us-east-1",
            "S3_PREFIX": "/media/",
            "S3_ADDRESSING_STYLE": "path",
        }
    )
    assert storage == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": "shop-files",
            "endpoint_url": "https://minio.internal:9000",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "secret",
            "region_name": "us-east-1",
            "location": "media",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def test_it_leaves_credentials_to_boto3_when_no_keys_are_given():
    options = default_storage_from_env({"S3_BUCKET": "shop-files"})["OPTIONS"]
    assert "access_key" not in options
    assert "secret_key" not in options
    assert "endpoint_url" not in options


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"S3_ENDPOINT_URL": "https://minio.internal:9000"}, "S3_BUCKET is not"),
        ({"S3_BUCKET": "shop-files", "S3_ACCESS_KEY_ID": "AKIAEXAMPLE"}, "both S3_ACCESS_KEY_ID"),
        ({"S3_BUCKET": "shop-files", "S3_SECRET_ACCESS_KEY": "secret"}, "both S3_ACCESS_KEY_ID"),
        ({"S3_BUCKET": "shop-files", "S3_ADDRESSING_STYLE": "sideways"}, "auto, path or virtual"),
    ],
)
def test_it_refuses_a_half_configured_bucket_with_a_clear_message(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        default_storage_from_env(env)


SHOW_STORAGE = (
    "import django; django.setup(); "
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__module__, type(s).__name__, getattr(s, 'bucket_name', '-'), "
    "getattr(s, 'endpoint_url', '-'), getattr(s, 'location', '-'))"
)


def test_the_settings_pick_the_bucket_from_the_environment():
    result = run_python(
        "-c",
        SHOW_STORAGE,
        **PRODUCTION,
        **REDIS,
        S3_BUCKET="shop-files",
        S3_ENDPOINT_URL="https://minio.internal:9000",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret",
        S3_PREFIX="media",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "shop-files",
        "https://minio.internal:9000",
        "media",
    ]


def test_the_settings_keep_local_files_without_a_bucket():
    result = run_python("-c", SHOW_STORAGE, **PRODUCTION, **REDIS)
    assert result.returncode == 0, result.stderr
    module, name = result.stdout.split()[:2]
    assert (module, name) == ("django.core.files.storage.filesystem", "FileSystemStorage")
