"""``tumar batch``: analyse a large set of messages on Apache Spark (local mode by default)."""

from __future__ import annotations

import json

import click

from tumar.analysis.finding import SEVERITIES
from tumar.batch.job import BatchOptions, BatchReport
from tumar.batch.sources import FORMATS, OUTPUT_FORMATS
from tumar.errors import InputError
from tumar.interfaces.cli.common import LANG_OPTION_HELP


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    required=True,
    help="The folder to create: results in part files, unreadable rows in _errors/.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="jsonl",
    show_default=True,
    help="Write the results as JSON lines (as `tumar analyze --jsonl`) or as a Parquet table.",
)
@click.option(
    "--input-format",
    type=click.Choice(FORMATS),
    default=None,
    help="Format of the inputs (default: from the file names: .jsonl, .csv, .parquet).",
)
@click.option("--fast", is_flag=True, help="Lexicon and pattern recognizers only (no embedding model).")
@click.option("--lang", default=None, help="Language of the rows that do not name one: ky, ru, kk or en.")
@click.option("--explain-lang", default=None, help="Language of the explanations. " + LANG_OPTION_HELP)
@click.option(
    "--text-column", default="text", show_default=True, help="The field or column that holds the text."
)
@click.option(
    "--id-column", default=None, help="The field or column that holds the ids (default: id, if any)."
)
@click.option(
    "--master",
    default="local[*]",
    show_default=True,
    help="Spark master: local[N] on this machine, or a cluster URL such as spark://host:7077.",
)
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    default=None,
    help="Split the work into N parts (default: at least twice the cores).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def batch(
    inputs: tuple[str, ...],
    output: str,
    output_format: str,
    input_format: str | None,
    fast: bool,
    lang: str | None,
    explain_lang: str | None,
    text_column: str,
    id_column: str | None,
    master: str,
    partitions: int | None,
    as_json: bool,
) -> None:
    """Analyse every message in INPUT files (JSON lines {id, text, lang?}, CSV or Parquet; a folder stands
    for the files in it) on Apache Spark, and write one result per message into the new folder OUTPUT.

    A row that cannot be read is named (file, line or row, field) on stderr and in OUTPUT/_errors/; the other
    rows are analysed all the same, and the exit code is non-zero at the end. Needs Java 17 or newer.
    """
    options = BatchOptions(
        fast=fast,
        lang=lang,
        explain_lang=explain_lang,
        text_column=text_column,
        id_column=id_column,
        output_format=output_format,
        input_format=input_format,
        partitions=partitions,
    ).checked()
    from tumar.batch.spark import SparkRunner  # Spark is loaded only for this command

    with SparkRunner(master) as spark:
        report = spark.run(list(inputs), output, options)
    for error in report.errors:
        click.echo(f"tumar: error: {error.message}", err=True)
    failed = report.summary.failed
    if failed > len(report.errors):
        click.echo(f"tumar: … and {failed - len(report.errors)} more in {report.errors_path}", err=True)
    if as_json:
        click.echo(json.dumps(_summary_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(render(report))
    if failed:
        raise InputError(f"{failed} input row(s) could not be analysed (see {report.errors_path})")


def _summary_json(report: BatchReport) -> dict[str, object]:
    return {
        "output": report.output,
        "format": report.output_format,
        "files": report.files,
        "seconds": round(report.seconds, 1),
        **report.summary.to_json(),
    }


def render(report: BatchReport) -> str:
    """The summary of a batch, readable."""
    s = report.summary
    rate = s.analysed / report.seconds if report.seconds else 0.0
    lines = [
        f"Analysed {s.analysed} message(s) from {report.files} file(s) in {report.seconds:.1f} s "
        f"({rate:.1f} messages/s); {s.failed} row(s) could not be read.",
        f"Results ({report.output_format}): {report.output}",
        f"Urgent: {s.urgent}",
        "Severity: " + ", ".join(f"{name} {s.severities[name]}" for name in SEVERITIES),
        "Languages: " + (", ".join(f"{k} {v}" for k, v in s.to_json()["languages"].items()) or "-"),
    ]
    forms = s.to_json()["forms"]
    lines.append("Forms:" + ("" if forms else " none found"))
    width = max((len(f) for f in forms), default=0)
    lines += [f"  {form:<{width}}  {count:>9}" for form, count in forms.items()]
    pii = s.to_json()["pii"]
    if pii:
        lines.append("Personal data: " + ", ".join(f"{k} {v}" for k, v in pii.items()))
    return "\n".join(lines)
