"""Finding the pictures and videos under what the user points at: files, folders, zip archives, chat exports.

A Telegram export (``result.json`` with ``photos/``, ``video_files/``, ``files/``…) is a folder like any other.
Files are recognised by their first bytes, not their names; files that are neither pictures, videos nor zip
archives (the export's JSON, HTML and CSS, voice notes) are counted and passed over in silence. Anything that
looks like media but cannot be used is listed as :class:`Skipped` with the reason, and the scan goes on:

* **symlinks**: followed, but a folder reached a second time (a symlink loop, or one folder linked twice) is
  not walked again, and a self-referencing or broken link is reported;
* **zip archives** are read in place, never extracted to disk. Caps against zip bombs (all in
  :class:`ScanLimits`): the size of one member, the compression ratio of a member over 1 MiB, the total
  uncompressed size read from one archive (nested ones included), the number of members, and the nesting depth
  (by default an archive inside an archive is reported, not opened). A member is read at most to the size its
  header declares, so a lying header cannot make it bigger;
* **huge pictures** are refused by their header before any pixel is decoded (see ``picture.py``).
"""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tumar.errors import ImportFormatError, NotFoundError
from tumar.images.picture import DEFAULT_MAX_PIXELS, describe_error

__all__ = [
    "IMAGE_SUFFIXES",
    "VIDEO_SUFFIXES",
    "Locator",
    "MediaKind",
    "MediaReader",
    "ScanItem",
    "ScanLimits",
    "ScanPlan",
    "Skipped",
    "plan_scan",
    "read_member",
    "skip_reason",
    "sniff",
]

MediaKind = Literal["image", "video"]
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jfif", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif"}
)
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".3gp", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts"})
HEAD = 64
MiB = 1 << 20
RATIO_FLOOR = MiB  # members smaller than this are never called bombs, whatever their ratio


@dataclass(frozen=True, slots=True)
class ScanLimits:
    """Caps that keep a hostile folder or archive from exhausting memory, disk or time."""

    max_pixels: int = DEFAULT_MAX_PIXELS  # per picture or video frame
    max_file_bytes: int = 1024 * MiB  # a picture file read into memory (videos on disk are streamed)
    max_member_bytes: int = 512 * MiB  # one archive member, read into memory
    max_archive_bytes: int = 8192 * MiB  # all members read from one archive, nested archives included
    max_ratio: float = 100.0  # uncompressed ÷ compressed size of a member over 1 MiB
    max_members: int = 100_000  # members of one archive
    max_zip_depth: int = 1  # 1: archives are opened, archives inside them are not
    max_video_frames: int = 500_000  # frames decoded from one video (~5.5 hours at 25 frames/s)


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a file is: an absolute path, and the member names inside (nested) zip archives, outermost first."""

    path: Path
    members: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """``/abs/path.jpg``, or ``/abs/dump.zip!photos/a.jpg`` for a member (``!`` separates each level)."""
        return "!".join([str(self.path), *self.members])


@dataclass(frozen=True, slots=True)
class ScanItem:
    """A picture or video found by the scan."""

    locator: Locator
    kind: MediaKind
    size: int

    @property
    def display(self) -> str:
        return self.locator.display


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that looked like media (or a link, folder or archive) but was not used, and why."""

    file: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ScanPlan:
    """What a scan will read: the media items in order, what was skipped, and how many other files it saw."""

    items: tuple[ScanItem, ...]
    skipped: tuple[Skipped, ...]
    ignored: int


def skip_reason(error: ImportFormatError) -> str:
    """The message of ``error`` without the file name it starts with."""
    prefix = error.source + (f", {error.position}" if error.position else "") + ": "
    text = str(error)
    return text[len(prefix) :] if text.startswith(prefix) else text


