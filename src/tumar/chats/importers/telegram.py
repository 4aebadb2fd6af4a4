"""Telegram Desktop's machine-readable export (``result.json``), streamed with ijson.

Two shapes are read: one chat, ``{"name", "type", "id", "messages": [...]}``, and the whole account,
``{"about", "personal_information", "contacts", "chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}}``.
The parser walks ijson's events (:mod:`.jsonstream`): each message is built, turned into a :class:`ChatMessage`
(:mod:`.telegram_mapping`), yielded and dropped; every other key (contacts, frequent contacts, profile
pictures, ...) is skipped event by event without being built. Memory stays at one message plus ijson's 64 KiB
read buffer, whatever the file's size.

Errors name the file and where: the chat (1-based, counted over ``chats`` then ``left_chats``), the message
(1-based index in its chat, and its id once read), the field, and a byte offset.
"""

from __future__ import annotations

import logging
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from tumar.chats.importers.container import Container
from tumar.chats.importers.jsonstream import (
    LOCATE_BUF,
    STARTS,
    CountingReader,
    Next,
    UnexpectedEndError,
    build,
    event_stream,
    first_line,
    members,
    skip,
)
from tumar.chats.importers.telegram_mapping import Chat, MessageMapper, Where, chat_info, position
from tumar.chats.model import ChatExport, ChatMessage, Platform
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

