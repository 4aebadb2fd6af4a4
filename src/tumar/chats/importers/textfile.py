"""Lines of a chat text file, decoded as UTF-8 (with or without a BOM), one at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from tumar.errors import ImportFormatError

__all__ = ["MAX_LINE_BYTES", "text_lines"]

MAX_LINE_BYTES = 1 << 20  # a chat line longer than 1 MiB is not a chat line
_BOM = b"\xef\xbb\xbf"
_CONTROL = re.compile(
    rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]"
)  # bytes no chat text contains; tab, CR, LF, FF are fine


def text_lines(stream: BinaryIO, *, source: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` pairs, numbered from 1, without line ends.

    A binary or undecodable file raises :class:`ImportFormatError` naming the line.
    """
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise ImportFormatError(
                "line is longer than 1 MiB: this is not a chat text file",
                source=source,
                position=f"line {number}",
            )
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if _CONTROL.search(raw):
            raise ImportFormatError(
                "binary data: this is not a chat text file", source=source, position=f"line {number}"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                f"not UTF-8 text (undecodable byte at column {exc.start + 1})",
                source=source,
                position=f"line {number}",
            ) from None
        yield number, text.rstrip("\r\n")