def sniff(head: bytes) -> str | None:
    """What the first bytes say: "image", "video", "zip", "heic" (a picture format Tumar cannot read) or None."""
    if head.startswith(
        (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
    ):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "image"
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            return "heic"
        return "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "video"
    if head.startswith(b"\x00\x00\x01\xba") or head.startswith(
        b"\x00\x00\x01\xb3"
    ):  # MPEG program/elementary
        return "video"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    return None


@dataclass
class _Walk:
    limits: ScanLimits
    items: list[ScanItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: int = 0
    seen: dict[tuple[int, int], str] = field(default_factory=dict)

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append(Skipped(where, reason))


def plan_scan(targets: Iterable[str | Path], limits: ScanLimits | None = None) -> ScanPlan:
    """List the media under ``targets`` (files, folders, zip archives). Raises NotFoundError for a missing target."""
    walk = _Walk(limits or ScanLimits())
    paths = [Path(t) for t in targets]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise NotFoundError(f"{path}: no such file or folder")
    for path in paths:
        _visit(Path(os.path.abspath(path)), walk)
    return ScanPlan(tuple(walk.items), tuple(walk.skipped), walk.ignored)


def _visit(path: Path, walk: _Walk) -> None:
    where = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            walk.skip(where, "symlink loop: the link leads back to itself")
        elif exc.errno == errno.ENOENT:
            walk.skip(where, "broken symlink: its target does not exist")
        else:
            walk.skip(where, f"cannot read ({exc.strerror})")
        return
    key = (info.st_dev, info.st_ino)
    if key in walk.seen:
        what = "folder" if stat.S_ISDIR(info.st_mode) else "file"
        walk.skip(where, f"symlink loop or second link: this {what} was already scanned as {walk.seen[key]}")
        return
    walk.seen[key] = where
    if stat.S_ISDIR(info.st_mode):
        try:
            children = sorted(os.listdir(path))
        except OSError as exc:
            walk.skip(where, f"cannot list this folder ({exc.strerror})")
            return
        for child in children:
            _visit(path / child, walk)
    elif stat.S_ISREG(info.st_mode):
        _visit_file(path, info.st_size, walk)
    else:
        walk.skip(where, "not a regular file (a device, pipe or socket)")


def _visit_file(path: Path, size: int, walk: _Walk) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError as exc:
        walk.skip(str(path), f"cannot read ({exc.strerror})")
        return
    kind = _classify(head, path.name, size, str(path), walk)
    if kind == "zip":
        if walk.limits.max_zip_depth < 1:
            walk.skip(str(path), "zip archive not opened (archives are switched off)")
            return
        try:
            with zipfile.ZipFile(path) as archive:
                _visit_archive(archive, Locator(path), 1, _Budget(walk.limits.max_archive_bytes), walk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            walk.skip(str(path), f"corrupt zip archive ({describe_error(exc)})")
    elif kind is not None:
        walk.items.append(ScanItem(Locator(path), kind, size))


def _classify(
    head: bytes, name: str, size: int, where: str, walk: _Walk
) -> MediaKind | Literal["zip"] | None:
    kind = sniff(head)
    suffix = os.path.splitext(name)[1].lower()
    looks_like_media = suffix in IMAGE_SUFFIXES or suffix in VIDEO_SUFFIXES
    if kind == "heic":
        walk.skip(
            where, "HEIC/HEIF picture: Tumar cannot read this format; convert it to JPEG and scan again"
        )
        return None
    if kind in ("image", "video", "zip"):
        return kind  # type: ignore[return-value]
    if looks_like_media:
        walk.skip(
            where, "empty file" if size == 0 else "unsupported or damaged file: not a known picture or video"
        )
        return None
    walk.ignored += 1
    return None


@dataclass
class _Budget:
    left: int


def _visit_archive(
    archive: zipfile.ZipFile, parent: Locator, depth: int, budget: _Budget, walk: _Walk
) -> None:
    limits = walk.limits
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > limits.max_members:
        walk.skip(
            parent.display, f"archive has {len(infos):,} files, over the limit of {limits.max_members:,}"
        )
        return
    for info in infos:
        locator = Locator(parent.path, (*parent.members, info.filename))
        where = locator.display
        reason = _member_problem(info, limits)
        if reason:
            walk.skip(where, reason)
            continue
        try:
            with archive.open(info) as member:
                head = member.read(HEAD)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            walk.skip(where, f"cannot read this archive member ({describe_error(exc)})")
            continue
        kind = _classify(head, info.filename, info.file_size, where, walk)
        if kind is None:
            continue
        if info.file_size > budget.left:
            walk.skip(
                where,
                f"the archive's total uncompressed size is over the limit of {limits.max_archive_bytes:,} bytes",
            )
            continue
        if kind != "zip":
            budget.left -= info.file_size
            walk.items.append(ScanItem(locator, kind, info.file_size))
            continue
        if depth >= limits.max_zip_depth:
            walk.skip(
                where,
                f"archive inside an archive, not opened (nesting limit {limits.max_zip_depth}); extract it and scan it",
            )
            continue
        budget.left -= info.file_size
        try:
            data = read_member(archive, info.filename, limits)
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                _visit_archive(inner, locator, depth + 1, budget, walk)
        except ImportFormatError as exc:
            walk.skip(where, skip_reason(exc))
        except (zipfile.BadZipFile, EOFError, ValueError) as exc:
            walk.skip(where, f"corrupt zip archive ({describe_error(exc)})")


def _member_problem(info: zipfile.ZipInfo, limits: ScanLimits) -> str:
    if info.flag_bits & 0x1:
        return "encrypted archive member: cannot be read without its password"
    if info.file_size > limits.max_member_bytes:
        return f"archive member too large ({info.file_size:,} bytes uncompressed, limit {limits.max_member_bytes:,})"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
        return f"compression ratio {ratio:,.0f}:1 is over {limits.max_ratio:,.0f}:1 — looks like a zip bomb"
    return ""


def read_member(archive: zipfile.ZipFile, name: str, limits: ScanLimits) -> bytes:
    """The bytes of one member, within the limits; raises ImportFormatError naming the member otherwise."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportFormatError("no longer in the archive", source=name) from None
    problem = _member_problem(info, limits)
    if problem:
        raise ImportFormatError(problem, source=name)
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ImportFormatError(
            f"cannot read this archive member ({describe_error(exc)})", source=name
        ) from None
    if len(data) > info.file_size:
        raise ImportFormatError(
            "member is larger than the archive declares — looks like a zip bomb", source=name
        )
    return data


class MediaReader:
    """Reads the bytes of located files, keeping the last opened archive open for the next member."""

    def __init__(self, limits: ScanLimits | None = None) -> None:
        self.limits = limits or ScanLimits()
        self._archive: tuple[Path, zipfile.ZipFile] | None = None

    def __enter__(self) -> MediaReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._archive is not None:
            self._archive[1].close()
            self._archive = None

    def read(self, locator: Locator) -> bytes:
        """The file's bytes; raises ImportFormatError (source = the display path) if it cannot be read safely."""
        if not locator.members:
            return self._read_file(locator.path)
        try:
            data = read_member(self._open(locator.path), locator.members[0], self.limits)
            for name in locator.members[1:]:
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    data = read_member(inner, name, self.limits)
        except ImportFormatError as exc:
            raise ImportFormatError(skip_reason(exc), source=locator.display) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ImportFormatError(
                f"corrupt zip archive ({describe_error(exc)})", source=locator.display
            ) from None
        return data

    def _read_file(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
            if size > self.limits.max_file_bytes:
                raise ImportFormatError(
                    f"file too large ({size:,} bytes, limit {self.limits.max_file_bytes:,})", source=str(path)
                )
            with path.open("rb") as handle:
                return handle.read(self.limits.max_file_bytes + 1)
        except OSError as exc:
            raise ImportFormatError(f"cannot read ({exc.strerror})", source=str(path)) from None

    def _open(self, path: Path) -> zipfile.ZipFile:
        if self._archive is None or self._archive[0] != path:
            self.close()
            self._archive = (path, zipfile.ZipFile(path))
        return self._archive[1]
