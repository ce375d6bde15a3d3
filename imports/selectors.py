"""Reads of the imports app: the list of imports, one import with its files and findings."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from imports.fields import FIELDS, FileKind
from imports.models import ColumnMapping, ImportFile, ImportProblem, ImportRun

PROBLEMS_SHOWN = 200


def import_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by", "applied_by").annotate(
        file_count=Count("files", distinct=True)
    )


def import_run(run_id: int) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.select_related("created_by", "applied_by", "undone_by"), pk=run_id
    )


def import_files(run: ImportRun) -> list[ImportFile]:
    order = {kind: i for i, kind in enumerate(FileKind.values)}
    return sorted(run.files.all(), key=lambda f: order[f.kind])


def import_problems(run: ImportRun) -> tuple[list[ImportProblem], dict[str, int]]:
    """The first problems (errors first) and how many there are of each severity."""
    totals = run.problems.aggregate(
        errors=Count("pk", filter=Q(severity=ImportProblem.Severity.ERROR)),
        warnings=Count("pk", filter=Q(severity=ImportProblem.Severity.WARNING)),
    )
    shown = list(run.problems.order_by("severity", "kind", "line", "pk")[:PROBLEMS_SHOWN])
    return shown, totals


def saved_mapping_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {kind: [] for kind in FileKind.values}
    for name, kind in ColumnMapping.objects.order_by("name").values_list("name", "kind"):
        names[kind].append(name)
    return names


def field_choices(kind: str) -> list[tuple[str, str]]:
    return [("", "— not imported —")] + [
        (f.code, f"{f.label}{' (required)' if f.required else ''}") for f in FIELDS[kind]
    ]
