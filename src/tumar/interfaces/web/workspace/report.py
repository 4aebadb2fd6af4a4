"""The case report as a download: ``?format=pdf|html&lang=ky|ru|kk|en``, written to the custody log."""

from fastapi import HTTPException, Request
from fastapi.responses import Response

from tumar.evidence.report import build_report_data
from tumar.evidence.users import User
from tumar.interfaces.web.workspace.access import Access
from tumar.interfaces.web.workspace.state import Workspace
from tumar.languages import check_language

__all__ = ["report_response"]


def report_response(ws: Workspace, access: Access, request: Request, case_id: str, user: User) -> Response:
    from tumar.reports.render import render_html, render_pdf

    lang = check_language(request.query_params.get("lang"), default="ky")
    fmt = request.query_params.get("format", "pdf")
    if fmt not in ("pdf", "html"):
        raise HTTPException(422, "format: use pdf or html")
    store = ws.store()
    access.open_case(store, user, case_id, "report_downloaded")
    data = build_report_data(store, case_id, lang)
    with ws.lock:
        store.log_action(case_id, user.username, "report_written", None, {"format": fmt, "lang": lang})
    if fmt == "pdf":
        body, media = render_pdf(data, lang), "application/pdf"
    else:
        body, media = render_html(data, lang).encode("utf-8"), "text/html; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="tumar-case-{case_id}-{lang}.{fmt}"'},
    )
