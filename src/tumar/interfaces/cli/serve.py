"""``tumar serve``: the web app and REST API on this machine."""

from __future__ import annotations

import os

import click


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost by default)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--db",
    default=None,
    help="Database of the helpline workspace (default: $TUMAR_DATABASE_URL or the local SQLite file).",
)
def serve(host: str, port: int, db: str | None) -> None:
    """Start the web app (pages in ky/ru/kk/en, the helpline workspace and the /api/v1 REST API).

    The workspace's evidence store starts locked unless $TUMAR_PASSPHRASE is set; an admin (created with
    `tumar user add NAME --role admin`) unlocks it from the workspace page.
    """
    import uvicorn

    from tumar.interfaces.web import create_app
    from tumar.interfaces.web.workspace import Workspace

    workspace = Workspace(db, passphrase=os.environ.get("TUMAR_PASSPHRASE"))
    click.echo(f"Tumar is running at http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    click.echo(f"Helpline workspace: http://{host}:{port}/workspace", err=True)
    uvicorn.run(create_app(workspace=workspace), host=host, port=port, log_level="warning", access_log=False)