_HEADER_KEYS = frozenset({"name", "type", "id"})
_CHAT_SECTIONS = ("chats", "left_chats")


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
        self._mapper = MessageMapper(self._file, self._label, container.exists)

    # -- ChatExport ------------------------------------------------------------------------------------------

    def messages(self) -> Iterator[ChatMessage]:
        """Every message of every chat, in file order; may be called again to read the file again."""
        where = Where()
        reader = self._reader()
        count = 0
        try:
            nxt = event_stream(reader)
            for message in self._walk(nxt, reader, where):
                count += 1
                yield message
        except ijson.JSONError as exc:
            raise self._syntax_error(exc, reader, where) from None
        except UnexpectedEndError:
            raise ImportFormatError(
                "the JSON ends inside a value", source=self._file, position=position(where, reader)
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise ImportFormatError(
                f"cannot read the file ({type(exc).__name__})",
                source=self._file,
                position=position(where, reader),
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

    def _reader(self) -> CountingReader:
        stream = self._container.open(self._member)
        if stream is None:
            raise ImportFormatError("the export's JSON file is missing", source=self._file)
        return CountingReader(stream)

    def _walk(self, nxt: Next, reader: CountingReader, where: Where) -> Iterator[ChatMessage]:
        event, _ = nxt()
        if event != "start_map":
            raise ImportFormatError(
                "not a Telegram export: the JSON is not an object", source=self._file, position="byte 0"
            )
        header: dict[str, Any] = {}
        found = False
        for key, event, value in members(nxt):
            if key == "messages" and event == "start_array":
                found = True
                where.chat = 1
                if not header.keys() & {"name", "type"}:
                    header = self._lookahead(None)
                yield from self._messages(nxt, reader, where, chat_info(header, 1))
            elif key in _CHAT_SECTIONS and event == "start_map":
                found = True
                where.account = True
                yield from self._chat_list(nxt, reader, where, key)
            elif key in _HEADER_KEYS and event not in STARTS:
                header[key] = value
            else:
                skip(nxt, event)
        where.done = True
        if nxt()[0] != "eof":
            raise ImportFormatError(
                "more JSON after the export", source=self._file, position=position(where, reader)
            )
        if not found:
            raise ImportFormatError(
                "not a Telegram export: the JSON has neither 'messages' nor 'chats'", source=self._file
            )

    def _chat_list(
        self, nxt: Next, reader: CountingReader, where: Where, section: str
    ) -> Iterator[ChatMessage]:
        for key, event, _value in members(nxt):
            if key != "list" or event != "start_array":
                skip(nxt, event)
                continue
            list_index = 0
            while True:
                event, _value = nxt()
                if event == "end_array":
                    break
                if event == "eof":
                    raise UnexpectedEndError
                where.chat += 1
                where.message, where.message_id = 0, None
                if event != "start_map":
                    raise ImportFormatError(
                        f"a chat in '{section}.list' is not a JSON object",
                        source=self._file,
                        position=position(where, reader),
                    )
                yield from self._chat(nxt, reader, where, (section, list_index))
                list_index += 1

    def _chat(
        self, nxt: Next, reader: CountingReader, where: Where, locator: tuple[str, int]
    ) -> Iterator[ChatMessage]:
        meta: dict[str, Any] = {}
        for key, event, value in members(nxt):
            if key == "messages" and event == "start_array":
                if not meta.keys() & {"name", "type"}:
                    meta = self._lookahead(locator)
                yield from self._messages(nxt, reader, where, chat_info(meta, where.chat))
            elif key in _HEADER_KEYS and event not in STARTS:
                meta[key] = value
            else:
                skip(nxt, event)

    def _messages(self, nxt: Next, reader: CountingReader, where: Where, chat: Chat) -> Iterator[ChatMessage]:
        where.message, where.message_id = 0, None
        while True:
            event, value = nxt()
            if event == "end_array":
                return
            if event == "eof":
                raise UnexpectedEndError
            where.message += 1
            where.message_id = None
            raw = _build_message(nxt) if event == "start_map" else build(nxt, event, value)
            yield self._mapper.convert(raw, chat, where, reader)

    def _lookahead(self, locator: tuple[str, int] | None) -> dict[str, Any]:
        """A chat's name, type and id when its messages come first (keys re-sorted by some tool): read ahead."""
        reader = self._reader()
        try:
            nxt = event_stream(reader)
            nxt()  # the top-level start_map, already checked by the main walk
            for key, event, _value in members(nxt):
                if locator is None:
                    if key in _HEADER_KEYS and event not in STARTS:
                        return _collect_header(nxt, first=(key, _value))
                    skip(nxt, event)
                elif key == locator[0] and event == "start_map":
                    return _find_chat_header(nxt, locator[1])
                else:
                    skip(nxt, event)
            return {}
        finally:
            reader.close()

    # -- errors ----------------------------------------------------------------------------------------------

    def _syntax_error(self, exc: ijson.JSONError, reader: CountingReader, where: Where) -> ImportFormatError:
        reason = first_line(exc)
        if "premature EOF" in reason:
            byte = f"byte {reader.position} (end of file: the file is cut short)"
            reason = "the JSON ends too early"
        else:
            low, high = self._locate(reader)
            byte = f"bytes {low}–{high}"
            reason = f"malformed JSON ({reason})"
        return ImportFormatError(reason, source=self._file, position=", ".join([*where.describe(), byte]))

    def _locate(self, failed: CountingReader) -> tuple[int, int]:
        """Re-read the file in 64-byte steps to narrow a syntax error down from ijson's 64 KiB chunk."""
        try:
            reader = self._reader()
        except ImportFormatError:
            return failed.chunk_start, failed.position
        try:
            for _event in ijson.basic_parse(reader, buf_size=LOCATE_BUF):
                pass
        except ijson.JSONError:
            return reader.chunk_start, reader.position
        finally:
            reader.close()
        return failed.chunk_start, failed.position


# -- event helpers ---------------------------------------------------------------------------------------------


def _build_message(nxt: Next) -> dict[str, Any]:
    """A message object (its start_map already read); ``text_entities`` is skipped when ``text`` came first,
    since Telegram writes the same text twice."""
    obj: dict[str, Any] = {}
    for key, event, value in members(nxt):
        if event in STARTS:
            if key == "text_entities" and "text" in obj:
                skip(nxt, event)
            else:
                obj[key] = build(nxt, event, value)
        else:
            obj[key] = value
    return obj


def _collect_header(nxt: Next, first: tuple[str, Any]) -> dict[str, Any]:
    header = {first[0]: first[1]}
    for key, event, value in members(nxt):
        if key in _HEADER_KEYS and event not in STARTS:
            header[key] = value
        else:
            skip(nxt, event)
    return header


def _find_chat_header(nxt: Next, index: int) -> dict[str, Any]:
    for key, event, _value in members(nxt):
        if key != "list" or event != "start_array":
            skip(nxt, event)
            continue
        for _ in range(index):
            event, _value = nxt()
            skip(nxt, event)
        event, _value = nxt()
        if event != "start_map":
            return {}
        header: dict[str, Any] = {}
        for member, event, value in members(nxt):
            if member in _HEADER_KEYS and event not in STARTS:
                header[member] = value
            else:
                skip(nxt, event)
        return header
    return {}
