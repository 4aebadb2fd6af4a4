"""The timeline of one chat that the pattern rules (:mod:`tumar.chats.patterns`) read.

:class:`ConversationMessage` is a message as the result shows it; :class:`Entry` adds what the rules need
(severity level, threat, phrases); :class:`Timeline` indexes the entries per sender; a rule returns
:class:`Pattern` results.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from tumar.analysis.finding import Finding

__all__ = ["CALL_ACTIONS", "ConversationMessage", "Entry", "Pattern", "Timeline"]

CALL_ACTIONS = frozenset({"phone_call", "group_call"})


@dataclass(frozen=True, slots=True)
class ConversationMessage:
    """One message of the timeline as the result shows it. Findings are kept only where there are some."""

    id: str
    date: datetime | None
    sender: str | None
    text: str
    findings: tuple[Finding, ...] = ()
    urgent: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "from": self.sender,
            "text": self.text,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """A message with what the rules need: severity level, threat, phrases. Internal to one analysis."""

    index: int
    message: ConversationMessage
    kind: str = "message"  # message | service
    action: str | None = None
    reply_to: str | None = None
    level: int = 0  # 0 none, 1 low, 2 medium, 3 high, 4 urgent or a threat
    threat: bool = False
    refusal: str | None = None
    joke: bool = False
    demands: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()

    @property
    def sender(self) -> str | None:
        return self.message.sender

    @property
    def date(self) -> datetime | None:
        return self.message.date

    @property
    def id(self) -> str:
        return self.message.id

    @property
    def is_text(self) -> bool:
        return self.kind == "message" and bool(self.message.text.strip())

    @property
    def is_call(self) -> bool:
        return self.kind == "service" and self.action in CALL_ACTIONS

    @property
    def forms(self) -> set[str]:
        return {f.form for f in self.message.findings}


@dataclass(frozen=True)
class Pattern:
    """Something that only shows across messages: who, how often, from when to when, which messages."""

    kind: str
    sender: str | None
    count: int
    first: datetime | None
    last: datetime | None
    message_ids: tuple[str, ...]
    detail: dict[str, Any] = field(default_factory=dict)


class Timeline:
    """The messages of one chat in export order, with per-sender indexes for the rules."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self._by_id = {e.id: e.index for e in entries}
        self.texts: dict[str, list[int]] = {}  # sender → indexes of their text messages
        self.contacts: dict[str, list[int]] = {}  # sender → texts and calls
        self.replies: dict[str, list[int]] = {}  # sender → texts that are not refusals
        for e in entries:
            if e.sender is None:
                continue
            if e.is_text:
                self.texts.setdefault(e.sender, []).append(e.index)
                if not e.refusal or e.joke:
                    self.replies.setdefault(e.sender, []).append(e.index)
            if e.is_text or e.is_call:
                self.contacts.setdefault(e.sender, []).append(e.index)
        self._text_prefix = [0]
        for e in entries:
            self._text_prefix.append(self._text_prefix[-1] + (e.is_text and e.sender is not None))

    @cached_property
    def senders(self) -> tuple[str, ...]:
        """Everyone who wrote, most messages first."""
        return tuple(sorted(self.texts, key=lambda s: (-len(self.texts[s]), s)))

    def position(self, message_id: str) -> int:
        """The index of the message with this id (-1 if there is none)."""
        return self._by_id.get(message_id, -1)

    def of(self, sender: str) -> Iterator[Entry]:
        return (self.entries[i] for i in self.texts.get(sender, ()))

    def texts_between(self, start: int, end: int) -> int:
        """How many text messages (any sender) have an index in ``start..end``."""
        return self._text_prefix[end + 1] - self._text_prefix[start]

    def addressee(self, entry: Entry) -> str | None:
        """Whom a message speaks to: the author of the message it replies to, the other person of a
        two-person chat, or else whoever wrote last before it."""
        if entry.reply_to is not None and entry.reply_to in self._by_id:
            target = self.entries[self._by_id[entry.reply_to]].sender
            if target is not None and target != entry.sender:
                return target
        others = [s for s in self.texts if s != entry.sender]
        if len(others) == 1:
            return others[0]
        for i in range(entry.index - 1, max(-1, entry.index - 200), -1):
            sender = self.entries[i].sender
            if sender is not None and sender != entry.sender and self.entries[i].is_text:
                return sender
        return None
