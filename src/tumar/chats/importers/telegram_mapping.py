"""One Telegram message, read from the export's JSON as a dict, turned into a :class:`ChatMessage`.

Errors name the file and where: the chat (1-based, counted over ``chats`` then ``left_chats``), the message
(1-based index in its chat, and its id once read), the field, and a byte offset (see :class:`Where`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tumar.chats.importers.jsonstream import CountingReader
from tumar.chats.model import ChatMessage, MediaRef, MessageKind
from tumar.errors import ImportFormatError

__all__ = ["Chat", "MessageMapper", "Where", "chat_info", "position"]

log = logging.getLogger(__name__)

_MEDIA_KINDS = {
    "voice_message": "voice",
    "video_file": "video",
    "video_message": "video_note",
    "audio_file": "audio",
    "sticker": "sticker",
    "animation": "animation",
}
_MEDIA_KEYS: tuple[tuple[str, str | None], ...] = (
    ("photo", "photo"),
    ("file", None),  # kind from media_type
    ("thumbnail", "thumbnail"),
    ("contact_vcard", "contact"),
)
_CORE_KEYS = frozenset(
    {
        "id",
        "type",
        "date",
        "edited",
        "from",
        "from_id",
        "actor",
        "actor_id",
        "action",
        "text",
        "text_entities",
        "forwarded_from",
        "reply_to_message_id",
        "photo",
        "file",
        "thumbnail",
        "contact_vcard",
    }
)


@dataclass
class Where:
    """Where the walk is, for error messages."""

    chat: int = 0  # 1-based over chats then left_chats; 0 before the first chat
    message: int = 0  # 1-based index in the chat's messages
    message_id: str | None = None
    account: bool = False  # a full-account export (several chats)
    done: bool = False  # the top-level object has ended

    def describe(self, *, field: str = "") -> list[str]:
        if self.done:
            return ["after the end of the export's JSON"]
        parts = []
        if self.chat and self.account:
            parts.append(f"chat {self.chat}")
        if self.message:
            ident = f" (id {self.message_id})" if self.message_id is not None else ""
            parts.append(f"message {self.message}{ident}")
        if field:
            parts.append(f"field {field!r}")
        return parts


@dataclass(frozen=True)
class Chat:
    name: str
    id: str | None
    index: int


def position(where: Where, reader: CountingReader, *, field: str = "") -> str:
    """The position for an error: chat, message, field and the bytes read so far."""
    return ", ".join([*where.describe(field=field), f"before byte {reader.position}"])


def chat_info(meta: dict[str, Any], index: int) -> Chat:
    ident = meta.get("id")
    chat_id = _str(ident) if ident is not None else None
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        if meta.get("type") == "saved_messages":
            name = "Saved Messages"
        else:
            name = f"chat {chat_id}" if chat_id else f"chat {index}"
    return Chat(name=name, id=chat_id, index=index)


class MessageMapper:
    """Maps raw messages of the export ``file`` (``label`` is its base name) to :class:`ChatMessage`;
    ``exists`` says whether a media path is in the export."""

    def __init__(self, file: str, label: str, exists: Callable[[str], bool]) -> None:
        self._file = file
        self._label = label
        self._exists = exists

    def convert(self, raw: Any, chat: Chat, where: Where, reader: CountingReader) -> ChatMessage:
        if not isinstance(raw, dict):
            raise self._error("a message is not a JSON object", where, reader)
        ident = raw.get("id")
        if ident is None or isinstance(ident, (dict, list, bool)) or ident == "":
            raise self._error("the message has no id", where, reader, field="id")
        where.message_id = _str(ident)
        date = self._date(raw, "date", where, reader)
        if date is None:
            raise self._error("the message has no date", where, reader, field="date")
        kind: MessageKind = "service" if raw.get("type") == "service" else "message"
        text, links = self._text(raw, where, reader)
        extra = _extra(raw)
        if links:
            extra["links"] = " ".join(links)
        media = self._media(raw, extra, where, reader)
        forwarded = raw.get("forwarded_from")
        reply_to = raw.get("reply_to_message_id")
        sender = raw.get("actor") if kind == "service" else raw.get("from")
        sender_id = raw.get("actor_id") if kind == "service" else raw.get("from_id")
        action = raw.get("action")
        place = [f"message {where.message}"]
        if where.account:
            place.insert(0, f"chat {chat.index}")
        return ChatMessage(
            id=where.message_id,
            chat=chat.name,
            date=date,
            sender=_str(sender) if sender is not None else None,
            text=text,
            kind=kind,
            sender_id=_str(sender_id) if sender_id is not None else None,
            chat_id=chat.id,
            action=_str(action) if action is not None and kind == "service" else None,
            edited=self._date(raw, "edited", where, reader),
            forwarded_from=_str(forwarded) if forwarded is not None else None,
            reply_to=_str(reply_to) if reply_to is not None else None,
            media=media,
            source=", ".join([self._label, *place]),
            extra=extra,
        )

    def _date(self, raw: dict[str, Any], field: str, where: Where, reader: CountingReader) -> datetime | None:
        value = raw.get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._error(f"{field} is not a date string", where, reader, field=field)
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise self._error(f"not a date: {value[:40]!r}", where, reader, field=field) from None

    def _text(self, raw: dict[str, Any], where: Where, reader: CountingReader) -> tuple[str, list[str]]:
        field = "text" if "text" in raw else "text_entities"
        value = raw.get(field)
        if value is None:
            return "", []
        if isinstance(value, str):
            return value, []
        if not isinstance(value, list):
            raise self._error("text is neither a string nor a list", where, reader, field=field)
        parts: list[str] = []
        links: list[str] = []
        for item in value:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, dict):
                piece = item.get("text")
                if isinstance(piece, str):
                    parts.append(piece)
                href = item.get("href")
                if isinstance(href, str) and href:
                    links.append(href)
            else:
                raise self._error("a text part is neither a string nor an entity", where, reader, field=field)
        return "".join(parts), links

    def _media(
        self, raw: dict[str, Any], extra: dict[str, str], where: Where, reader: CountingReader
    ) -> tuple[MediaRef, ...]:
        refs: list[MediaRef] = []
        for key, fixed_kind in _MEDIA_KEYS:
            value = raw.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise self._error(f"{key} is not a path", where, reader, field=key)
            kind = fixed_kind or _MEDIA_KINDS.get(str(raw.get("media_type")), "file")
            if _not_included(value):
                file_name = raw.get("file_name") if key == "file" else None
                path = file_name if isinstance(file_name, str) else ""
                refs.append(MediaRef(path=path, kind=kind, present=False))
                extra[f"{key}_note"] = value
                continue
            present = self._exists(value)
            if not present and not _inside(value):
                log.warning("message %s: a media path leaves the export; not read", where.message_id)
            refs.append(MediaRef(path=value, kind=kind, present=present))
        return tuple(refs)

    def _error(
        self, message: str, where: Where, reader: CountingReader, *, field: str = ""
    ) -> ImportFormatError:
        return ImportFormatError(message, source=self._file, position=position(where, reader, field=field))


def _not_included(value: str) -> bool:
    """Telegram's note for a file the user chose not to export, e.g. "(File not included. Change ...)"."""
    return value.startswith("(File ") and value.endswith(")")


def _inside(path: str) -> bool:
    unified = path.replace("\\", "/")
    return not (
        unified.startswith("/") or ".." in unified.split("/") or (len(unified) > 1 and unified[1] == ":")
    )


def _str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _extra(raw: dict[str, Any]) -> dict[str, str]:
    """Every other field as a string: scalars, lists of names, one level of objects (poll, location)."""
    extra: dict[str, str] = {}
    for key, value in raw.items():
        if key in _CORE_KEYS or key.endswith("_unixtime"):
            continue
        _flatten(extra, key, value, nested=False)
    return extra


def _flatten(out: dict[str, str], key: str, value: Any, *, nested: bool) -> None:
    if value is None:
        return
    if isinstance(value, (str, int, float, bool)):
        out[key] = _str(value)
    elif isinstance(value, list):
        if all(isinstance(v, (str, int, float)) or v is None for v in value):
            out[key] = ", ".join(_str(v) for v in value if v is not None)
        elif all(isinstance(v, dict) and isinstance(v.get("text"), str) for v in value):
            out[key] = " | ".join(v["text"] for v in value)
    elif isinstance(value, dict) and not nested:
        for sub, inner in value.items():
            _flatten(out, f"{key}.{sub}", inner, nested=True)
