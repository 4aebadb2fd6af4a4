"""``tumar chat``: analyse an exported conversation as a whole."""

from __future__ import annotations

from pathlib import Path

import click

from tumar.analysis.analyzer import default_analyzer
from tumar.chats.conversation import ConversationAnalysis, analyze_conversation
from tumar.chats.importers import open_export
from tumar.chats.wording import describe, label, when
from tumar.i18n import t
from tumar.interfaces.cli.common import LANG_OPTION_HELP, echo_json
from tumar.knowledge.loader import load_knowledge_base
from tumar.languages import check_language

TIMELINE_LIMIT = 200  # abusive messages listed in the readable summary (--json has all)
TEXT_WIDTH = 70  # characters of a message shown in the timeline


@click.group()
def chat() -> None:
    """Chats: analyse an exported conversation (Telegram, WhatsApp or plain text)."""


@chat.command("analyze")
@click.argument("export", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--lang", default=None, help="Language of the messages, if known: ky, ru, kk or en.")
@click.option(
    "--explain-lang", default=None, help="Language of the summary and explanations. " + LANG_OPTION_HELP
)
@click.option("--fast", is_flag=True, help="Lexicon and pattern recognizers only (no embedding model).")
@click.option("--owner", default=None, help="Your name as the chat shows it: never named the abuser.")
def analyze(
    export: Path, as_json: bool, lang: str | None, explain_lang: str | None, fast: bool, owner: str | None
) -> None:
    """Find the abuse that shows across a chat: contact after "stop", floods, escalation, repeated
    demands, threats, grooming — and the forms and likely abuser they point to.

    EXPORT is a Telegram result.json, a WhatsApp chat .txt, a folder or .zip of either, or a plain text file.
    """
    if lang is not None:
        lang = check_language(lang)
    display = check_language(explain_lang)
    analyzer = default_analyzer(fast)
    with open_export(export) as opened:
        result = analyze_conversation(
            opened.messages(), analyzer, lang=lang, explain_lang=display, owner=owner
        )
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(render(result, display))


def _shorten(text: str, width: int = TEXT_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def render(result: ConversationAnalysis, lang: str) -> str:
    """A readable summary of a conversation analysis in ``lang``."""
    kb = load_knowledge_base()
    first, last = result.period
    year = bool(first and last and first.year != last.year)
    lines = [
        label("title", lang, chat=result.chat or "—"),
        label(
            "counts",
            lang,
            count=len(result.messages),
            analyzed=result.analyzed,
            first=when(first, lang, year=True),
            last=when(last, lang, year=True),
        ),
    ]
    if result.urgent:
        lines += ["", "⚠ " + label("urgent", lang)]
    abusive = result.abusive
    if result.abuser:
        lines += ["", label("abuser", lang, name=result.abuser)]
    if not abusive and not result.forms:
        lines += ["", label("nothing", lang)]
    if result.forms:
        lines += ["", label("forms", lang) + ":"]
        lines += [f"● {form.explanation}" for form in result.forms]
    if result.patterns:
        lines += ["", label("patterns", lang) + ":"]
        lines += [f"- {describe(p, lang)}" for p in result.patterns]
    if abusive:
        lines += ["", label("timeline", lang) + ":"]
        for message in abusive[:TIMELINE_LIMIT]:
            stamp = when(message.date, lang, year=year) or label("no_date", lang)
            names = [kb.form(f.form).t(lang).name for f in message.findings]
            if message.urgent and not names:
                names = [label("threat", lang)]
            mark = " ⚠" if message.urgent else ""
            lines.append(
                f"{stamp}  {message.sender or '—'}{mark}  [{', '.join(names)}]  «{_shorten(message.text)}»"
            )
        if len(abusive) > TIMELINE_LIMIT:
            lines.append(label("more", lang, count=len(abusive) - TIMELINE_LIMIT))
    if result.forms or result.urgent:
        lines += ["", f"{t('help', lang)}:"]
        for country in ("KG", "KZ"):
            contacts = [f"{h.name.get(lang)}: {h.contact}" for h in kb.help_for(country) if h.contact]
            lines.append(f"  {t('country_' + country, lang)}: " + "; ".join(contacts))
    return "\n".join(lines)
