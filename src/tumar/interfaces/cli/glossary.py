"""``tumar glossary``: search, show and export the knowledge base."""

from __future__ import annotations

from pathlib import Path

import click

from tumar.i18n import t
from tumar.interfaces.cli.common import LANG_OPTION_HELP, echo_json
from tumar.knowledge.booklet import FORMATS, export_booklet, law_json, law_line
from tumar.knowledge.loader import load_knowledge_base
from tumar.knowledge.search import search_forms
from tumar.languages import check_language


@click.group()
def glossary() -> None:
    """The 27 forms of digital violence: search, show, export."""


@glossary.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--lang", "lang", default=None, help=LANG_OPTION_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 27))
def search(query: tuple[str, ...], lang: str | None, as_json: bool, limit: int) -> None:
    """Find forms by name, alias, Latin spelling or a typo, best match first."""
    display = check_language(lang)
    kb = load_knowledge_base()
    hits = search_forms(" ".join(query), lang=lang, limit=limit)
    if as_json:
        echo_json(
            [
                {
                    "id": h.form_id,
                    "name": kb.forms[h.form_id].t(display).name,
                    "group": kb.forms[h.form_id].group,
                    "score": round(h.score, 1),
                    "matched": h.matched,
                    "matched_lang": h.matched_lang,
                    "field": h.field,
                }
                for h in hits
            ]
        )
        return
    if not hits:
        click.echo(t("no_results", display))
        return
    for rank, hit in enumerate(hits, 1):
        form = kb.forms[hit.form_id]
        click.echo(f"{rank:>2}. {form.t(display).name}  [{form.id}]  {hit.score:.0f}")


@glossary.command()
@click.argument("form_id")
@click.option("--lang", "lang", default=None, help=LANG_OPTION_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(form_id: str, lang: str | None, as_json: bool) -> None:
    """Everything the glossary says about one form."""
    display = check_language(lang)
    kb = load_knowledge_base()
    form = kb.form(form_id)
    text = form.t(display)
    laws = kb.laws_for(form.id)
    cases = kb.cases_for(form.id)
    if as_json:
        echo_json(
            {
                "id": form.id,
                "group": form.group,
                "severity": form.severity,
                "language": display,
                **text.model_dump(),
                "related": list(form.related),
                "cases": [
                    {"id": c.id, "title": c.title.get(display), "story": c.story.get(display)} for c in cases
                ],
                "laws": [law_json(x, display) for x in laws],
                "help": [
                    {"id": h.id, "country": h.country, "name": h.name.get(display), "contact": h.contact}
                    for h in kb.help_services
                ],
            }
        )
        return
    lines = [
        f"{text.name}  [{form.id}]",
        f"{t('group', display)}: {kb.groups[form.group].name.get(display)}",
        f"{t('severity', display)}: {t('severity_' + form.severity, display)}",
        f"{t('aliases', display)}: {', '.join(text.aliases)}",
        "",
    ]
    if text.etymology:
        lines += [f"{t('etymology', display)}: {text.etymology}", ""]
    lines += [f"{t('definition', display)}:", f"  {text.definition}", ""]
    for key, items in (("how", text.how), ("red_flags", text.red_flags), ("what_to_do", text.what_to_do)):
        if items:
            lines += [f"{t(key, display)}:", *[f"  - {i}" for i in items], ""]
    for case in cases:
        lines += [f"{t('cases', display)}: {case.title.get(display)}", f"  {case.story.get(display)}", ""]
    if laws:
        lines += [
            f"{t('laws', display)}:",
            *[f"  - {law_line(x, display)}" for x in laws],
            f"  {t('legal_disclaimer', display)}",
            "",
        ]
    if form.related:
        lines.append(
            f"{t('related', display)}: " + ", ".join(kb.forms[r].t(display).name for r in form.related)
        )
    lines += ["", f"{t('help', display)}:"]
    lines += [
        f"  - {h.name.get(display)}" + (f": {h.contact}" if h.contact else "") for h in kb.help_services
    ]
    click.echo("\n".join(lines))


@glossary.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--lang", "lang", default=None, help=LANG_OPTION_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export(fmt: str, lang: str | None, output: Path | None) -> None:
    """Write the whole glossary as a printable booklet, terms in alphabetical order."""
    text = export_booklet(load_knowledge_base(), check_language(lang), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output} ({len(text.encode('utf-8'))} bytes)", err=True)
