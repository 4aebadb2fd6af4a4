"""Chat text pasted by hand, or saved to a plain ``.txt`` file.

Recognised, line by line (a first pass picks the style, the second parses):

* WhatsApp lines (``31.12.2025, 21:41 - Name: text``, ``[31.12.25, 21:41:05] Name: text``), read as in
  :mod:`.whatsapp` (system lines, deletions, placeholders), without media files;
* Telegram Desktop's copy format: ``Азамат, [02.01.2026 10:41]`` alone on a line, the message below it;
* ``[10:41] Name: text`` and ``[02.01.2026 10:41] Name: text``;
* ``Name: text`` — only when most lines look like that and nothing above matched, so that a sentence such as
  "Смотри: он опять пишет" is not taken for a sender;
* anything else: each non-empty paragraph is one message with no sender and no date.

Lines that do not start a message continue the one above.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal

from tumar.chats.importers.textfile import text_lines
from tumar.chats.importers.timestamps import DateOrder, DateOrderConflictError, to_datetime, to_time
from tumar.chats.importers.whatsapp import interpret, match_header, split_sender
from tumar.chats.model import ChatExport, ChatMessage, MediaRef, MessageKind, Platform
from tumar.errors import ImportFormatError

__all__ = ["PlainTextExport", "iter_text_messages", "parse_pasted"]

_AMPM = r"(?:[\s\u202f\u00a0]?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
_TELEGRAM_COPY = re.compile(
    r"^(?P<name>[^\s\[\],][^\[\]]{0,79}?), \[(?P<date>\d{1,2}[./]\d{1,2}[./]\d{2,4}),? "
    rf"(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?){_AMPM}\]\s*$"
)
_BRACKETED = re.compile(
    r"^\[(?:(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4}),?\s)?"
    rf"(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?){_AMPM}\]\s*(?P<rest>.*)$"
)
_NAME_LINE = re.compile(r"^(?P<name>[^\s:\[\]<>][^:\[\]<>]{0,39}?):\s+(?P<text>\S.*)$")
_NOT_IN_NAMES = set('"«»“”„!?;=/')

_Style = Literal["whatsapp", "telegram", "bracketed", "name", "paragraph"]
_Lines = Callable[[], Iterable[tuple[int, str]]]


@dataclass
class _Draft:
    line: int
    style: _Style
    sender: str | None = None
    date: str | None = None
    time: str | None = None
    ampm: str | None = None
    lines: list[str] = field(default_factory=list)


def parse_pasted(text: str, *, source: str = "pasted text", chat: str = "pasted") -> list[ChatMessage]:
    """The messages of a chat pasted as text (see the module docstring for the formats)."""
    body = text.lstrip("\ufeff")

    def lines() -> Iterator[tuple[int, str]]:
        for number, line in enumerate(body.split("\n"), start=1):
            yield number, line.rstrip("\r")

    return list(iter_text_messages(lines, source=source, chat=chat))


def iter_text_messages(lines: _Lines, *, source: str, chat: str) -> Iterator[ChatMessage]:
    """Messages from ``lines()`` (called twice: once to choose the style, once to parse)."""
    order = DateOrder()
    name_mode = _scan(lines(), order, source)
    last_date: datetime | None = None
    current: _Draft | None = None
    paragraph: _Draft | None = None
    for number, line in lines():
        start = _start(number, line, name_mode)
        if start is not None:
            for draft in (paragraph, current):
                if draft is not None:
                    message = _finish(draft, order, last_date, source=source, chat=chat)
                    last_date = message.date or last_date
                    yield message
            paragraph, current = None, start
        elif current is not None:
            current.lines.append(line)
        elif line.strip():
            if paragraph is None:
                paragraph = _Draft(number, "paragraph")
            paragraph.lines.append(line)
        elif paragraph is not None:
            yield _finish(paragraph, order, last_date, source=source, chat=chat)
            paragraph = None
    for draft in (paragraph, current):
        if draft is not None:
            yield _finish(draft, order, last_date, source=source, chat=chat)


class PlainTextExport(ChatExport):
    """A ``.txt`` file of chat text that is not a WhatsApp export."""

    platform: Platform = "text"

    def __init__(self, path: Path, *, chat: str | None = None) -> None:
        self.source = str(path)
        self.path = path
        self.chat = chat or path.stem
        self._label = path.name

    def messages(self) -> Iterator[ChatMessage]:
        yield from iter_text_messages(self._lines, source=self._label, chat=self.chat)

    def _lines(self) -> Iterator[tuple[int, str]]:
        try:
            stream = self.path.open("rb")
        except OSError as exc:
            raise ImportFormatError(f"cannot read the file ({exc.strerror})", source=self.source) from None
        with stream:
            yield from text_lines(stream, source=self.source)

    def open_media(self, path: str) -> BinaryIO | None:
        return None  # pasted text carries no files

    def media_paths(self) -> Iterator[str]:
        return iter(())

    def close(self) -> None:
        """Nothing stays open between calls."""

    def __enter__(self) -> PlainTextExport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _scan(lines: Iterable[tuple[int, str]], order: DateOrder, source: str) -> bool:
    """Feed every date to ``order``; return whether bare ``Name: text`` lines start messages."""
    structured = 0
    nonempty = 0
    names: Counter[str] = Counter()
    for number, line in lines:
        if not line.strip():
            continue
        nonempty += 1
        start = _start(number, line, name_mode=False)
        if start is None:
            name = _name_line(line)
            if name is not None:
                names[name[0]] += 1
            continue
        structured += 1
        if start.date is not None:
            try:
                order.add(start.date, twelve_hour=start.ampm is not None, line=number)
            except DateOrderConflictError as exc:
                raise ImportFormatError(str(exc), source=source, position=f"line {number}") from None
    named = sum(names.values())
    return structured == 0 and named >= 2 and 2 * named >= nonempty and (len(names) < named or named <= 3)


def _start(number: int, line: str, name_mode: bool) -> _Draft | None:
    """The draft a line starts, or None if it continues the text above."""
    header = match_header(line)
    if header is not None:
        sender, text = split_sender(header.rest)
        return _Draft(number, "whatsapp", sender, header.date, header.time, header.ampm, [text])
    match = _TELEGRAM_COPY.match(line)
    if match is not None:
        return _Draft(number, "telegram", match["name"].strip(), match["date"], match["time"], match["ampm"])
    match = _BRACKETED.match(line)
    if match is not None:
        sender, text = split_sender(match["rest"])
        return _Draft(number, "bracketed", sender, match["date"], match["time"], match["ampm"], [text])
    if name_mode:
        name = _name_line(line)
        if name is not None:
            return _Draft(number, "name", name[0], lines=[name[1]])
    return None


def _name_line(line: str) -> tuple[str, str] | None:
    match = _NAME_LINE.match(line.strip())
    if match is None:
        return None
    name = match["name"].strip()
    lower = name.lower()
    if len(name.split()) > 4 or _NOT_IN_NAMES & set(name) or "http" in lower or name.isdigit():
        return None
    return name, match["text"]


def _finish(
    draft: _Draft, order: DateOrder, last_date: datetime | None, *, source: str, chat: str
) -> ChatMessage:
    text = "\n".join(draft.lines).strip("\n").rstrip()
    extra: dict[str, str] = {}
    date: datetime | None = None
    if draft.time is not None:
        if draft.date is not None:
            try:
                date = to_datetime(draft.date, draft.time, draft.ampm, order)
            except ValueError as exc:
                raise ImportFormatError(str(exc), source=source, position=f"line {draft.line}") from None
        else:
            extra["time"] = draft.time + (f" {draft.ampm}" if draft.ampm else "")
            try:
                clock = to_time(draft.time, draft.ampm)
            except ValueError as exc:
                raise ImportFormatError(str(exc), source=source, position=f"line {draft.line}") from None
            if last_date is not None:
                date = datetime.combine(last_date.date(), clock)
    kind: MessageKind = "message"
    sender = draft.sender
    action: str | None = None
    media: tuple[MediaRef, ...] = ()
    if draft.style == "whatsapp":
        content = interpret(sender, text)
        kind, sender, text, action = content.kind, content.sender, content.text, content.action
        media = tuple(MediaRef(path=name, kind=kind_, present=False) for name, kind_ in content.media)
        extra.update(content.extra)
    return ChatMessage(
        id=f"L{draft.line}",
        chat=chat,
        date=date,
        sender=sender,
        text=text.strip() if draft.style == "paragraph" else text,
        kind=kind,
        action=action,
        media=media,
        source=f"{source}, line {draft.line}",
        extra=extra,
    )
