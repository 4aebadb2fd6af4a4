"""The HASHLIST file: hashes of a survivor's pictures and videos, and nothing else.

It is what leaves her device, so it holds no pixels, no thumbnails and, unless she asks, no file names.
JSON lines, UTF-8. The first line is a header; every other line is one hash::

    {"format": "tumar-image-hashes", "version": 1, "algorithm": "pdq", "created": "2026-03-08", "names": false}
    {"id": "s1", "source": "s1", "kind": "image", "pdq": "<64 hex>", "quality": 91, "sha256": "<64 hex>"}
    {"id": "s1.c1", "source": "s1", "kind": "variant", "pdq": "<64 hex>", "quality": 90, "crop": [0.05, 0, 1, 1]}
    {"id": "s2.f3", "source": "s2", "kind": "video_frame", "pdq": "<64 hex>", "quality": 77, "sha256": "<64 hex>",
     "time": 12.48}

Fields of a hash line (no others are allowed in version 1):

* ``id`` — unique in the file; ``source`` — the picture or video it comes from (``s1``, ``s2``… in the order
  the files were given; an image's main entry has ``id`` equal to ``source``).
* ``kind`` — ``image`` (the whole picture), ``variant`` (a crop of it; ``crop`` is [left, top, right, bottom] as
  fractions of the width and height) or ``video_frame`` (``time`` is seconds from the start).
* ``pdq`` — the PDQ hash, 64 hex digits as Meta's tools print them; ``quality`` — PDQ quality 0–100.
* ``sha256`` — of the whole file (images and video frames), so an identical copy matches without decoding.
* ``name`` — the file's base name, only if the list was made with names (a name such as ``IMG_2041.jpg`` can
  say when a photo was taken, or who is in it; leave names out when the list goes to someone else).

Reading validates every line and reports the file, line and field of the first problem.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tumar.errors import BadRecordError, InputError, NotFoundError
from tumar.images.pdq import Crop, PdqHash

__all__ = [
    "FORMAT",
    "KINDS",
    "VERSION",
    "EntryKind",
    "HashEntry",
    "HashList",
    "read_hashlist",
    "write_hashlist",
]

FORMAT = "tumar-image-hashes"
VERSION = 1
ALGORITHM = "pdq"
EntryKind = Literal["image", "variant", "video_frame"]
KINDS: tuple[EntryKind, ...] = ("image", "variant", "video_frame")

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_HEADER_FIELDS = {"format", "version", "algorithm", "created", "names"}
_FIELDS = {"id", "source", "kind", "pdq", "quality", "sha256", "name", "time", "crop"}


@dataclass(frozen=True, slots=True)
class HashEntry:
    """One line of a hash list."""

    id: str
    source: str
    kind: EntryKind
    hash: PdqHash
    sha256: str | None = None
    name: str | None = None
    time: float | None = None
    crop: Crop | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "kind": self.kind,
            "pdq": self.hash.hex,
            "quality": self.hash.quality,
        }
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        if self.name is not None:
            out["name"] = self.name
        if self.time is not None:
            out["time"] = round(self.time, 3)
        if self.crop is not None:
            out["crop"] = [round(v, 4) for v in self.crop]
        return out


@dataclass(frozen=True, slots=True)
class HashList:
    """A parsed hash list: its entries in file order, and whether it carries file names."""

    entries: tuple[HashEntry, ...]
    names: bool = False
    created: str = ""

    def sources(self) -> dict[str, HashEntry]:
        """Each source's first whole-file entry (its image, or its first video frame), in file order."""
        out: dict[str, HashEntry] = {}
        for entry in self.entries:
            if entry.kind != "variant" and entry.source not in out:
                out[entry.source] = entry
        return out

    def header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "algorithm": ALGORITHM,
            "created": self.created,
            "names": self.names,
        }

    def lines(self) -> Iterator[str]:
        yield json.dumps(self.header(), ensure_ascii=False)
        for entry in self.entries:
            yield json.dumps(entry.to_json(), ensure_ascii=False)


