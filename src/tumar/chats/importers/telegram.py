"""Telegram Desktop's machine-readable export (``result.json``), streamed with ijson.

Two shapes are read: one chat, ``{"name", "type", "id", "messages": [...]}``, and the whole account,
``{"about", "personal_information", "contacts", "chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}}``.
The parser walks ijson's events: each message is built, turned into a :class:`ChatMessage`, yielded and
dropped; every other key (contacts, frequent contacts, profile pictures, ...) is skipped event by event without
being built. Memory stays at one message plus ijson's 64 KiB read buffer, whatever the file's size.

Errors name the file and where: the chat (1-based, counted over ``chats`` then ``left_chats``), the message
(1-based index in its chat, and its id once read), the field, and a byte offset.
"""

from __future__ import annotations

import itertools
import logging
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

import ijson

from tumar.chats.importers.container import Container
from tumar.chats.model import ChatExport, ChatMessage, MediaRef, MessageKind, Platform
from tumar.errors import ImportFormatError

__all__ = ["MEDIA_DIRS", "TelegramExport"]

log = logging.getLogger(__name__)

MEDIA_DIRS: tuple[str, ...] = (
    "photos",
    "files",
    "video_files",
    "voice_messages",
    "round_video_messages",
    "stickers",
    "animations",
    "audio_files",
    "contacts",
    "chats",
    "profile_pictures",
    "stories",
)
"""Folders of a Telegram export that hold media (a full-account export keeps each chat's under ``chats/``)."""

_BUF = 64 * 1024
_LOCATE_BUF = 64  # re-read with this buffer to narrow a syntax error down to 64 bytes
_BOM = b"\xef\xbb\xbf"
_STARTS = frozenset({"start_map", "start_array"})
_ENDS = frozenset({"end_map", "end_array"})
_EOF = ("eof", None)
_HEADER_KEYS = frozenset({"name", "type", "id"})
_CHAT_SECTIONS = ("chats", "left_chats")
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

_Next = Callable[[], tuple[str, Any]]


