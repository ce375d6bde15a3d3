"""Renders one batch of HTML to a PDF file in a worker process.

Imports nothing from Django: the worker processes are spawned fresh, and only
need WeasyPrint. The HTML is complete (inline CSS, fonts from the system).
"""

from __future__ import annotations


def render_to_file(html: str, path: str) -> str:
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every step of every page at INFO: thousands of lines per batch.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    HTML(string=html).write_pdf(path)
    return path
