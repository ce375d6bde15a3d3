"""Where photos and generated files live, chosen from the environment.

Local files under MEDIA_ROOT by default. With S3_BUCKET set, an S3-compatible
bucket (AWS S3, MinIO, Backblaze B2, DigitalOcean Spaces...) through
django-storages, so that a web process and a worker on different hosts read and
write the same files. The files stay private either way: pages serve them
through views that check who may see them, never by a public bucket address.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "storages.backends.s3.S3Storage"
S3_VARIABLES = (
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_PREFIX",
    "S3_ADDRESSING_STYLE",
)


def default_storage_from_env(env: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry for these environment variables."""
    given = {name: env.get(name, "").strip() for name in S3_VARIABLES}
    bucket = given["S3_BUCKET"]
    if not bucket:
        stray = [name for name, value in given.items() if value]
        if stray:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} set but S3_BUCKET is not: set S3_BUCKET to keep files "
                "in a bucket, or unset the S3_ variables to keep them on local disk."
            )
        return LOCAL
    if bool(given["S3_ACCESS_KEY_ID"]) != bool(given["S3_SECRET_ACCESS_KEY"]):
        raise ImproperlyConfigured(
            "Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither "
            "(then boto3 finds credentials itself, e.g. from the host's role)."
        )
    if given["S3_ADDRESSING_STYLE"] not in ("", "auto", "path", "virtual"):
        raise ImproperlyConfigured("S3_ADDRESSING_STYLE must be auto, path or virtual.")
    options = {
        "bucket_name": bucket,
        # Private objects: the bucket's own policy decides, never a public-read ACL.
        "default_acl": None,
        "querystring_auth": True,
        # Two uploads with one name keep both files, as on local disk.
        "file_overwrite": False,
    }
    optional = {
        "endpoint_url": given["S3_ENDPOINT_URL"],
        "access_key": given["S3_ACCESS_KEY_ID"],
        "secret_key": given["S3_SECRET_ACCESS_KEY"],
        "region_name": given["S3_REGION"],
        "location": given["S3_PREFIX"].strip("/"),
        "addressing_style": given["S3_ADDRESSING_STYLE"],
    }
    options.update({key: value for key, value in optional.items() if value})
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