def write_hashlist(hashlist: HashList, path: str | Path) -> None:
    """Write ``hashlist`` to ``path`` atomically, readable by its owner only."""
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=".tumar-hashes-", dir=target.parent)
    except OSError as exc:
        raise InputError(f"{target}: cannot write the hash list there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for line in hashlist.lines():
                out.write(line + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_hashlist(path: str | Path) -> HashList:
    """Read and validate a hash list; raises BadRecordError naming the line and field of a problem."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{source}: no such hash list") from None
    except IsADirectoryError:
        raise BadRecordError("is a folder, not a hash list", source=source) from None
    except OSError as exc:
        raise BadRecordError(f"cannot read the hash list ({exc.strerror})", source=source) from None
    return parse_hashlist(raw.split(b"\n"), source)


def parse_hashlist(lines: Iterable[bytes], source: str) -> HashList:
    """Validate hash-list ``lines`` (bytes, without or with line ends); ``source`` names them in errors."""
    header: dict[str, Any] | None = None
    entries: list[HashEntry] = []
    seen: dict[str, int] = {}
    whole: set[str] = set()
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        record = _json_object(raw, source, number)
        if header is None:
            header = _check_header(record, source, number)
            continue
        entry = _entry(record, source, number, names=bool(header["names"]))
        if entry.id in seen:
            raise BadRecordError(
                f"duplicate id {entry.id!r} (first on line {seen[entry.id]})",
                source=source,
                line=number,
                field="id",
            )
        seen[entry.id] = number
        if entry.kind == "variant" and entry.source not in whole:
            raise BadRecordError(
                f"variant of source {entry.source!r} before (or without) its image entry",
                source=source,
                line=number,
                field="source",
            )
        if entry.kind == "image":
            whole.add(entry.source)
        entries.append(entry)
    if header is None:
        raise BadRecordError("empty file: not a Tumar hash list", source=source, line=1)
    return HashList(tuple(entries), names=bool(header["names"]), created=str(header.get("created", "")))


def _json_object(raw: bytes, source: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRecordError("not UTF-8 text", source=source, line=number) from None
    except json.JSONDecodeError as exc:
        raise BadRecordError(
            f"broken JSON ({exc.msg} at column {exc.colno})", source=source, line=number
        ) from None
    if not isinstance(record, dict):
        raise BadRecordError("expected a JSON object", source=source, line=number)
    return record


def _check_header(record: dict[str, Any], source: str, number: int) -> dict[str, Any]:
    if record.get("format") != FORMAT:
        raise BadRecordError(
            f'not a Tumar hash list (the first line must have "format": "{FORMAT}")',
            source=source,
            line=number,
            field="format",
        )
    if record.get("version") != VERSION:
        raise BadRecordError(
            f"unsupported version {record.get('version')!r}: this Tumar reads version {VERSION}",
            source=source,
            line=number,
            field="version",
        )
    if record.get("algorithm") != ALGORITHM:
        raise BadRecordError(
            f"unsupported algorithm {record.get('algorithm')!r}: expected {ALGORITHM!r}",
            source=source,
            line=number,
            field="algorithm",
        )
    if not isinstance(record.get("names"), bool):
        raise BadRecordError("must be true or false", source=source, line=number, field="names")
    unknown = sorted(set(record) - _HEADER_FIELDS)
    if unknown:
        raise BadRecordError(f"unknown header field(s): {', '.join(unknown)}", source=source, line=number)
    return record


def _entry(record: dict[str, Any], source: str, number: int, *, names: bool) -> HashEntry:
    def bad(message: str, field: str) -> BadRecordError:
        return BadRecordError(message, source=source, line=number, field=field)

    unknown = sorted(set(record) - _FIELDS)
    if unknown:
        raise bad(f"unknown field(s) in a version {VERSION} hash list", unknown[0])
    for field in ("id", "source"):
        value = record.get(field)
        if not isinstance(value, str) or not value.strip():
            raise bad("missing or not a non-empty string", field)
    kind = record.get("kind")
    if kind not in KINDS:
        raise bad(f"must be one of {', '.join(KINDS)}, not {kind!r}", "kind")
    pdq = record.get("pdq")
    if not isinstance(pdq, str) or not _HEX64.fullmatch(pdq):
        raise bad("must be 64 hex digits (a PDQ hash)", "pdq")
    quality = record.get("quality")
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 100:
        raise bad("must be a whole number from 0 to 100", "quality")
    sha256 = record.get("sha256")
    if kind == "variant":
        if sha256 is not None:
            raise bad("a variant carries no sha256 (its image entry does)", "sha256")
    elif not isinstance(sha256, str) or not _HEX64.fullmatch(sha256):
        raise bad("must be 64 hex digits (the file's SHA-256)", "sha256")
    name = record.get("name")
    if name is not None and (not isinstance(name, str) or "/" in name or "\\" in name):
        raise bad("must be a file's base name (no folders)", "name")
    if name is not None and kind == "variant":
        raise bad("a variant carries no name (its image entry does)", "name")
    if name is not None and not names:
        raise bad('a name in a list whose header says "names": false', "name")
    time = record.get("time")
    if kind == "video_frame":
        if isinstance(time, bool) or not isinstance(time, int | float) or not math.isfinite(time) or time < 0:
            raise bad("a video frame needs its time in seconds (a number ≥ 0)", "time")
    elif time is not None:
        raise bad("only video frames have a time", "time")
    crop = record.get("crop")
    if kind == "variant":
        crop = _crop(crop, bad)
    elif crop is not None:
        raise bad("only variants have a crop", "crop")
    return HashEntry(
        id=record["id"],
        source=record["source"],
        kind=kind,
        hash=PdqHash.from_hex(pdq.lower(), quality),
        sha256=sha256.lower() if isinstance(sha256, str) else None,
        name=name,
        time=float(time) if time is not None else None,
        crop=crop,
    )


def _crop(value: Any, bad: Any) -> Crop:
    if (
        not isinstance(value, list)
        or len(value) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise bad("a variant needs its crop as [left, top, right, bottom]", "crop")
    left, top, right, bottom = (float(v) for v in value)
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise bad("crop edges must be fractions with 0 ≤ left < right ≤ 1 and 0 ≤ top < bottom ≤ 1", "crop")
    return (left, top, right, bottom)
