"""Where a batch comes from and where it goes: input paths and their formats, the output folder.

Plain Python: paths are checked here (a missing local file is an :class:`~tumar.errors.InputError` before any
work starts) and handed to the Spark adapter as :class:`Source` values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from tumar.errors import InputError

__all__ = ["FORMATS", "OUTPUT_FORMATS", "Source", "check_output", "display_name", "format_of", "plan_sources"]

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
OUTPUT_FORMATS: tuple[str, ...] = ("jsonl", "parquet")

_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_COMPRESSED = (".gz", ".bz2")  # Spark reads these text files compressed
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/")  # hdfs://, s3a://, file:/ … (not C:\ on Windows)


@dataclass(frozen=True)
class Source:
    """One input: an absolute local path or a URL Spark can read (``hdfs://``, ``s3a://`` …), and its format."""

    path: str
    format: str


def is_url(path: str) -> bool:
    return bool(_URL.match(path)) and not re.match(r"^[A-Za-z]:[\\/]", path)


def format_of(name: str) -> str | None:
    """The format a file name says (``comments.csv.gz`` → csv), or ``None``."""
    lower = name.lower()
    for suffix in _COMPRESSED:
        lower = lower.removesuffix(suffix)
    return _SUFFIXES.get(os.path.splitext(lower)[1])


def _visible(name: str) -> bool:
    return not name.startswith((".", "_"))  # Spark's own markers (_SUCCESS) and hidden files


def _files_in(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if _visible(d))
        found += [Path(root, f) for f in sorted(files) if _visible(f)]
    return found


def _source(path: str, given: str, input_format: str | None) -> Source:
    fmt = input_format or format_of(path)
    if fmt is None:
        raise InputError(
            f"{given}: cannot tell the input format from the name; use .jsonl, .csv or .parquet, "
            "or give --input-format"
        )
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}: use one of {', '.join(FORMATS)}")
    return Source(path, fmt)


def plan_sources(inputs: Sequence[str], input_format: str | None = None) -> list[Source]:
    """The files to read. A local folder stands for the files inside it (hidden and ``_`` files left out);
    a URL is passed to Spark as it is."""
    if not inputs:
        raise InputError("no input: give one or more JSONL, CSV or Parquet files")
    sources: list[Source] = []
    for given in inputs:
        if is_url(given):
            sources.append(_source(given, given, input_format))
            continue
        path = Path(given).expanduser()
        if path.is_dir():
            files = _files_in(path)
            if not files:
                raise InputError(f"{given}: the folder holds no input files")
            sources += [_source(str(f.resolve()), str(f), input_format) for f in files]
        elif path.is_file():
            sources.append(_source(str(path.resolve()), given, input_format))
        elif path.exists():
            raise InputError(f"cannot read {given}: not a file or folder")
        else:
            raise InputError(f"cannot read {given}: no such file or folder")
    return list(dict.fromkeys(sources))  # a file given twice is read once


def check_output(output: str) -> None:
    """A local output folder must not exist yet (Spark would refuse it, or with overwrite delete it)."""
    if not output.strip():
        raise InputError("the output folder is empty: give -o FOLDER")
    if not is_url(output) and Path(output).expanduser().exists():
        raise InputError(f"{output} already exists: give a new output folder")


def display_name(uri: str, cwd: str) -> str:
    """How an input file is named in errors: a local file relative to ``cwd`` when it is inside it."""
    if not uri.startswith("file:"):
        return uri
    path = unquote(re.sub(r"^file:(//)?", "", uri))
    if not path.startswith("/"):
        path = "/" + path
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel
