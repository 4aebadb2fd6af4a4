"""A chat export sent to the bot: which files it takes, the checks before reading one, and the messages kept.

The adapter downloads the file into a temporary folder that it deletes when the answer is ready; this module
only reads it there. A file is refused by its name and declared size before it is downloaded, then by its
first bytes (a zip signature, or UTF-8 text without NUL bytes) and, for a zip, by how much chat text it
would unpack to (a zip bomb stops here).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from tumar.chats.model import ChatMessage
from tumar.errors import ImportFormatError

__all__ = [
    "EXPORT_SUFFIXES",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "check_export_file",
    "recent_messages",
    "refusal",
    "safe_name",
]

MAX_FILE_BYTES = 20 * 1024 * 1024  # also the most a bot may download from Telegram
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # chat text inside a zip, unpacked
EXPORT_SUFFIXES: tuple[str, ...] = (".txt", ".json", ".zip")
_SNIFF = 64 * 1024
_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(filename: str | None) -> str:
    """The file's own name without any folder part or unusual character (``export`` if nothing is left)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    clean = _UNSAFE.sub("_", base).strip(" .")[:120]
    return clean or "export"


def refusal(
    filename: str | None, size: int | None, limit: int = MAX_FILE_BYTES
) -> Literal["type", "size"] | None:
    """Why a file is not taken before downloading it: not a chat export by its name, or too large (or of
    unknown size); None when it may be downloaded."""
    if Path(safe_name(filename)).suffix.lower() not in EXPORT_SUFFIXES:
        return "type"
    if size is None or size > limit:
        return "size"
    return None


def check_export_file(path: Path, *, shown_name: str, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a downloaded file whose content does not match its extension, with :class:`ImportFormatError`
    naming ``shown_name``."""
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if not head:
        raise ImportFormatError("the file is empty", source=shown_name)
    if suffix == ".zip":
        _check_zip(path, shown_name, max_unpacked)
        return
    if b"\x00" in head:
        raise ImportFormatError(f"the {suffix} file is binary, not text", source=shown_name)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ImportFormatError(f"the {suffix} file is not UTF-8 text", source=shown_name) from None


def _check_zip(path: Path, shown_name: str, max_unpacked: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ImportFormatError("not a readable zip archive", source=shown_name) from None
    text = sum(m.file_size for m in members if m.filename.lower().endswith((".json", ".txt")))
    if text > max_unpacked:
        limit = max_unpacked // (1024 * 1024)
        raise ImportFormatError(
            f"the chat text in the zip unpacks to more than {limit} MB", source=shown_name
        )


def recent_messages(messages: Iterable[ChatMessage], keep: int) -> tuple[list[ChatMessage], int]:
    """The last ``keep`` entries of a streamed chat and how many older ones were left out (memory stays
    bounded by ``keep``; the newest messages are the ones that matter now)."""
    recent: deque[ChatMessage] = deque(maxlen=keep)
    total = 0
    for message in messages:
        recent.append(message)
        total += 1
    return list(recent), total - len(recent)
