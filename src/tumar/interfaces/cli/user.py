"""``tumar user``: accounts of the helpline workspace (the first admin is created here)."""

from __future__ import annotations

import os

import click

from tumar.evidence.store import default_database_url, open_database
from tumar.evidence.users import ROLES, UserDirectory


def _directory(ctx: click.Context) -> UserDirectory:
    engine = open_database(ctx.obj["db"])
    ctx.call_on_close(engine.dispose)
    return UserDirectory(engine)


def _new_password() -> str:
    value = os.environ.get("TUMAR_NEW_PASSWORD")
    if value:
        return value
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group()
@click.option(
    "--db", default=None, help="Database URL (default: $TUMAR_DATABASE_URL or the local SQLite file)."
)
@click.pass_context
def user(ctx: click.Context, db: str | None) -> None:
    """Manage workspace accounts: admins and counsellors."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_database_url()


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="counsellor", show_default=True)
@click.pass_context
def add(ctx: click.Context, username: str, role: str) -> None:
    """Create an account (the password is asked for, or taken from $TUMAR_NEW_PASSWORD)."""
    created = _directory(ctx).add(username, _new_password(), role)
    click.echo(f"{created.role} {created.username} created")


@user.command("list")
@click.pass_context
def list_users(ctx: click.Context) -> None:
    """List the accounts."""
    for u in _directory(ctx).all():
        click.echo(f"{u.username:<24} {u.role:<11} {'active' if u.active else 'disabled'}")


@user.command("passwd")
@click.argument("username")
@click.pass_context
def passwd(ctx: click.Context, username: str) -> None:
    """Set a new password."""
    _directory(ctx).set_password(username, _new_password())
    click.echo(f"password of {username} changed")


@user.command("disable")
@click.argument("username")
@click.pass_context
def disable(ctx: click.Context, username: str) -> None:
    """Stop an account from logging in (its audit history stays)."""
    _directory(ctx).set_active(username, False)
    click.echo(f"{username} disabled")
