"""The catalog exported as CSV from the parts list, streamed row by row."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from parts.catalog_export import catalog_export_rows
from shop.csv import csv_writer
from shop.security import security_function


class _Echo:
    """A file whose write hands the line back, so each CSV line is yielded as written."""

    def write(self, text: str) -> str:
        return text


@require_GET
@security_function("view_parts")
def catalog_export(request: HttpRequest) -> StreamingHttpResponse:
    writer = csv_writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in catalog_export_rows()),
        content_type="text/csv; charset=utf-8",
    )
    file_name = f"parts-catalog_{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
