"""``tumar analyze``: one text, or a batch of JSON lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

import click

from tumar.analysis.analyzer import Analyzer, default_analyzer
from tumar.analysis.finding import Analysis
from tumar.errors import BadRecordError, InputError
from tumar.i18n import t
from tumar.interfaces.cli.common import LANG_OPTION_HELP
from tumar.knowledge.loader import load_knowledge_base
from tumar.languages import check_language

BATCH = 64


@click.command()
@click.argument("text", required=False)
@click.option("--lang", default=None, help="Language of the text, if known: ky, ru, kk or en.")
@click.option("--explain-lang", default=None, help="Language of the explanations. " + LANG_OPTION_HELP)
@click.option(
    "--jsonl", "jsonl", is_flag=True, help="Batch: read JSON lines {id, text, lang?} from FILE or stdin."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--fast", is_flag=True, help="Lexicon and pattern recognizers only (no embedding model).")
def analyze(
    text: str | None, lang: str | None, explain_lang: str | None, jsonl: bool, as_json: bool, fast: bool
) -> None:
    """Recognise forms of digital violence in TEXT and explain them.

    With --jsonl, TEXT is taken as the input FILE (or - / nothing for stdin) and one JSON line is written
    per input line, same id, same order.
    """
    if lang is not None:
        lang = check_language(lang)
    if explain_lang is not None:
        explain_lang = check_language(explain_lang)
    analyzer = default_analyzer(fast)
    if jsonl:
        name = text if text and text != "-" else "-"
        try:
            source = click.open_file(name, "rb")
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror}") from None
        with source:
            failures = _run_jsonl(analyzer, source, "stdin" if name == "-" else name, explain_lang)
        if failures:
            raise InputError(f"{failures} input line(s) could not be analysed (see the messages above)")
        return
    if text is None or not text.strip():
        raise InputError("the text is empty: give a message to analyse, or --jsonl FILE")
    result = analyzer.analyze(text, lang, explain_lang=explain_lang)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(result, explain_lang or _display_lang(result)))


def _display_lang(result: Analysis) -> str:
    return result.language if result.language in ("ky", "ru", "kk", "en") else "ru"


def render(result: Analysis, lang: str) -> str:
    """A readable report of one analysis in ``lang``."""
    kb = load_knowledge_base()
    lines = [
        f"{t('severity', lang)}: {t('severity_' + result.severity, lang)}"
        + ("  ⚠" if result.urgent else "")
        + f"   [{result.language}]"
    ]
    if result.urgent:
        lines.append(t("urgent_note", lang))
    elif not result.findings:
        lines.append(t("no_findings", lang))
    for finding in result.findings:
        lines += [
            "",
            f"● {kb.form(finding.form).t(lang).name} ({finding.form}) — {finding.confidence:.0%}",
            f"  {finding.explanation}",
        ]
    if result.pii:
        lines += ["", t("pii_found", lang) + ": " + ", ".join(f"{p.type} «{p.text}»" for p in result.pii)]
    if result.findings or result.urgent:
        lines += ["", f"{t('help', lang)}:"]
        for country in ("KG", "KZ"):
            contacts = [f"{h.name.get(lang)}: {h.contact}" for h in kb.help_for(country) if h.contact]
            lines.append(f"  {t('country_' + country, lang)}: " + "; ".join(contacts))
    return "\n".join(lines)


def _records(stream: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, Any] | BadRecordError]]:
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield n, BadRecordError("not UTF-8 text", source=name, line=n)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, BadRecordError(f"broken JSON ({exc.msg} at column {exc.colno})", source=name, line=n)
            continue
        if not isinstance(record, dict):
            yield n, BadRecordError("expected a JSON object", source=name, line=n)
        elif not isinstance(record.get("text"), str):
            yield n, BadRecordError("missing or not a string", source=name, line=n, field="text")
        elif record.get("lang") not in (None, "ky", "ru", "kk", "en"):
            yield (
                n,
                BadRecordError(f"unsupported language {record['lang']!r}", source=name, line=n, field="lang"),
            )
        else:
            yield n, record


def _run_jsonl(analyzer: Analyzer, stream: IO[bytes], name: str, explain_lang: str | None) -> int:
    failures = 0
    pending: list[tuple[int, dict[str, Any] | BadRecordError]] = []

    def flush() -> None:
        good = [(r.get("id"), r["text"], r.get("lang")) for _, r in pending if isinstance(r, dict)]
        results = iter(analyzer.analyze_batch(good, explain_lang=explain_lang)) if good else iter(())
        for n, record in pending:
            if isinstance(record, BadRecordError):
                click.echo(f"tumar: error: {record}", err=True)
                click.echo(json.dumps({"id": None, "line": n, "error": str(record)}, ensure_ascii=False))
            else:
                click.echo(json.dumps(next(results).to_json(), ensure_ascii=False))
        pending.clear()

    for n, record in _records(stream, name):
        failures += isinstance(record, BadRecordError)
        pending.append((n, record))
        if len(pending) >= BATCH:
            flush()
    flush()
    return failures
