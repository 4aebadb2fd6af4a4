"""Walking ijson's event stream without building what is not needed: build a value, or skip it event by event.

Every helper takes ``nxt``, a function returning the next ``(event, value)``; after the last event it returns
:data:`EOF` forever, and a helper that meets it inside a value raises :class:`UnexpectedEndError`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import ijson

__all__ = [
    "BUF",
    "ENDS",
    "EOF",
    "LOCATE_BUF",
    "STARTS",
    "CountingReader",
    "Next",
    "UnexpectedEndError",
    "build",
    "event_stream",
    "first_line",
    "members",
    "skip",
]

BUF = 64 * 1024
LOCATE_BUF = 64  # re-read with this buffer to narrow a syntax error down to 64 bytes
_BOM = b"\xef\xbb\xbf"
STARTS = frozenset({"start_map", "start_array"})
ENDS = frozenset({"end_map", "end_array"})
EOF = ("eof", None)

Next = Callable[[], tuple[str, Any]]


class CountingReader:
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


class UnexpectedEndError(Exception):
    """The event stream ended inside a value (ijson normally reports this itself)."""


def event_stream(reader: CountingReader, buf_size: int = BUF) -> Next:
    """ijson's events of ``reader``, then :data:`EOF` forever."""
    events = itertools.chain(
        ijson.basic_parse(reader, buf_size=buf_size, use_float=True), itertools.repeat(EOF)
    )
    return events.__next__


def members(nxt: Next) -> Iterator[tuple[str, str, Any]]:
    """``(key, first event, value)`` for each member of the map being read, up to its end_map.

    The caller must consume (build or skip) each member's value before asking for the next.
    """
    while True:
        event, key = nxt()
        if event == "end_map":
            return
        if event != "map_key":
            raise UnexpectedEndError
        event, value = nxt()
        yield key, event, value


def build(nxt: Next, event: str, value: Any) -> Any:
    """The Python value that starts with ``event``."""
    if event == "start_map":
        obj: dict[str, Any] = {}
        for key, member_event, member_value in members(nxt):
            obj[key] = build(nxt, member_event, member_value) if member_event in STARTS else member_value
        return obj
    if event == "start_array":
        items: list[Any] = []
        while True:
            event, value = nxt()
            if event == "end_array":
                return items
            if event == "eof":
                raise UnexpectedEndError
            items.append(build(nxt, event, value) if event in STARTS else value)
    if event == "eof":
        raise UnexpectedEndError
    return value


def skip(nxt: Next, event: str) -> None:
    """Consume the value that starts with ``event`` without building it."""
    if event not in STARTS:
        if event == "eof":
            raise UnexpectedEndError
        return
    depth = 1
    while depth:
        event, _ = nxt()
        if event in STARTS:
            depth += 1
        elif event in ENDS:
            depth -= 1
        elif event == "eof":
            raise UnexpectedEndError


def first_line(exc: Exception) -> str:
    """ijson's first line (the rest quotes the file, which may hold a survivor's messages)."""
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:]
    return text.replace("\\n", "\n").splitlines()[0].strip() if text else type(exc).__name__
