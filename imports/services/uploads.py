"""Uploading the old system's files and mapping their columns to the shop's fields."""

from __future__ import annotations

from typing import IO

from django.db import transaction

from imports.fields import FileKind, field_labels, mapping_suggest
from imports.models import ColumnMapping, ImportFile, ImportRun
from imports.reading import TableReader
from imports.services.checking import import_dry_run_start
from shop.errors import ServiceError
from shop.models import User

MAX_FILE_BYTES = 1024 * 1024 * 1024


@transaction.atomic
def import_run_create(*, by: User, name: str, files: dict[str, IO[bytes]]) -> ImportRun:
    """Keep the uploaded files, one per kind, each read far enough to know its columns.

    `files` maps a FileKind to an uploaded file (with a `.name`). A file that is not CSV or
    XLSX, is empty or in an encoding that cannot be read is refused, and nothing is kept.
    """
    files = {kind: upload for kind, upload in files.items() if upload}
    if not files:
        raise ServiceError("Choose at least one file to import.", field="customers")
    unknown = set(files) - set(FileKind.values)
    if unknown:
        raise ServiceError(f"Unknown kind of file: {', '.join(sorted(unknown))}.")
    run = ImportRun.objects.create(
        name=(name or "").strip()[:120] or "Import", created_by=by, state=ImportRun.State.UPLOADED
    )
    for kind, upload in files.items():
        original = getattr(upload, "name", kind) or kind
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_FILE_BYTES:
            raise ServiceError(f"{original} is larger than 1 GB: split it.", field=kind)
        try:
            reader = TableReader(upload, original)
            shape = reader.shape
            samples = reader.samples()
            rows = sum(1 for _ in reader.rows())
        except ServiceError as error:
            raise ServiceError(f"{original}: {error.message}", field=kind) from None
        if not rows:
            raise ServiceError(f"{original}: the file has a header row but no rows.", field=kind)
        upload.seek(0)
        import_file = ImportFile(
            run=run,
            kind=kind,
            original_name=original[:255],
            format=shape.format,
            encoding=shape.encoding,
            delimiter=shape.delimiter,
            headers=shape.headers,
            samples=samples,
            rows=rows,
        )
        import_file.mapping, import_file.mapping_name = _mapping_offered(kind, shape.headers)
        import_file.file.save(f"{kind}-{original}"[-100:], upload, save=False)
        import_file.save()
    return run


def _mapping_offered(kind: str, headers: list[str]) -> tuple[dict[str, str], str]:
    """The newest saved mapping made for files with these columns, else a suggestion from
    the header names."""
    for saved in ColumnMapping.objects.filter(kind=kind).order_by("-updated_at", "-id"):
        if saved.columns and set(saved.columns) <= set(headers):
            return {header: saved.columns.get(header, "") for header in headers}, saved.name
    return mapping_suggest(kind, headers), ""


def _clean_mapping(import_file: ImportFile, mapping: dict[str, str]) -> dict[str, str]:
    labels = field_labels(import_file.kind)
    cleaned = {}
    for header in import_file.headers:
        code = (mapping.get(header) or "").strip()
        if code and code not in labels:
            raise ServiceError(f"“{code}” is not a field of {import_file.get_kind_display()}.")
        cleaned[header] = code
    return cleaned


@transaction.atomic
def import_mapping_set(
    *,
    by: User,
    run_id: int,
    mappings: dict[str, dict[str, str]],
    save_as: str = "",
    check: bool = True,
) -> ImportRun:
    """The columns of each file mapped to fields ({kind: {header: field code or ""}});
    saved by name for the next files when `save_as` is given; then the dry run (`check`)."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    if run.state not in {ImportRun.State.UPLOADED, ImportRun.State.CHECKED}:
        raise ServiceError("The columns of an applied import cannot be changed.", code="conflict")
    save_as = (save_as or "").strip()[:80]
    for import_file in run.files.all():
        if import_file.kind not in mappings:
            continue
        import_file.mapping = _clean_mapping(import_file, mappings[import_file.kind])
        import_file.mapping_name = save_as or import_file.mapping_name
        import_file.save(update_fields=["mapping", "mapping_name"])
        if save_as:
            ColumnMapping.objects.update_or_create(
                name=save_as,
                kind=import_file.kind,
                defaults={
                    "columns": {h: c for h, c in import_file.mapping.items() if c},
                    "saved_by": by,
                },
            )
    run.state = ImportRun.State.UPLOADED
    run.dry_run = {}
    run.save(update_fields=["state", "dry_run"])
    if not check:
        return run
    # The dry run is a job (its files may be big): the page polls until it is done.
    return import_dry_run_start(by=by, run_id=run.pk)


def mapping_from_saved(import_file: ImportFile, name: str) -> dict[str, str]:
    """A saved mapping's columns applied to this file's headers (a header it does not know
    keeps the suggestion)."""
    saved = ColumnMapping.objects.filter(name=name, kind=import_file.kind).first()
    if saved is None:
        return import_file.mapping
    suggestion = mapping_suggest(import_file.kind, import_file.headers)
    return {
        header: saved.columns.get(header, suggestion.get(header, ""))
        for header in import_file.headers
    }
