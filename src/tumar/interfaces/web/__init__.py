"""The web app and REST API (FastAPI): server-rendered pages in four languages and /api/v1."""

from tumar.interfaces.web.app import create_app

__all__ = ["create_app"]