class _CountingReader:
    """A binary stream that counts the bytes handed to ijson and drops a UTF-8 BOM."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.position = 0  # bytes read so far: every event seen lies before this offset
        self.chunk_start = 0  # where the last non-empty chunk began
        self._first = True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if not data:
            return data
        self.chunk_start = self.position
        self.position += len(data)
        if self._first:
            self._first = False
            if data.startswith(_BOM):
                return data[len(_BOM) :]
        return data

    def close(self) -> None:
        self._raw.close()


@dataclass
class _Where:
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
class _Chat:
    name: str
    id: str | None
    index: int


class _UnexpectedEndError(Exception):
    """The event stream ended inside a value (ijson normally reports this itself)."""


class TelegramExport(ChatExport):
    """A Telegram Desktop JSON export in a folder or a zip; ``member`` is the JSON file's path in it."""

    platform: Platform = "telegram"

    def __init__(
        self, container: Container, member: str = "result.json", *, source: str | None = None
    ) -> None:
        self.source = source or container.source
        self._container = container
        self._member = member
        self._label = posixpath.basename(member)
        self._file = container.display(member)

    # -- ChatExport ------------------------------------------------------------------------------------------

    def messages(self) -> Iterator[ChatMessage]:
        """Every message of every chat, in file order; may be called again to read the file again."""
        where = _Where()
        reader = self._reader()
        count = 0
        try:
            nxt = self._events(reader)
            for message in self._walk(nxt, reader, where):
                count += 1
                yield message
        except ijson.JSONError as exc:
            raise self._syntax_error(exc, reader, where) from None
        except _UnexpectedEndError:
            raise ImportFormatError(
                "the JSON ends inside a value", source=self._file, position=self._position(where, reader)
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise ImportFormatError(
                f"cannot read the file ({type(exc).__name__})",
                source=self._file,
                position=self._position(where, reader),
            ) from None
        finally:
            reader.close()
        log.debug("telegram export: %d chats, %d messages", where.chat, count)

    def open_media(self, path: str) -> BinaryIO | None:
        return self._container.open(path)

    def media_paths(self) -> Iterator[str]:
        for folder in MEDIA_DIRS:
            yield from self._container.files(folder)

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> TelegramExport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------------------------

    def _reader(self) -> _CountingReader:
        stream = self._container.open(self._member)
        if stream is None:
            raise ImportFormatError("the export's JSON file is missing", source=self._file)
        return _CountingReader(stream)

    @staticmethod
    def _events(reader: _CountingReader, buf_size: int = _BUF) -> _Next:
        events = itertools.chain(
            ijson.basic_parse(reader, buf_size=buf_size, use_float=True), itertools.repeat(_EOF)
        )
        return events.__next__

    def _walk(self, nxt: _Next, reader: _CountingReader, where: _Where) -> Iterator[ChatMessage]:
        event, _ = nxt()
        if event != "start_map":
            raise ImportFormatError(
                "not a Telegram export: the JSON is not an object", source=self._file, position="byte 0"
            )
        header: dict[str, Any] = {}
        found = False
        for key, event, value in _members(nxt):
            if key == "messages" and event == "start_array":
                found = True
                where.chat = 1
                if not header.keys() & {"name", "type"}:
                    header = self._lookahead(None)
                yield from self._messages(nxt, reader, where, _chat_info(header, 1))
            elif key in _CHAT_SECTIONS and event == "start_map":
                found = True
                where.account = True
                yield from self._chat_list(nxt, reader, where, key)
            elif key in _HEADER_KEYS and event not in _STARTS:
                header[key] = value
            else:
                _skip(nxt, event)
        where.done = True
        if nxt()[0] != "eof":
            raise ImportFormatError(
                "more JSON after the export", source=self._file, position=self._position(where, reader)
            )
        if not found:
            raise ImportFormatError(
                "not a Telegram export: the JSON has neither 'messages' nor 'chats'", source=self._file
            )

    def _chat_list(
        self, nxt: _Next, reader: _CountingReader, where: _Where, section: str
    ) -> Iterator[ChatMessage]:
        for key, event, _value in _members(nxt):
            if key != "list" or event != "start_array":
                _skip(nxt, event)
                continue
            list_index = 0
            while True:
                event, _value = nxt()
                if event == "end_array":
                    break
                if event == "eof":
                    raise _UnexpectedEndError
                where.chat += 1
                where.message, where.message_id = 0, None
                if event != "start_map":
                    raise ImportFormatError(
                        f"a chat in '{section}.list' is not a JSON object",
                        source=self._file,
                        position=self._position(where, reader),
                    )
                yield from self._chat(nxt, reader, where, (section, list_index))
                list_index += 1

    def _chat(
        self, nxt: _Next, reader: _CountingReader, where: _Where, locator: tuple[str, int]
    ) -> Iterator[ChatMessage]:
        meta: dict[str, Any] = {}
        for key, event, value in _members(nxt):
            if key == "messages" and event == "start_array":
                if not meta.keys() & {"name", "type"}:
                    meta = self._lookahead(locator)
                yield from self._messages(nxt, reader, where, _chat_info(meta, where.chat))
            elif key in _HEADER_KEYS and event not in _STARTS:
                meta[key] = value
            else:
                _skip(nxt, event)

    def _messages(
        self, nxt: _Next, reader: _CountingReader, where: _Where, chat: _Chat
    ) -> Iterator[ChatMessage]:
        where.message, where.message_id = 0, None
        while True:
            event, value = nxt()
            if event == "end_array":
                return
            if event == "eof":
                raise _UnexpectedEndError
            where.message += 1
            where.message_id = None
            raw = _build_message(nxt) if event == "start_map" else _build(nxt, event, value)
            yield self._convert(raw, chat, where, reader)

    def _lookahead(self, locator: tuple[str, int] | None) -> dict[str, Any]:
        """A chat's name, type and id when its messages come first (keys re-sorted by some tool): read ahead."""
        reader = self._reader()
        try:
            nxt = self._events(reader)
            nxt()  # the top-level start_map, already checked by the main walk
            for key, event, _value in _members(nxt):
                if locator is None:
                    if key in _HEADER_KEYS and event not in _STARTS:
                        return _collect_header(nxt, first=(key, _value))
                    _skip(nxt, event)
                elif key == locator[0] and event == "start_map":
                    return _find_chat_header(nxt, locator[1])
                else:
                    _skip(nxt, event)
            return {}
        finally:
            reader.close()

    # -- one message -----------------------------------------------------------------------------------------

    def _convert(self, raw: Any, chat: _Chat, where: _Where, reader: _CountingReader) -> ChatMessage:
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
        position = [f"message {where.message}"]
        if where.account:
            position.insert(0, f"chat {chat.index}")
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
            source=", ".join([self._label, *position]),
            extra=extra,
        )

    def _date(
        self, raw: dict[str, Any], field: str, where: _Where, reader: _CountingReader
    ) -> datetime | None:
        value = raw.get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._error(f"{field} is not a date string", where, reader, field=field)
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise self._error(f"not a date: {value[:40]!r}", where, reader, field=field) from None

    def _text(self, raw: dict[str, Any], where: _Where, reader: _CountingReader) -> tuple[str, list[str]]:
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
        self, raw: dict[str, Any], extra: dict[str, str], where: _Where, reader: _CountingReader
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
            present = self._container.exists(value)
            if not present and not _inside(value):
                log.warning("message %s: a media path leaves the export; not read", where.message_id)
            refs.append(MediaRef(path=value, kind=kind, present=present))
        return tuple(refs)

    # -- errors ----------------------------------------------------------------------------------------------

    def _position(self, where: _Where, reader: _CountingReader, *, field: str = "") -> str:
        return ", ".join([*where.describe(field=field), f"before byte {reader.position}"])

    def _error(
        self, message: str, where: _Where, reader: _CountingReader, *, field: str = ""
    ) -> ImportFormatError:
        return ImportFormatError(
            message, source=self._file, position=self._position(where, reader, field=field)
        )

    def _syntax_error(
        self, exc: ijson.JSONError, reader: _CountingReader, where: _Where
    ) -> ImportFormatError:
        reason = _reason(exc)
        if "premature EOF" in reason:
            byte = f"byte {reader.position} (end of file: the file is cut short)"
            reason = "the JSON ends too early"
        else:
            low, high = self._locate(reader)
            byte = f"bytes {low}–{high}"
            reason = f"malformed JSON ({reason})"
        position = ", ".join([*where.describe(), byte])
        return ImportFormatError(reason, source=self._file, position=position)

    def _locate(self, failed: _CountingReader) -> tuple[int, int]:
        """Re-read the file in 64-byte steps to narrow a syntax error down from ijson's 64 KiB chunk."""
        try:
            reader = self._reader()
        except ImportFormatError:
            return failed.chunk_start, failed.position
        try:
            for _event in ijson.basic_parse(reader, buf_size=_LOCATE_BUF):
                pass
        except ijson.JSONError:
            return reader.chunk_start, reader.position
        finally:
            reader.close()
        return failed.chunk_start, failed.position


