"""The analysis of a whole conversation: the abuse that only shows across a chat.

Every message is analysed (in batches, by the same :class:`~tumar.analysis.analyzer.Analyzer` as single
texts); then the pattern rules (:mod:`tumar.chats.patterns`) run over the timeline, the form rules
(:mod:`tumar.chats.forms`) turn messages and patterns into conversation-level forms, and the sender with
the most severity-weighted findings is named as the likely abuser.

Memory stays proportional to the chat's text: a message keeps its findings only when it has some, and the
analyzer's full results are dropped batch by batch.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tumar.analysis.analyzer import Analyzer
from tumar.analysis.finding import SEVERITIES, Analysis
from tumar.chats.forms import ConversationForm, conversation_forms
from tumar.chats.model import ChatMessage
from tumar.chats.patterns import ConversationMessage, Entry, Pattern, Timeline, find_patterns
from tumar.chats.phrases import mark
from tumar.chats.wording import describe
from tumar.errors import InputError
from tumar.knowledge.loader import KnowledgeBase
from tumar.languages import check_language

__all__ = [
    "ConversationAnalysis",
    "ConversationForm",
    "ConversationMessage",
    "Pattern",
    "analyze_conversation",
    "describe",
    "likely_abuser",
]

log = logging.getLogger(__name__)

THREAT_REASONS = frozenset({"threat_to_life", "physical_harm", "imminent_release"})
SEVERITY_WEIGHT = {"low": 1, "medium": 2, "high": 3, "urgent": 4}
URGENT_WEIGHT = 4  # added for an urgent message or a threat


@dataclass(frozen=True)
class ConversationAnalysis:
    """What a chat shows as a whole. ``to_json`` is the public contract."""

    forms: tuple[ConversationForm, ...]
    urgent: bool
    abuser: str | None
    patterns: tuple[Pattern, ...]
    messages: tuple[ConversationMessage, ...]
    explain_lang: str = "en"
    chat: str | None = None
    analyzed: int = 0  # messages given to the analyzer (not service lines, not empty)

    @property
    def period(self) -> tuple[datetime | None, datetime | None]:
        """The first and last message dates (None, None when no message is dated)."""
        dates = [m.date for m in self.messages if m.date is not None]
        return (min(dates), max(dates)) if dates else (None, None)

    @property
    def abusive(self) -> tuple[ConversationMessage, ...]:
        """Messages with findings or urgent, in date order (undated ones last, in chat order)."""
        found = [m for m in self.messages if m.findings or m.urgent]
        return tuple(sorted(found, key=lambda m: (m.date is None, m.date or datetime.min)))

    def describe(self, pattern: Pattern, lang: str | None = None) -> str:
        return describe(pattern, lang or self.explain_lang)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """``{"forms", "urgent", "abuser", "patterns", "messages"}``; descriptions in ``lang``."""
        lang = check_language(lang or self.explain_lang)
        return {
            "forms": [f.to_json() for f in self.forms],
            "urgent": self.urgent,
            "abuser": self.abuser,
            "patterns": [
                {
                    "kind": p.kind,
                    "sender": p.sender,
                    "count": p.count,
                    "first": p.first.isoformat() if p.first else None,
                    "last": p.last.isoformat() if p.last else None,
                    "message_ids": list(p.message_ids),
                    "description": describe(p, lang),
                }
                for p in self.patterns
            ],
            "messages": [m.to_json() for m in self.messages],
        }


def _entry(index: int, message: ChatMessage, analysis: Analysis | None) -> Entry:
    if analysis is None:
        return Entry(
            index,
            ConversationMessage(message.id, message.date, message.sender, message.text),
            kind=message.kind,
            action=message.action,
            reply_to=message.reply_to,
        )
    context = set(analysis.context)
    threat = analysis.urgent or (
        bool(THREAT_REASONS & set(analysis.urgent_reasons)) and not context & {"joke", "news"}
    )
    marks = mark(message.text, joke="joke" in context)
    return Entry(
        index,
        ConversationMessage(
            message.id, message.date, message.sender, message.text, analysis.findings, threat
        ),
        kind=message.kind,
        action=message.action,
        reply_to=message.reply_to,
        level=4 if threat else SEVERITIES.index(analysis.severity),
        threat=threat,
        refusal=marks.refusal,
        joke=marks.joke,
        demands=marks.demands,
        signs=marks.signs,
    )


def _owner(timeline: Timeline, owner: str | None) -> str | None:
    if owner is None:
        return None
    names = {s.casefold().strip(): s for s in timeline.texts}
    key = owner.casefold().strip()
    if key not in names:
        known = ", ".join(timeline.senders[:10]) or "none"
        raise InputError(f"owner {owner!r} wrote no message in this chat (senders: {known})")
    return names[key]


def likely_abuser(
    timeline: Timeline, forms: Iterable[ConversationForm], kb: KnowledgeBase, owner: str | None
) -> str | None:
    """The sender with the most severity-weighted findings (and conversation-level forms), not ``owner``.

    None when nobody has any, or when two senders are tied on weight and on abusive messages.
    """
    scores: Counter[str] = Counter()
    abusive: Counter[str] = Counter()
    for e in timeline.entries:
        if e.sender is None or e.sender == owner:
            continue
        weight = sum(
            SEVERITY_WEIGHT[kb.form(f.form).severity]
            for f in e.message.findings
            if "taxonomy" not in f.recognizers
        )
        weight += URGENT_WEIGHT if e.message.urgent else 0
        if weight:
            scores[e.sender] += weight
            abusive[e.sender] += 1
    for form in forms:
        if form.rule != "found_in_messages" and form.sender != owner:
            scores[form.sender] += SEVERITY_WEIGHT[kb.form(form.form).severity]
    ranked = sorted(scores, key=lambda s: (-scores[s], -abusive[s]))
    if not ranked:
        return None
    if len(ranked) > 1 and (scores[ranked[0]], abusive[ranked[0]]) == (scores[ranked[1]], abusive[ranked[1]]):
        return None
    return ranked[0]


def analyze_conversation(
    messages: Iterable[ChatMessage],
    analyzer: Analyzer,
    *,
    lang: str | None = None,
    explain_lang: str = "en",
    owner: str | None = None,
    batch_size: int = 256,
    lock: AbstractContextManager[object] | None = None,
) -> ConversationAnalysis:
    """Analyse every message of a chat, then the patterns and forms across it.

    ``lang`` fixes the language of every message (None: detected per message); explanations and pattern
    descriptions are in ``explain_lang``; ``owner`` (the person whose chat it is) is never named the
    abuser and her messages are not counted towards forms. Service lines and empty messages are not
    analysed but stay in the timeline (a call after "stop calling me" still counts as contact). ``lock``,
    when given, is held around each batch (an analyzer shared by threads, as in the web app and the bot).
    """
    lang = check_language(lang) if lang is not None else None
    explain_lang = check_language(explain_lang)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    slots: list[Entry | None] = []
    pending: list[tuple[int, ChatMessage]] = []
    chat: str | None = None

    def flush() -> None:
        items = [(m.id, m.text, lang) for _, m in pending]
        with lock or nullcontext():
            results = analyzer.analyze_batch(items, explain_lang=explain_lang)
        for (index, message), analysis in zip(pending, results, strict=True):
            slots[index] = _entry(index, message, analysis)
        pending.clear()

    analyzed = 0
    for message in messages:
        chat = chat if chat is not None else message.chat
        index = len(slots)
        if message.kind == "message" and message.text.strip():
            slots.append(None)
            pending.append((index, message))
            analyzed += 1
            if len(pending) >= batch_size:
                flush()
        else:
            slots.append(_entry(index, message, None))
    if pending:
        flush()
    entries = [e for e in slots if e is not None]
    assert len(entries) == len(slots)
    timeline = Timeline(entries)
    owner = _owner(timeline, owner)
    patterns = find_patterns(timeline)
    kb = analyzer.kb
    forms = conversation_forms(
        timeline, patterns, kb, explain_lang, (s for s in timeline.senders if s != owner)
    )
    abuser = likely_abuser(timeline, forms, kb, owner)
    result = ConversationAnalysis(
        forms=forms,
        urgent=any(e.message.urgent for e in entries),
        abuser=abuser,
        patterns=patterns,
        messages=tuple(e.message for e in entries),
        explain_lang=explain_lang,
        chat=chat,
        analyzed=analyzed,
    )
    log.info(
        "conversation: %d messages, %d analysed, %d patterns, %d forms",
        len(entries),
        analyzed,
        len(patterns),
        len(forms),
    )
    return result
