"""Payments' files: CSV only through shop/csv.py, PDFs with WeasyPrint like the reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from shop.csv import csv_writer
from shop.selectors import shop_profile_get


def csv_response(rows: list[list], file_name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}.csv"'
    csv_writer(response).writerows(rows)
    return response


def pdf_response(
    request: HttpRequest, template: str, context: dict, file_name: str
) -> HttpResponse:
    from weasyprint import HTML  # imported here: loading Pango is slow for pages that never print

    html = render_to_string(
        template,
        {**context, "shop": shop_profile_get(), "printed_at": timezone.localtime()},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name}.pdf"'
    return response
