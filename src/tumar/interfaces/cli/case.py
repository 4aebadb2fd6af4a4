"""``tumar case``: the evidence locker — cases, items, notes, custody, export, verify and report."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click

from tumar.errors import InputError
from tumar.evidence.ingest import form_ids, item_json
from tumar.evidence.store import EvidenceStore, ItemInfo, default_database_url
from tumar.interfaces.cli.common import echo_json

_DB_HELP = "Database URL (default: $TUMAR_DATABASE_URL or an SQLite file in ~/.local/share/tumar)."


def _passphrase(confirm: bool) -> str:
    value = os.environ.get("TUMAR_PASSPHRASE")
    if value:
        return value
    return str(click.prompt("Passphrase of the evidence store", hide_input=True, confirmation_prompt=confirm))


def _store_exists(url: str) -> bool:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return path.exists() and path.stat().st_size > 0
    return True


def _open(ctx: click.Context, create: bool = False) -> EvidenceStore:
    url = ctx.obj["db"]
    fresh = create and not _store_exists(url)
    store = EvidenceStore.open(_passphrase(confirm=fresh), url, create=create)
    ctx.call_on_close(store.close)
    return store


def _actor(ctx: click.Context) -> str:
    return str(ctx.obj["actor"])


@click.group()
@click.option("--db", "db", default=None, help=_DB_HELP)
@click.option(
    "--actor", default=None, help="Who is acting, for the custody log (default: $TUMAR_ACTOR or your login)."
)
@click.pass_context
def case(ctx: click.Context, db: str | None, actor: str | None) -> None:
    """Keep evidence in an encrypted, tamper-evident case file.

    The passphrase comes from $TUMAR_PASSPHRASE or a prompt. Without it nothing in the store can be read.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_database_url()
    ctx.obj["actor"] = actor or os.environ.get("TUMAR_ACTOR") or getpass.getuser()


@case.command("new")
@click.argument("title")
@click.option("--description", default="", help="A few words about the case.")
@click.pass_context
def new(ctx: click.Context, title: str, description: str) -> None:
    """Open a new case and print its id."""
    store = _open(ctx, create=True)
    info = store.create_case(title, actor=_actor(ctx), description=description)
    click.echo(info.id)


@case.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_cases(ctx: click.Context, as_json: bool) -> None:
    """List the cases."""
    cases = _open(ctx).cases()
    if as_json:
        echo_json(
            [
                {"id": c.id, "title": c.title, "created_at": c.created_at.isoformat(), "items": c.items}
                for c in cases
            ]
        )
        return
    if not cases:
        click.echo("No cases yet: `tumar case new TITLE` opens one.")
    for c in cases:
        click.echo(f"{c.id}  {c.created_at:%Y-%m-%d}  {c.items:>4} items  {c.title}")


@case.command("show")
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, case_id: str, as_json: bool) -> None:
    """Show a case: its items with hashes, what was found, and the custody log."""
    store = _open(ctx)
    info = store.case(case_id)
    items = store.items(case_id)
    custody = store.custody(case_id)
    store.log_action(case_id, _actor(ctx), "viewed")
    if as_json:
        echo_json(
            {
                "id": info.id,
                "title": info.title,
                "description": info.description,
                "created_at": info.created_at.isoformat(),
                "items": [item_json(i) for i in items],
                "custody": [e.to_json() for e in custody],
            }
        )
        return
    click.echo(f"Case {info.id}: {info.title}")
    if info.description:
        click.echo(f"  {info.description}")
    click.echo(f"  opened {info.created_at:%Y-%m-%d %H:%M} UTC by {info.created_by}")
    click.echo(f"\nEvidence ({len(items)} items):")
    for i in items:
        analysis = i.summary.get("analysis") or {}
        extra = f", {i.messages} messages" if i.messages else ""
        forms = form_ids(analysis)
        found = f" — found: {', '.join(forms)}" if forms else ""
        click.echo(f"  {i.id}  {i.kind:<10} {i.name} ({i.size} bytes{extra}){found}")
        click.echo(f"             sha256 {i.sha256}")
    click.echo(f"\nCustody log ({len(custody)} entries):")
    for e in custody:
        click.echo(
            f"  {e.seq:>3}  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<12} {e.action:<14} {e.item_id or '':<10} {e.hash[:12]}"
        )


