"""Where an export's files live: a folder or a zip archive, read by relative paths that may not leave it.

Paths inside an export come from the export itself (a ``result.json`` or a ``_chat.txt`` the user was sent may
be crafted), so every path is checked: no ``..``, no absolute or drive paths, no symlink that leads outside.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO, cast

from tumar.errors import ImportFormatError

__all__ = [
    "Container",
    "FolderContainer",
    "ZipContainer",
    "clean_relpath",
    "member_depth",
    "open_zip",
    "zip_parent",
]

_DRIVE = re.compile(r"^[A-Za-z]:")


def clean_relpath(path: str, *, source: str) -> str:
    """``path`` as a normalised relative POSIX path, or :class:`ImportFormatError` if it would leave the export."""
    unified = path.replace("\\", "/")
    if not unified or "\x00" in unified or unified.startswith("/") or _DRIVE.match(unified):
        raise ImportFormatError(f"media path {path!r} points outside the export", source=source)
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise ImportFormatError(f"media path {path!r} points outside the export", source=source)
    return "/".join(parts)


class Container(ABC):
    """Files of one export, addressed by paths relative to the export's root (a folder or a zip)."""

    source: str  # the folder or zip the user gave, for error messages

    @abstractmethod
    def open(self, relpath: str) -> BinaryIO | None:
        """The file at ``relpath`` opened for binary reading, None if absent; rejects paths leaving the export."""

    def exists(self, relpath: str) -> bool:
        """Whether ``relpath`` is a file of the export; False (never an error) for paths leaving it."""
        try:
            clean = clean_relpath(relpath, source=self.source)
        except ImportFormatError:
            return False
        return self._exists(clean)

    @abstractmethod
    def _exists(self, clean: str) -> bool:
        """Whether the already-cleaned path is a file of the export."""

    @abstractmethod
    def files(self, under: str = "") -> Iterator[str]:
        """Relative paths of every file below ``under`` (the root by default), sorted."""

    @abstractmethod
    def display(self, relpath: str) -> str:
        """How to name ``relpath`` in an error message."""

    def close(self) -> None:  # noqa: B027 - a folder holds nothing open; the zip container overrides it
        """Release the open archive, if any."""


class FolderContainer(Container):
    """An export unpacked into a folder."""

    def __init__(self, root: Path, *, source: str | None = None) -> None:
        self.root = root
        self._real_root = root.resolve()
        self.source = source or str(root)

    def _resolve(self, clean: str) -> Path | None:
        candidate = (self.root / clean).resolve()
        if not candidate.is_relative_to(self._real_root):
            return None
        return candidate

    def open(self, relpath: str) -> BinaryIO | None:
        clean = clean_relpath(relpath, source=self.source)
        resolved = self._resolve(clean)
        if resolved is None:
            raise ImportFormatError(f"media path {relpath!r} points outside the export", source=self.source)
        if not resolved.is_file():
            return None
        return resolved.open("rb")

    def _exists(self, clean: str) -> bool:
        resolved = self._resolve(clean)
        return resolved is not None and resolved.is_file()

    def files(self, under: str = "") -> Iterator[str]:
        start = self.root / clean_relpath(under, source=self.source) if under else self.root
        if not start.is_dir():
            return
        found: list[str] = []
        for dirpath, _dirnames, filenames in os.walk(start):
            for name in filenames:
                rel = (Path(dirpath) / name).relative_to(self.root).as_posix()
                if self._exists(rel):
                    found.append(rel)
        yield from sorted(found)

    def display(self, relpath: str) -> str:
        return str(self.root / relpath)


class ZipContainer(Container):
    """An export inside a zip archive; ``prefix`` is the folder inside the zip that holds the chat file."""

    def __init__(self, path: Path, prefix: str = "", *, archive: zipfile.ZipFile | None = None) -> None:
        self.path = path
        self.source = str(path)
        self.prefix = prefix
        self._zip = archive if archive is not None else open_zip(path)
        self._members: dict[str, str] | None = None

    def _index(self) -> dict[str, str]:
        """Normalised member path below the prefix → the member's name as stored in the zip."""
        if self._members is None:
            members: dict[str, str] = {}
            for info in self._zip.infolist():
                if info.is_dir() or not info.filename.startswith(self.prefix):
                    continue
                try:
                    clean = clean_relpath(info.filename[len(self.prefix) :], source=self.source)
                except ImportFormatError:
                    continue  # a member named to escape the archive is never read
                members.setdefault(clean, info.filename)
            self._members = members
        return self._members

    def open(self, relpath: str) -> BinaryIO | None:
        clean = clean_relpath(relpath, source=self.source)
        name = self._index().get(clean)
        if name is None:
            return None
        try:
            return cast(BinaryIO, self._zip.open(name))
        except (
            RuntimeError,
            NotImplementedError,
            zipfile.BadZipFile,
        ) as exc:  # zipfile: encrypted, unknown method
            raise ImportFormatError(
                f"cannot read {name!r} from the archive ({_zip_reason(exc)})", source=self.source
            ) from None

    def _exists(self, clean: str) -> bool:
        return clean in self._index()

    def files(self, under: str = "") -> Iterator[str]:
        base = clean_relpath(under, source=self.source) + "/" if under else ""
        yield from sorted(p for p in self._index() if p.startswith(base))

    def display(self, relpath: str) -> str:
        return f"{self.path}/{self.prefix}{relpath}"

    def close(self) -> None:
        self._zip.close()


def open_zip(path: Path) -> zipfile.ZipFile:
    """The zip at ``path``, or :class:`ImportFormatError` if it is not a readable zip."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFormatError(
            f"not a readable zip archive ({_zip_reason(exc)})", source=str(path)
        ) from None


def zip_parent(member: str) -> str:
    """The folder of a zip member, with a trailing slash ("" for the root)."""
    parent = posixpath.dirname(member)
    return f"{parent}/" if parent else ""


def member_depth(member: str) -> int:
    return len(PurePosixPath(member).parts)


def _zip_reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return "the archive is password-protected"
    return type(exc).__name__ if not str(exc) else str(exc).splitlines()[0]
