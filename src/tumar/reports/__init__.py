"""Case reports a lawyer or the police can use: HTML and PDF in Kyrgyz, Russian, Kazakh and English.

Importing this package does not load WeasyPrint; :func:`render_pdf` does, the first time it runs.
"""

from __future__ import annotations

from tumar.reports.model import (
    CustodyRow,
    EvidenceRow,
    NoteRow,
    ReportData,
    ReportFinding,
    ReportMessage,
    ReportPattern,
)
from tumar.reports.render import REPORT_FORMATS, ReportFormat, render_html, render_pdf, write_report

__all__ = [
    "REPORT_FORMATS",
    "CustodyRow",
    "EvidenceRow",
    "NoteRow",
    "ReportData",
    "ReportFinding",
    "ReportFormat",
    "ReportMessage",
    "ReportPattern",
    "render_html",
    "render_pdf",
    "write_report",
]
