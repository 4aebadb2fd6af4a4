"""WhatsApp's "Export chat" text (``_chat.txt`` or ``WhatsApp Chat with X.txt``), alone, in a folder or a zip.

Android writes ``31.12.2025, 21:41 - Айгерим: текст`` (or ``12/31/25, 9:41 PM - ...`` with a narrow no-break
space before PM); iOS writes ``[31.12.25, 21:41:05] Айгерим: текст``, often with a left-to-right mark first.
Lines that do not start with a date continue the message above. The file is read twice, line by line: a
cheap first pass decides day-first or month-first dates (see :mod:`.timestamps`), checks the encoding and
collects attachment names; the second pass yields messages.

Tolerated content: media-omitted placeholders (a known list, and any whole-message ``<...>``), attachments
(``IMG-20251231-WA0003.jpg (файл добавлен)``, iOS ``<attached: 00000012-PHOTO-....jpg>``), deleted-message
notes, the "edited" suffix of newer exports, and system lines (no sender, or an iOS line whose text starts with
a left-to-right mark and reads like a system note) which become ``kind="service"`` with ``sender=None``.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from tumar.chats.importers.container import Container
from tumar.chats.importers.textfile import text_lines
from tumar.chats.importers.timestamps import DateOrder, DateOrderConflictError, to_datetime
from tumar.chats.model import ChatExport, ChatMessage, MediaRef, MessageKind, Platform
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

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_MARK_RE = re.compile(f"[{_MARKS}]")

_HEADER = re.compile(
    rf"^[{_MARKS}]*"
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

MEDIA_OMITTED: tuple[str, ...] = (
    "<Media omitted>",
    "<Медиа отсутствуют>",
    "<Медиафайл отсутствует>",
    "<Без медиафайлов>",
    "<Медиафайлдар жоқ>",
    "<Медиа файлдар жоқ>",
    "<Медиафайл қосылмаған>",
    "<Медиа файлдар жок>",
    "<Медиафайлдар жок>",
    "<Медиа жок>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    "изображение отсутствует",
    "видео отсутствует",
    "аудио отсутствует",
    "стикер отсутствует",
    "GIF отсутствует",
    "документ отсутствует",
    "сурет жоқ",
    "бейне жоқ",
    "сүрөт жок",
    "видео жок",
)
"""Known media-omitted placeholders; any other whole-message ``<...>`` is taken as one too."""

DELETED_NOTES: tuple[str, ...] = (
    "This message was deleted",
    "You deleted this message",
    "Данное сообщение удалено",
    "Это сообщение удалено",
    "Сообщение удалено",
    "Вы удалили данное сообщение",
    "Вы удалили это сообщение",
    "Бұл хабар жойылды",
    "Бұл хабарлама жойылды",
    "Сіз бұл хабарды жойдыңыз",
    "Сіз бұл хабарламаны жойдыңыз",
    "Бул билдирүү өчүрүлдү",
    "Бул билдирүү өчүрүлгөн",
    "Бул кабар өчүрүлдү",
    "Сиз бул билдирүүнү өчүрдүңүз",
)
"""Notes WhatsApp leaves where a message was deleted (the whole message)."""

ATTACHED_NOTES: tuple[str, ...] = (
    "file attached",
    "файл добавлен",
    "файл прикреплен",
    "файл прикреплён",
    "файл тіркелді",
    "файл тіркелген",
    "файл қосылды",
    "файл тиркелди",
    "файл тиркелген",
    "файл кошулду",
)
"""Android's note after an attachment's file name: ``IMG-...jpg (file attached)``."""

_OMITTED = {_MARK_RE.sub("", s).casefold() for s in MEDIA_OMITTED}
_DELETED = {s.casefold() for s in DELETED_NOTES}
_ATTACHED = {s.casefold() for s in ATTACHED_NOTES}
_ANY_PLACEHOLDER = re.compile(r"^<[^<>\n]{2,60}>$")
_IOS_OMITTED = re.compile(r"^\S+(?: \S+)? (?:omitted|отсутствует|отсутствуют|жоқ|жок)$", re.I)
_EDITED = re.compile(
    r"\s*<[^<>\n]{0,40}(?:edited|изменен|изменён|өзгертіл|өзгөртүл|түзөтүл)[^<>\n]{0,20}>$", re.I
)
_ANDROID_ATTACHMENT = re.compile(
    r"^(?P<name>[^\s/\\<>][^/\\<>]{0,200}?\.[A-Za-z0-9]{1,5}) \((?P<note>[^()]{2,40})\)$"
)
_IOS_ATTACHMENT = re.compile(r"^<(?P<note>[^:<>]{2,30}): (?P<name>[^<>/\\]{1,200}\.[A-Za-z0-9]{1,5})>$")
_WA_FILE_NAME = re.compile(
    r"^(?:(?:IMG|VID|AUD|PTT|STK|DOC|GIF)-\d{8}-WA\d{3,}"
    r"|\d{8}-(?:PHOTO|VIDEO|AUDIO|GIF|STICKER|DOCUMENT)-)",
    re.I,
)

# System notes: (action, pattern searched in the note). Used for lines without a sender and for iOS notes.
_SYSTEM: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (action, re.compile(pattern, re.I))
    for action, pattern in (
        (
            "missed_call",
            r"missed (?:voice |video )?call|пропущенный (?:аудио|видео)?звонок|қабылданбаған|жооп берилбеген",
        ),
        ("encryption_notice", r"end-to-end|шифр"),
        ("security_code_changed", r"security code|код безопасности|қауіпсіздік код|коопсуздук код"),
        (
            "create_group",
            r"created (?:the )?group|создал\S* группу|создали группу|топ құрды|топты құрды|топ түздү|топту түздү",
        ),
        ("remove_members", r"\bremoved\b|удалил\(а\)|удалили|шығарып таста|чыгарып салды|чыгарды"),
        ("add_members", r"\badded\b|добавил|қосты|кошту"),
        ("join", r"joined using|присоединил|қосылды|кошулду"),
        ("leave", r"\bleft\b|вышел|вышла|шықты|чыгып кетти|чыкты"),
        (
            "change_subject",
            r"changed the (?:subject|group name|group description)|изменил\S* (?:тему|название|описание)|атауын өзгертті|атын өзгөрттү",
        ),
        (
            "change_icon",
            r"changed this group's icon|изображение (?:этой )?группы|суретін өзгертті|сүрөтүн өзгөрттү",
        ),
        (
            "change_number",
            r"changed (?:their|your) phone number|changed to|сменил\S* номер|нөмірін өзгертті|номерин өзгөрттү",
        ),
        ("block", r"blocked this contact|заблокировали|бұғаттадыңыз|бөгөттөдүңүз"),
        ("unblock", r"unblocked this contact|разблокировали|бұғаттан шығардыңыз|бөгөттөн чыгардыңыз"),
        (
            "disappearing_messages",
            r"disappearing messages|исчезающие сообщения|жоғалатын хабар|жоголуучу билдирүү",
        ),
    )
)


@dataclass(frozen=True, slots=True)
class Header:
    """The start of a message line: its date, time, AM/PM marker and what follows."""

    date: str
    time: str
    ampm: str | None
    rest: str


@dataclass(frozen=True, slots=True)
class Content:
    """What one message says once WhatsApp's notes are read: kind, sender, text, media and notes."""

    kind: MessageKind
    sender: str | None
    text: str
    action: str | None = None
    media: tuple[tuple[str, str], ...] = ()  # (file name or "", kind); "" when the file was left out
    extra: dict[str, str] = field(default_factory=dict)


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
    sender = _MARK_RE.sub("", match["sender"]).strip()
    sender = sender.lstrip("~").strip(" \u202f\u00a0")
    if not sender or len(sender) > 80 or len(sender.split()) > 8 or _QUOTES & set(sender):
        return None, rest
    return sender, match["text"]


