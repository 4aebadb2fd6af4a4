"""The helpline workspace: log in, unlock the evidence store, keep cases, upload exports and files, read the
timeline, download the report — as pages for counsellors and as the authenticated ``/api/v1/cases`` API.

Accounts are checked with Argon2id (:mod:`tumar.evidence.users`); sessions are random tokens kept in memory
(a restart logs everyone out) and carried by an HttpOnly, SameSite=Strict cookie or an ``Authorization:
Bearer`` header. Login attempts are rate-limited per client and per name. The evidence store starts locked
unless ``TUMAR_PASSPHRASE`` is set: an admin unlocks it once after a restart; the passphrase is kept only
in memory. Every opening of a case is written to the audit log, and every change to the case's custody log.
"""

from fastapi import APIRouter

from tumar.interfaces.web.site import Site
from tumar.interfaces.web.workspace.access import Access
from tumar.interfaces.web.workspace.api import api_routes
from tumar.interfaces.web.workspace.case_uploads import CASE_UPLOAD_SUFFIXES, MAX_CASE_UPLOAD
from tumar.interfaces.web.workspace.pages import page_routes
from tumar.interfaces.web.workspace.state import Workspace

__all__ = ["CASE_UPLOAD_SUFFIXES", "MAX_CASE_UPLOAD", "Workspace", "workspace_router"]


def workspace_router(site: Site, ws: Workspace) -> APIRouter:
    """The workspace pages, then the workspace API."""
    access = Access(ws)
    router = APIRouter()
    router.include_router(page_routes(site, ws, access))
    router.include_router(api_routes(site, ws, access))
    return router
