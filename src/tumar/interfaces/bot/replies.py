"""What the bot says, as plain data: a :class:`Reply` is Telegram-HTML text with optional inline buttons.

The core builds replies without knowing Telegram's types; the adapter (:mod:`.telegram`) sends them. Every
piece of text that is not markup goes through :func:`esc`, so a message, a file name or a knowledge-base text
can never inject markup. :func:`split_html` cuts a long reply into messages under Telegram's limit without
breaking a tag or an entity.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["MAX_MESSAGE", "MIN_LIMIT", "Button", "Reply", "bold", "esc", "split_html", "telegram_length"]

MAX_MESSAGE = 4096  # Telegram's limit for one message, in UTF-16 code units
MIN_LIMIT = 256


@dataclass(frozen=True)
class Button:
    """An inline button: its label and the callback data it sends back (at most 64 bytes)."""

    text: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > 64:
            raise ValueError(f"callback data over 64 bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """One answer: HTML text (of any length; the adapter splits it) and rows of buttons under its end."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())

    def parts(self, limit: int = MAX_MESSAGE) -> list[str]:
        return split_html(self.html, limit)


def esc(text: object) -> str:
    """``text`` safe for Telegram's HTML parse mode (``<``, ``>`` and ``&`` escaped)."""
    return html.escape(str(text), quote=False)


def bold(text: object) -> str:
    return f"<b>{esc(text)}</b>"


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


# ---- splitting -------------------------------------------------------------------------------------------
# a tag, an entity, one whitespace character, a run of up to 32 other characters, or a stray < or &
_TOKENS = re.compile(r"<[^<>]*>|&#?\w+;|\s|[^<&\s]{1,32}|[<&]")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
_PARAGRAPH, _LINE, _SPACE = 2, 1, 0


@dataclass(frozen=True)
class _Atom:
    text: str
    size: int
    tag: str | None = None  # a tag's name
    closing: bool = False
    brk: int = -1  # where a cut is good: _PARAGRAPH, _LINE, _SPACE, or -1 (not here)


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for token in _TOKENS.findall(text):
        tag = _TAG.fullmatch(token)
        if tag:
            atoms.append(_Atom(token, telegram_length(token), tag.group(2).lower(), bool(tag.group(1))))
        elif token == "\n":
            paragraph = bool(atoms) and atoms[-1].text == "\n"
            atoms.append(_Atom(token, 1, brk=_PARAGRAPH if paragraph else _LINE))
        elif token.isspace():
            atoms.append(_Atom(token, 1, brk=_SPACE))
        else:
            atoms.append(_Atom(token, telegram_length(token)))
    return atoms


def _stack_after(stack: list[_Atom], atoms: list[_Atom]) -> list[_Atom]:
    """The open tags after ``atoms``, starting from ``stack`` (innermost last)."""
    out = list(stack)
    for atom in atoms:
        if atom.tag is None:
            continue
        if not atom.closing:
            out.append(atom)
        else:
            for i in range(len(out) - 1, -1, -1):
                if out[i].tag == atom.tag:
                    del out[i]
                    break
    return out


def _closers(stack: list[_Atom]) -> str:
    return "".join(f"</{a.tag}>" for a in reversed(stack))


def _cut(current: list[_Atom]) -> tuple[int, bool]:
    """Where to end a full part: the last paragraph break in its second half, else the last line break,
    else the last space, else right here. Returns (index, whether the atom there is a break to drop)."""
    half = len(current) // 2
    for level in (_PARAGRAPH, _LINE, _SPACE):
        for i in range(len(current) - 1, half - 1 if level != _SPACE else 0, -1):
            if current[i].brk == level:
                return i, True
    return len(current), False


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` cut into parts of at most ``limit`` UTF-16 units, preferably at a blank line, then a line
    break, then a space. Tags open at a cut are closed at the end of the part and opened again at the start
    of the next, so every part is valid on its own. Whitespace at a cut is dropped; empty parts are not made.
    A word longer than the space left is cut where it must be. ``limit`` must leave room for the markup
    (at least :data:`MIN_LIMIT`).
    """
    if limit < MIN_LIMIT:
        raise ValueError(f"limit must be at least {MIN_LIMIT}")
    parts: list[str] = []
    opened: list[_Atom] = []  # tags open at the start of the current part
    current: list[_Atom] = []
    stack: list[_Atom] = []  # tags open after `current`
    atoms = _atoms(text)

    def fits(size: int, end: list[_Atom]) -> bool:
        return prefix + size + sum(len(a.tag or "") + 3 for a in end) <= limit

    prefix = 0  # size of the tags reopened at the start of the current part

    size = 0  # of `current`
    i = 0
    while True:
        if i < len(atoms):
            after = stack if atoms[i].tag is None else _stack_after(stack, [atoms[i]])
            if fits(size + atoms[i].size, after):
                current.append(atoms[i])
                size += atoms[i].size
                stack = after
                i += 1
                continue
        elif fits(size, stack):
            break
        at, drop = _cut(current)
        while at > 0 and not fits(sum(a.size for a in current[:at]), _stack_after(opened, current[:at])):
            at, drop = at - 1, False
        if at == 0:
            raise ValueError(f"limit {limit} leaves no room for text inside the open tags")
        head = current[:at]
        while head and head[-1].brk >= 0:
            head.pop()
        head_stack = _stack_after(opened, head)
        _emit(parts, opened, head, head_stack)
        opened = head_stack
        prefix = sum(a.size for a in opened)
        current = current[at + 1 :] if drop else current[at:]
        while current and current[0].brk >= 0:
            current = current[1:]
        size = sum(a.size for a in current)
        stack = _stack_after(opened, current)
    _emit(parts, opened, current, stack)
    return parts


def _emit(parts: list[str], start: list[_Atom], atoms: list[_Atom], end: list[_Atom]) -> None:
    body = "".join(a.text for a in atoms)
    if _TAG.sub("", body).strip():
        parts.append("".join(a.text for a in start) + body + _closers(end))
