"""Renders one batch of HTML to a PDF file in a worker process.

Imports nothing from Django: the worker processes are spawned fresh, and only
need WeasyPrint. The HTML is complete (inline CSS, fonts from the system).
"""

from __future__ import annotations

# WeasyPrint matches every element against its whole HTML user-agent stylesheet (some
# 190 rules, most for elements a printed document never has); that is a fifth of a
# statement page's time. A document made only of these elements can be rendered with
# just their rules, copied from WeasyPrint's html5_ua.css: the pages come out
# byte-identical (tests/payments/test_statements.py renders a statement both ways).
LEAN_ELEMENTS = frozenset({
    "html", "head", "meta", "title", "style", "body", "section", "div", "h1", "p", "strong",
    "table", "thead", "tbody", "tr", "th", "td",
})  # fmt: skip
LEAN_USER_AGENT_CSS = """
head, meta, style, title { display: none }
body, div, h1, html, p, section { display: block }
body { margin: 8px }
p { margin-top: 1em; margin-bottom: 1em }
h1 { margin-top: .67em; margin-bottom: .67em; font-size: 2em; font-weight: bold;
     hyphens: manual; break-after: avoid; break-inside: avoid }
strong { font-weight: bolder }
table { display: table; border-spacing: 2px; border-collapse: separate;
        box-sizing: border-box; text-indent: initial; border-color: gray }
thead { display: table-header-group; vertical-align: middle; border-color: inherit }
tbody { display: table-row-group; vertical-align: middle; border-color: inherit }
tr { display: table-row; vertical-align: inherit; border-color: inherit }
td, th { display: table-cell; padding: 1px; vertical-align: inherit; border-color: gray }
th { font-weight: bold }
"""


_lean_html_class = None


def _lean_html():
    """WeasyPrint's HTML styled by LEAN_USER_AGENT_CSS alone, made (and its CSS parsed) once
    a process."""
    global _lean_html_class
    if _lean_html_class is None:
        from weasyprint import CSS, HTML

        stylesheet = CSS(string=LEAN_USER_AGENT_CSS)

        class LeanHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return [stylesheet]

        _lean_html_class = LeanHTML
    return _lean_html_class


def html_document(html: str, *, lean: bool = False):
    """WeasyPrint's HTML of `html`; with lean=True, styled by LEAN_USER_AGENT_CSS alone
    (only for documents made of LEAN_ELEMENTS)."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every step of every page at INFO: thousands of lines per batch.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return (_lean_html() if lean else HTML)(string=html)


def render_to_file(html: str, path: str, *, lean: bool = False) -> str:
    html_document(html, lean=lean).write_pdf(path)
    return path