def media_kind(name: str) -> str:
    """photo, video, voice, audio, sticker, animation or file, from WhatsApp's file naming and extension."""
    upper = name.upper()
    ext = posixpath.splitext(name)[1].lower()
    if upper.startswith("PTT-") or ext == ".opus":
        return "voice"
    if upper.startswith("STK-") or "-STICKER-" in upper or ext == ".webp":
        return "sticker"
    if "-GIF-" in upper or upper.startswith("GIF-") or ext == ".gif":
        return "animation"
    if upper.startswith("IMG-") or "-PHOTO-" in upper or ext in {".jpg", ".jpeg", ".png", ".heic"}:
        return "photo"
    if upper.startswith("VID-") or "-VIDEO-" in upper or ext in {".mp4", ".mov", ".3gp", ".mkv", ".avi"}:
        return "video"
    if (
        upper.startswith("AUD-")
        or "-AUDIO-" in upper
        or ext in {".m4a", ".mp3", ".aac", ".ogg", ".wav", ".amr"}
    ):
        return "audio"
    return "file"


def attachment_name(first_line: str, exists: Callable[[str], bool] | None = None) -> str | None:
    """The attached file's name if ``first_line`` announces an attachment."""
    line = _strip_marks(first_line)
    match = _IOS_ATTACHMENT.match(line)
    if match is not None:
        return match["name"]
    match = _ANDROID_ATTACHMENT.match(line)
    if match is not None:
        name = match["name"]
        known = match["note"].strip().casefold() in _ATTACHED or _WA_FILE_NAME.match(name) is not None
        if known or (exists is not None and exists(name)):
            return name
    return None


