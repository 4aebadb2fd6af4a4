"""Which importer reads a path: Telegram JSON, WhatsApp text or plain text, as a file, a folder or a zip."""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from pathlib import Path

from tumar.chats.importers.container import (
    Container,
    FolderContainer,
    ZipContainer,
    clean_relpath,
    member_depth,
    open_zip,
    zip_parent,
)
from tumar.chats.importers.plaintext import PlainTextExport
from tumar.chats.importers.telegram import TelegramExport
from tumar.chats.importers.whatsapp import (
    WhatsAppExport,
    chat_name_from_filename,
    is_whatsapp_filename,
    match_header,
)
from tumar.chats.model import ChatExport
from tumar.errors import ImportFormatError

__all__ = ["open_export"]

log = logging.getLogger(__name__)

_TELEGRAM_JSON = "result.json"
_SNIFF_BYTES = 8192
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_HTML_HINT = (
    "this looks like Telegram's HTML export, which Tumar cannot read: export the chat again in Telegram Desktop "
    "with the format 'Machine-readable JSON'"
)


def open_export(path: str | Path) -> ChatExport:
    """Open a chat export, whatever its form.

    * Telegram Desktop: ``result.json``, a folder holding it (directly or one folder down) or a zip holding it;
    * WhatsApp: ``_chat.txt``, ``WhatsApp Chat with X.txt`` / ``Чат WhatsApp с X.txt``, a folder or a zip
      holding one with its media; any ``.txt`` whose first line is a WhatsApp message line;
    * any other ``.txt``: plain chat text (see :func:`parse_pasted`).

    Anything else raises :class:`ImportFormatError` naming the file.
    """
    target = Path(path)
    if not target.exists():
        raise ImportFormatError("no such file or folder", source=str(target))
    if target.is_dir():
        return _open_folder(target)
    suffix = target.suffix.lower()
    if suffix == ".zip":
        return _open_zip(target)
    head = _head(target)
    if suffix in (".html", ".htm") or (b"<html" in head[:512].lower()):
        raise ImportFormatError(_HTML_HINT, source=str(target))
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if suffix == ".json" or (suffix != ".txt" and body.startswith(b"{")):
        if not body:
            raise ImportFormatError("the file is empty", source=str(target))
        if not body.startswith(b"{"):
            raise ImportFormatError("not a Telegram export: the JSON is not an object", source=str(target))
        return TelegramExport(FolderContainer(target.parent), target.name, source=str(target))
    if suffix not in (".txt", "") and zipfile.is_zipfile(target):
        return _open_zip(target)
    if suffix not in (".txt", "") and _BINARY.search(head):
        raise ImportFormatError(
            f"unsupported file type {suffix or '(no extension)'}: give a Telegram result.json, a WhatsApp "
            "chat .txt or a .zip of either",
            source=str(target),
        )
    if is_whatsapp_filename(target.name) or _starts_like_whatsapp(head):
        return _whatsapp(
            FolderContainer(target.parent), target.name, target, chat_from=target.stem, all_media=False
        )
    return PlainTextExport(target)


def _open_folder(folder: Path) -> ChatExport:
    candidates = [folder / _TELEGRAM_JSON, *sorted(folder.glob(f"*/{_TELEGRAM_JSON}"))]
    found = [c for c in candidates if c.is_file()]
    if len(found) > 1:
        raise ImportFormatError(
            f"several Telegram exports in this folder ({', '.join(str(f.relative_to(folder)) for f in found)}): "
            "give one of them",
            source=str(folder),
        )
    if found:
        return TelegramExport(FolderContainer(found[0].parent, source=str(folder)), _TELEGRAM_JSON)
    chats = sorted(p for p in folder.iterdir() if p.is_file() and is_whatsapp_filename(p.name))
    if len(chats) > 1:
        raise ImportFormatError(
            f"several WhatsApp chats in this folder ({', '.join(p.name for p in chats)}): give one file",
            source=str(folder),
        )
    if chats:
        chat = chats[0]
        from_name = chat.stem if chat.name.lower() != "_chat.txt" else folder.name
        return _whatsapp(FolderContainer(folder), chat.name, folder, chat_from=from_name, all_media=False)
    raise ImportFormatError(
        "no Telegram result.json and no WhatsApp chat (_chat.txt, 'WhatsApp Chat with ….txt') in this folder",
        source=str(folder),
    )


def _open_zip(target: Path) -> ChatExport:
    archive = open_zip(target)
    try:
        names = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                names.append(clean_relpath(info.filename, source=str(target)))
            except ImportFormatError:
                log.warning("zip member with an unsafe path skipped")
        telegram = sorted((n for n in names if posixpath.basename(n) == _TELEGRAM_JSON), key=member_depth)
        if telegram:
            container = ZipContainer(target, zip_parent(telegram[0]), archive=archive)
            return TelegramExport(container, _TELEGRAM_JSON, source=str(target))
        chats = sorted((n for n in names if is_whatsapp_filename(posixpath.basename(n))), key=member_depth)
        if chats:
            member = chats[0]
            name = posixpath.basename(member)
            from_name = posixpath.splitext(name)[0] if name.lower() != "_chat.txt" else target.stem
            container = ZipContainer(target, "", archive=archive)
            return _whatsapp(container, member, target, chat_from=from_name, all_media=True)
    except BaseException:
        archive.close()
        raise
    archive.close()
    raise ImportFormatError(
        "the zip holds no Telegram result.json and no WhatsApp chat (_chat.txt, 'WhatsApp Chat with ….txt')",
        source=str(target),
    )


def _whatsapp(
    container: Container, member: str, target: Path, *, chat_from: str, all_media: bool
) -> WhatsAppExport:
    chat = chat_name_from_filename(chat_from) or chat_from
    try:
        return WhatsAppExport(container, member, chat=chat, source=str(target), list_all_media=all_media)
    except BaseException:
        container.close()
        raise


def _head(target: Path) -> bytes:
    try:
        with target.open("rb") as stream:
            return stream.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ImportFormatError(f"cannot read the file ({exc.strerror})", source=str(target)) from None


def _starts_like_whatsapp(head: bytes) -> bool:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    for line in text.splitlines():
        if line.strip():
            return match_header(line) is not None
    return False