# -- event helpers ---------------------------------------------------------------------------------------------


def _members(nxt: _Next) -> Iterator[tuple[str, str, Any]]:
    """``(key, first event, value)`` for each member of the map being read, up to its end_map.

    The caller must consume (build or skip) each member's value before asking for the next.
    """
    while True:
        event, key = nxt()
        if event == "end_map":
            return
        if event != "map_key":
            raise _UnexpectedEndError
        event, value = nxt()
        yield key, event, value


def _build_message(nxt: _Next) -> dict[str, Any]:
    """A message object (its start_map already read); ``text_entities`` is skipped when ``text`` came first,
    since Telegram writes the same text twice."""
    obj: dict[str, Any] = {}
    for key, event, value in _members(nxt):
        if event in _STARTS:
            if key == "text_entities" and "text" in obj:
                _skip(nxt, event)
            else:
                obj[key] = _build(nxt, event, value)
        else:
            obj[key] = value
    return obj


def _build(nxt: _Next, event: str, value: Any) -> Any:
    """The Python value that starts with ``event``."""
    if event == "start_map":
        obj: dict[str, Any] = {}
        for key, member_event, member_value in _members(nxt):
            obj[key] = _build(nxt, member_event, member_value) if member_event in _STARTS else member_value
        return obj
    if event == "start_array":
        items: list[Any] = []
        while True:
            event, value = nxt()
            if event == "end_array":
                return items
            if event == "eof":
                raise _UnexpectedEndError
            items.append(_build(nxt, event, value) if event in _STARTS else value)
    if event == "eof":
        raise _UnexpectedEndError
    return value


def _skip(nxt: _Next, event: str) -> None:
    """Consume the value that starts with ``event`` without building it."""
    if event not in _STARTS:
        if event == "eof":
            raise _UnexpectedEndError
        return
    depth = 1
    while depth:
        event, _ = nxt()
        if event in _STARTS:
            depth += 1
        elif event in _ENDS:
            depth -= 1
        elif event == "eof":
            raise _UnexpectedEndError


def _collect_header(nxt: _Next, first: tuple[str, Any]) -> dict[str, Any]:
    header = {first[0]: first[1]}
    for key, event, value in _members(nxt):
        if key in _HEADER_KEYS and event not in _STARTS:
            header[key] = value
        else:
            _skip(nxt, event)
    return header


def _find_chat_header(nxt: _Next, index: int) -> dict[str, Any]:
    for key, event, _value in _members(nxt):
        if key != "list" or event != "start_array":
            _skip(nxt, event)
            continue
        for _ in range(index):
            event, _value = nxt()
            _skip(nxt, event)
        event, _value = nxt()
        if event != "start_map":
            return {}
        header: dict[str, Any] = {}
        for member, event, value in _members(nxt):
            if member in _HEADER_KEYS and event not in _STARTS:
                header[member] = value
            else:
                _skip(nxt, event)
        return header
    return {}


# -- value helpers ---------------------------------------------------------------------------------------------


def _chat_info(meta: dict[str, Any], index: int) -> _Chat:
    ident = meta.get("id")
    chat_id = _str(ident) if ident is not None else None
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        if meta.get("type") == "saved_messages":
            name = "Saved Messages"
        else:
            name = f"chat {chat_id}" if chat_id else f"chat {index}"
    return _Chat(name=name, id=chat_id, index=index)


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


def _reason(exc: Exception) -> str:
    """ijson's first line (the rest quotes the file, which may hold a survivor's messages)."""
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:]
    return text.replace("\\n", "\n").splitlines()[0].strip() if text else type(exc).__name__
