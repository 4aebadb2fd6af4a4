"""Receiving a chat export: size and type limits, and a temporary copy that is deleted at once.

The upload is copied into a :class:`~tempfile.TemporaryDirectory` by the caller's ``with`` block, checked
(extension, then the first bytes: a zip signature, JSON, or UTF-8 text), analysed and deleted when the block
ends. Starlette itself spools a multipart file over 1 MB to an anonymous temporary file, which has no name on
disk and disappears when the request ends.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from fastapi import HTTPException, UploadFile

__all__ = [
    "MAX_UPLOAD_BYTES",
    "UPLOAD_SUFFIXES",
    "UnsupportedUploadError",
    "UploadTooLargeError",
    "save_upload",
]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_TEXT = 200 * 1024 * 1024  # chat text inside a zip, unpacked (a zip bomb stops here)
MAX_ZIP_MEMBERS = 100_000
UPLOAD_SUFFIXES: tuple[str, ...] = (".txt", ".json", ".zip")
_CHUNK = 1024 * 1024
_SNIFF = 64 * 1024
_UNSAFE = re.compile(r"[^\w.\- ]+")


class UploadTooLargeError(HTTPException):
    def __init__(self, limit: int, what: str = "the chat export is") -> None:
        super().__init__(413, f"file: {what} larger than {limit // (1024 * 1024)} MB")


class UnsupportedUploadError(HTTPException):
    def __init__(self, reason: str) -> None:
        super().__init__(415, f"file: {reason}; upload a chat export in .txt, .json or .zip")


def safe_name(filename: str | None) -> str:
    """The file's own name without any directory part or unusual character (``export`` if nothing is left)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    clean = _UNSAFE.sub("_", base).strip(" .")[:120]
    return clean or "export"


def _suffix(filename: str | None) -> str:
    suffix = Path(safe_name(filename)).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        shown = suffix or "no extension"
        raise UnsupportedUploadError(f"{shown} is not a chat export Tumar reads")
    return suffix


def _check_content(head: bytes, suffix: str) -> None:
    """The first bytes must match the extension: a zip archive, JSON, or text in UTF-8."""
    if not head:
        raise UnsupportedUploadError("the file is empty")
    if suffix == ".zip":
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise UnsupportedUploadError("the .zip file is not a zip archive")
        return
    if b"\x00" in head:
        raise UnsupportedUploadError(f"the {suffix} file is binary, not text")
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise UnsupportedUploadError(f"the {suffix} file is not UTF-8 text") from None
    if suffix == ".json" and not text.lstrip().startswith(("{", "[")):
        raise UnsupportedUploadError("the .json file does not hold JSON")


async def save_upload(upload: UploadFile, directory: Path, *, limit: int = MAX_UPLOAD_BYTES) -> Path:
    """Copy ``upload`` into ``directory`` (a temporary one) after checking its type; stop at ``limit`` bytes."""
    suffix = _suffix(upload.filename)
    target = directory / safe_name(upload.filename)
    first = await upload.read(_SNIFF)
    _check_content(first, suffix)
    size = len(first)
    with target.open("wb") as out:
        out.write(first)
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise UploadTooLargeError(limit)
            out.write(chunk)
    if suffix == ".zip":
        _check_zip(target)
    return target


def _check_zip(path: Path) -> None:
    """Refuse archives whose chat text would unpack to more than :data:`MAX_UNPACKED_TEXT`."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsupportedUploadError("the .zip file is damaged") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnsupportedUploadError(f"the .zip file holds more than {MAX_ZIP_MEMBERS:,} files")
    text = sum(m.file_size for m in members if m.filename.lower().endswith((".json", ".txt")))
    if text > MAX_UNPACKED_TEXT:
        raise UploadTooLargeError(MAX_UNPACKED_TEXT, "the chat text in the .zip file, unpacked, is")