def interpret(sender: str | None, text: str, exists: Callable[[str], bool] | None = None) -> Content:
    """Read WhatsApp's own notes in a message: system lines, deletions, edits, placeholders, attachments."""
    plain = _strip_marks(text)
    if sender is None:
        return Content("service", None, plain, action=_system_action(plain))
    if plain.rstrip(".").casefold() in _DELETED:
        return Content("message", sender, "", extra={"deleted": "true", "note": plain})
    if _marked(text) and "\n" not in plain:
        action = _system_action(plain)
        if action == "missed_call":
            return Content("service", sender, plain, action=action)
        if action is not None:
            return Content("service", None, plain, action=action, extra={"attributed_to": sender})
    extra: dict[str, str] = {}
    edited = _EDITED.search(text)
    if edited is not None:
        extra["edited"] = "true"
        text = text[: edited.start()]
        plain = _strip_marks(text)
    first, _, caption = text.partition("\n")
    name = attachment_name(first, exists)
    if name is not None:
        return Content("message", sender, caption.strip("\n"), media=((name, media_kind(name)),), extra=extra)
    if "\n" not in plain and (
        plain.casefold() in _OMITTED
        or _ANY_PLACEHOLDER.match(plain)
        or (_marked(text) and _IOS_OMITTED.match(plain))
    ):
        extra["media_omitted"] = plain
        return Content("message", sender, "", media=(("", _placeholder_kind(plain)),), extra=extra)
    return Content("message", sender, text.strip("\n"), extra=extra)


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


def _marked(text: str) -> bool:
    """iOS starts its own notes (system lines, placeholders, attachments) with a left-to-right mark."""
    return bool(text) and text[0] in _MARKS


def _strip_marks(text: str) -> str:
    return text.strip(_MARKS + " \t").strip()


def _system_action(note: str) -> str | None:
    for action, pattern in _SYSTEM:
        if pattern.search(note):
            return action
    return None


def _placeholder_kind(note: str) -> str:
    lower = note.casefold()
    for kind, words in (
        ("photo", ("image", "photo", "изображ", "фото", "сурет", "сүрөт")),
        ("video", ("video", "видео", "бейне")),
        ("voice", ("voice", "голос", "дауыс")),
        ("audio", ("audio", "аудио")),
        ("sticker", ("sticker", "стикер")),
        ("animation", ("gif",)),
    ):
        if any(word in lower for word in words):
            return kind
    return "file"
