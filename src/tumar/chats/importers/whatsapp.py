"""WhatsApp's "Export chat" text (``_chat.txt`` or ``WhatsApp Chat with X.txt``), alone, in a folder or a zip.

Android writes ``31.12.2025, 21:41 - Айгерим: текст`` (or ``12/31/25, 9:41 PM - ...`` with a narrow no-break
space before PM); iOS writes ``[31.12.25, 21:41:05] Айгерим: текст``, often with a left-to-right mark first.
Lines that do not start with a date continue the message above. The file is read twice, line by line: a
cheap first pass decides day-first or month-first dates (see :mod:`.timestamps`), checks the encoding and
collects attachment names; the second pass yields messages.

Tolerated content (read by :mod:`.whatsapp_content`): media-omitted placeholders (a known list, and any whole-message ``<...>``), attachments
(``IMG-20251231-WA0003.jpg (файл добавлен)``, iOS ``<attached: 00000012-PHOTO-....jpg>``), deleted-message
notes, the "edited" suffix of newer exports, and system lines (no sender, or an iOS line whose text starts with
a left-to-right mark and reads like a system note) which become ``kind="service"`` with ``sender=None``.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from tumar.chats.importers.container import Container
from tumar.chats.importers.textfile import text_lines
from tumar.chats.importers.timestamps import DateOrder, DateOrderConflictError, to_datetime
from tumar.chats.importers.whatsapp_content import (
    ATTACHED_NOTES,
    DELETED_NOTES,
    MARK_RE,
    MARKS,
    MEDIA_OMITTED,
    Content,
    attachment_name,
    interpret,
    media_kind,
)
from tumar.chats.model import ChatExport, ChatMessage, MediaRef, Platform
from tumar.errors import ImportFormatError

__all__ = [
    "ATTACHED_NOTES",
    "DELETED_NOTES",
    "MEDIA_OMITTED",
    "Content",
    "Header",
    "WhatsAppExport",
    "chat_name_from_filename",
    "interpret",
    "is_whatsapp_filename",
    "match_header",
    "media_kind",
    "split_sender",
]

log = logging.getLogger(__name__)

_HEADER = re.compile(
    rf"^[{MARKS}]*"
    r"(?P<open>\[)?"
    r"(?P<date>\d{1,4}(?P<sep>[./-])\d{1,2}(?P=sep)\d{1,4})\.?"
    r"(?:,\s?|\s)"
    r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
    r"(?:[\s\u202f\u00a0]?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?(open)\]\s?|\s[-–]\s)"
    r"(?P<rest>.*)$"
)
_SENDER = re.compile(r"^(?P<sender>[^:]{1,100}?):(?: |$)(?P<text>.*)$", re.S)
_QUOTES = set("\"«»“”„'")


@dataclass(frozen=True, slots=True)
class Header:
    """The start of a message line: its date, time, AM/PM marker and what follows."""

    date: str
    time: str
    ampm: str | None
    rest: str


def match_header(line: str) -> Header | None:
    """The message header at the start of ``line``, or None for a continuation line."""
    match = _HEADER.match(line)
    if match is None:
        return None
    return Header(match["date"], match["time"], match["ampm"], match["rest"])


def split_sender(rest: str) -> tuple[str | None, str]:
    """``("Айгерим", "текст")`` from ``"Айгерим: текст"``; ``(None, rest)`` for a system line."""
    match = _SENDER.match(rest)
    if match is None:
        return None, rest
    sender = MARK_RE.sub("", match["sender"]).strip()
    sender = sender.lstrip("~").strip(" \u202f\u00a0")
    if not sender or len(sender) > 80 or len(sender.split()) > 8 or _QUOTES & set(sender):
        return None, rest
    return sender, match["text"]


def is_whatsapp_filename(name: str) -> bool:
    """``_chat.txt`` or a ``.txt`` whose name mentions WhatsApp (``WhatsApp Chat with X.txt``, ``Чат WhatsApp с X.txt``)."""
    lower = name.lower()
    return lower.endswith(".txt") and (lower == "_chat.txt" or "whatsapp" in lower)


_CHAT_NAME_FORMS = re.compile(
    r"^(?:WhatsApp Chat with|WhatsApp Chat -|WhatsApp Chat:|Чат WhatsApp с|Чат WhatsApp -|Чат WhatsApp:"
    r"|WhatsApp чаты:|WhatsApp чаты -|WhatsApp чат:|WhatsApp чат -|WhatsApp маеги:|WhatsApp маеги -)"
    r"\s*(?P<name>.+?)\s*$",
    re.I,
)


def chat_name_from_filename(stem: str) -> str | None:
    """ "Aigerim" from "WhatsApp Chat with Aigerim" (and the Russian, Kazakh, Kyrgyz forms); None otherwise."""
    match = _CHAT_NAME_FORMS.match(stem.strip())
    return match["name"] if match else None


class WhatsAppExport(ChatExport):
    """A WhatsApp chat text file in a folder or zip, with the media beside it.

    ``list_all_media``: a zip lists every file beside the chat text; a folder (perhaps Downloads) lists only
    the files the chat names.
    """

    platform: Platform = "whatsapp"

    def __init__(
        self,
        container: Container,
        member: str,
        *,
        chat: str,
        source: str | None = None,
        list_all_media: bool = False,
    ) -> None:
        self.source = source or container.source
        self.chat = chat
        self._container = container
        self._member = member
        self._label = posixpath.basename(member)
        self._file = container.display(member)
        self._folder = posixpath.dirname(member)
        self._list_all_media = list_all_media
        self._order = DateOrder()
        self._attachments: list[str] = []
        self._scan()

    # -- ChatExport ------------------------------------------------------------------------------------------

    def messages(self) -> Iterator[ChatMessage]:
        """Every message in file order; may be called again."""
        pending: tuple[int, Header, list[str]] | None = None
        count = 0
        for number, line in self._lines():
            header = match_header(line)
            if header is not None:
                if pending is not None:
                    count += 1
                    yield self._message(*pending)
                pending = (number, header, [])
            elif pending is not None:
                pending[2].append(line)
        if pending is not None:
            count += 1
            yield self._message(*pending)
        log.debug("whatsapp export: %d messages", count)

    def open_media(self, path: str) -> BinaryIO | None:
        return self._container.open(self._in_folder(path))

    def media_paths(self) -> Iterator[str]:
        if self._list_all_media:
            for path in self._container.files(self._folder):
                name = path[len(self._folder) + 1 :] if self._folder else path
                if name != self._label and "/" not in name:
                    yield name
        else:
            for name in sorted(set(self._attachments)):
                if self._container.exists(self._in_folder(name)):
                    yield name

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> WhatsAppExport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------------------------

    def _lines(self) -> Iterator[tuple[int, str]]:
        stream = self._container.open(self._member)
        if stream is None:
            raise ImportFormatError("the chat file is missing", source=self._file)
        with stream:
            yield from text_lines(stream, source=self._file)

    def _scan(self) -> None:
        """First pass: encoding, the first line is a message line, day/month order, attachments named."""
        first_message = 0
        last = 0
        for number, line in self._lines():
            last = number
            header = match_header(line)
            if header is None:
                if not first_message and line.strip():
                    raise ImportFormatError(
                        "not a WhatsApp message line (expected e.g. '31.12.2025, 21:41 - Name: text')",
                        source=self._file,
                        position=f"line {number}",
                    )
                continue
            first_message = first_message or number
            try:
                self._order.add(header.date, twelve_hour=header.ampm is not None, line=number)
            except DateOrderConflictError as exc:
                raise ImportFormatError(str(exc), source=self._file, position=f"line {number}") from None
            if "(" in header.rest or "<" in header.rest:
                sender, text = split_sender(header.rest)
                if sender is not None:
                    name = attachment_name(text, self._exists)
                    if name is not None:
                        self._attachments.append(name)
        if not first_message:
            raise ImportFormatError(
                "no WhatsApp message line found",
                source=self._file,
                position=f"lines 1–{last}" if last else "empty",
            )

    def _in_folder(self, name: str) -> str:
        return f"{self._folder}/{name}" if self._folder else name

    def _exists(self, name: str) -> bool:
        return self._container.exists(self._in_folder(name))

    def _message(self, number: int, header: Header, continuation: list[str]) -> ChatMessage:
        try:
            date: datetime = to_datetime(header.date, header.time, header.ampm, self._order)
        except ValueError as exc:
            raise ImportFormatError(str(exc), source=self._file, position=f"line {number}") from None
        sender, first = split_sender(header.rest)
        text = "\n".join([first, *continuation]).rstrip()
        content = interpret(sender, text, self._exists)
        media = tuple(
            MediaRef(path=name, kind=kind, present=bool(name) and self._exists(name))
            for name, kind in content.media
        )
        return ChatMessage(
            id=f"L{number}",
            chat=self.chat,
            date=date,
            sender=content.sender,
            text=content.text,
            kind=content.kind,
            action=content.action,
            media=media,
            source=f"{self._label}, line {number}",
            extra=content.extra,
        )