@case.command("add")
@click.argument("case_id")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["chat", "file", "screenshot", "image_match"]),
    default=None,
    help="What the files are (default: chat exports are recognised, other files are files).",
)
@click.option("--text", default=None, help="Add a message you received, pasted as text.")
@click.option("--fast", is_flag=True, help="Analyse with lexicons only (no embedding model).")
@click.option("--no-analyze", is_flag=True, help="Store without analysing.")
@click.option("--explain-lang", default="en", help="Language of the stored explanations.")
@click.option("--owner", default=None, help="Your own name in the chat (never taken for the abuser).")
@click.pass_context
def add(
    ctx: click.Context,
    case_id: str,
    paths: tuple[Path, ...],
    kind: str | None,
    text: str | None,
    fast: bool,
    no_analyze: bool,
    explain_lang: str,
    owner: str | None,
) -> None:
    """Add chat exports, files, screenshots or a pasted message to a case; each is hashed at once."""
    from tumar.analysis.analyzer import default_analyzer
    from tumar.evidence.ingest import add_path, add_text
    from tumar.languages import check_language

    check_language(explain_lang)
    if not paths and text is None:
        raise InputError("give files to add, or --text 'the message'")
    store = _open(ctx)
    store.case(case_id)
    analyzer = None if no_analyze else default_analyzer(fast)
    for path in paths:
        for item in add_path(
            store,
            case_id,
            path,
            actor=_actor(ctx),
            kind=kind,
            analyzer=analyzer,
            explain_lang=explain_lang,
            owner=owner,
        ):
            click.echo(_describe(item))
    if text is not None:
        click.echo(
            _describe(
                add_text(
                    store, case_id, text, actor=_actor(ctx), analyzer=analyzer, explain_lang=explain_lang
                )
            )
        )


def _describe(item: ItemInfo) -> str:
    analysis = item.summary.get("analysis") or {}
    forms = form_ids(analysis)
    extra = f", {item.messages} messages" if item.messages else ""
    found = f"; found: {', '.join(forms)}" if forms else ""
    urgent = " URGENT" if analysis.get("urgent") else ""
    return f"added {item.id} {item.kind} {item.name} ({item.size} bytes{extra}) sha256 {item.sha256[:16]}…{found}{urgent}"


@case.command("note")
@click.argument("case_id")
@click.argument("text")
@click.pass_context
def note(ctx: click.Context, case_id: str, text: str) -> None:
    """Add a note (what happened, what was reported where) to a case."""
    item = _open(ctx).add_note(case_id, text, actor=_actor(ctx))
    click.echo(f"note {item.id} added")


def _report(store: EvidenceStore, case_id: str, lang: str, fmt: str) -> bytes:
    from tumar.evidence.report import build_report_data
    from tumar.reports.render import render_html, render_pdf

    data = build_report_data(store, case_id, lang)
    return render_pdf(data, lang) if fmt == "pdf" else render_html(data, lang).encode("utf-8")


@case.command("report")
@click.argument("case_id")
@click.option("--lang", default="ky", help="Language of the report: ky, ru, kk or en.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="pdf")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.pass_context
def report(ctx: click.Context, case_id: str, lang: str, fmt: str, output: Path) -> None:
    """Write the case report for a lawyer or the police (HTML or PDF)."""
    store = _open(ctx)
    data = _report(store, case_id, lang, fmt)
    output.write_bytes(data)
    store.log_action(
        case_id, _actor(ctx), "report_written", None, {"format": fmt, "lang": lang, "file": output.name}
    )
    click.echo(f"report written to {output} ({len(data)} bytes)")


@case.command("export")
@click.argument("case_id")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--lang", default="ky", help="Language of the report inside the bundle.")
@click.option("--pdf/--no-pdf", default=True, help="Also put the PDF report in the bundle.")
@click.pass_context
def export(ctx: click.Context, case_id: str, output: Path, lang: str, pdf: bool) -> None:
    """Write a bundle (manifest, hashes, custody log, report, originals) that `verify` checks offline."""
    from tumar.evidence.bundle import export_bundle

    store = _open(ctx)
    html = _report(store, case_id, lang, "html").decode("utf-8")
    pdf_bytes = _report(store, case_id, lang, "pdf") if pdf else None
    path = export_bundle(store, case_id, output, actor=_actor(ctx), report_html=html, report_pdf=pdf_bytes)
    click.echo(f"bundle written to {path}")
    click.echo("It holds the originals in the clear: keep it as safe as the evidence itself.")


@case.command("verify")
@click.argument("target")
@click.pass_context
def verify(ctx: click.Context, target: str) -> None:
    """Verify a bundle offline (a .zip) or a case in the store (its id). Exit code 3 if anything changed."""
    if Path(target).is_file():
        from tumar.evidence.bundle import verify_bundle

        result = verify_bundle(target)
        for line in result.lines:
            click.echo(line)
        click.echo(
            f"OK: bundle of case {result.case_id} ({result.items} items, {result.files} files) is intact."
        )
        return
    store = _open(ctx)
    for line in store.verify(target):
        click.echo(line)
    store.log_action(target, _actor(ctx), "verified")
    click.echo(f"OK: case {target} is intact.")
