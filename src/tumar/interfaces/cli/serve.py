"""``tumar serve``: the web app and REST API on this machine."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost by default)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Start the web app (pages in ky/ru/kk/en and the /api/v1 REST API)."""
    import uvicorn

    from tumar.interfaces.web import create_app

    click.echo(f"Tumar is running at http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", access_log=False)
