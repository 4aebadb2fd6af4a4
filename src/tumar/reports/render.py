"""Render a case report as HTML or PDF in Kyrgyz, Russian, Kazakh or English.

The HTML is one self-contained file: its CSS is inline and it refers to nothing outside itself (no scripts, no
images, no web fonts), so it can be opened, printed or mailed as it is. The PDF is the same HTML laid out on A4 by
WeasyPrint with the DejaVu fonts embedded.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tumar.errors import InputError
from tumar.knowledge.loader import KnowledgeBase, load_knowledge_base
from tumar.languages import check_language
from tumar.reports.model import ReportData
from tumar.reports.view import ReportView, build_view

__all__ = ["REPORT_FORMATS", "ReportFormat", "render_html", "render_pdf", "write_report"]

log = logging.getLogger(__name__)

ReportFormat = Literal["html", "pdf"]
REPORT_FORMATS: tuple[str, ...] = ("html", "pdf")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tumar.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (resources.files("tumar.reports") / "templates" / "report.css").read_text(encoding="utf-8")


def _css_string(value: str) -> str:
    """``value`` as a CSS string literal."""
    escaped = "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):x} " for ch in value)
    return f'"{escaped}"'


def _page_content(page_label: str) -> str:
    """The ``content`` value of the page footer: "Page {page} of {pages}" with CSS page counters."""
    parts: list[str] = []
    rest = page_label
    while rest:
        head, brace, tail = rest.partition("{")
        if head:
            parts.append(_css_string(head))
        if not brace:
            break
        name, _, rest = tail.partition("}")
        if name not in ("page", "pages"):
            raise ValueError(f"page label {page_label!r}: unknown placeholder {{{name}}}")
        parts.append(f"counter({name})")
    return " ".join(parts)


def _render(view: ReportView) -> str:
    page_css = f"@page {{ @bottom-center {{ content: {_page_content(view.page_label)}; }} }}"
    template = _environment().get_template("report.html")
    # The CSS is our own package file and generated page rule: trusted, and must not be HTML-escaped.
    return template.render(v=view, L=view.labels, css=Markup(_stylesheet() + "\n" + page_css))


def render_html(data: ReportData, lang: str, *, kb: KnowledgeBase | None = None) -> str:
    """The case report as one self-contained HTML page in ``lang`` (ky, ru, kk or en)."""
    view = build_view(data, check_language(lang), kb or load_knowledge_base())
    html = _render(view)
    log.info(
        "report %s rendered as html (%s): %d messages, %d evidence items, %d custody entries",
        data.case_id,
        view.lang,
        len(data.messages),
        len(data.evidence),
        len(data.custody),
    )
    return html


def render_pdf(
    data: ReportData, lang: str, *, kb: KnowledgeBase | None = None, font_dir: Path | None = None
) -> bytes:
    """The case report as an A4 PDF in ``lang`` with DejaVu fonts embedded.

    Raises :class:`~tumar.errors.TumarError` if the DejaVu fonts (Debian ``fonts-dejavu-core``) are missing.
    """
    from tumar.reports import pdf  # WeasyPrint is slow to import: load it only when a PDF is asked for

    html = render_html(data, lang, kb=kb)
    return pdf.to_pdf(html, font_dir=font_dir or pdf.FONT_DIR)


def write_report(
    data: ReportData,
    lang: str,
    fmt: str,
    path: str | Path,
    *,
    kb: KnowledgeBase | None = None,
    font_dir: Path | None = None,
) -> Path:
    """Write the report in ``fmt`` (html or pdf) to ``path`` and return the path."""
    if fmt not in REPORT_FORMATS:
        raise InputError(f"unknown report format {fmt!r}: use one of {', '.join(REPORT_FORMATS)}")
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError(f"cannot write the report to {target}: folder {target.parent} does not exist")
    if fmt == "pdf":
        payload = render_pdf(data, lang, kb=kb, font_dir=font_dir)
    else:
        payload = render_html(data, lang, kb=kb).encode("utf-8")
    try:
        target.write_bytes(payload)
    except OSError as exc:
        raise InputError(f"cannot write the report to {target}: {exc.strerror or exc}") from exc
    log.info("report %s written as %s: %d bytes", data.case_id, fmt, len(payload))
    return target
