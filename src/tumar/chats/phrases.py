"""The phrases a conversation is read for: refusals, jokes, demands and grooming signs.

They live in ``data/conversation.yaml`` (format described at its top), validated by the schema below and
compiled once. :func:`mark` reads one message and returns its :class:`Marks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tumar.analysis.doc import LETTER_FOLD, Doc
from tumar.errors import KnowledgeBaseError
from tumar.knowledge.models import Localized
from tumar.recognizers.prefilter import Prefilter

__all__ = [
    "DEMAND_CATEGORIES",
    "GROOMING_SIGNS",
    "PATTERN_KINDS",
    "ConversationData",
    "Marks",
    "PhraseBook",
    "Phrases",
    "load_phrases",
    "mark",
]

DEMAND_CATEGORIES: tuple[str, ...] = (
    "password",
    "location",
    "photos",
    "money",
    "phone_check",
    "camera",
    "documents",
)
GROOMING_SIGNS: tuple[str, ...] = ("flattery", "secrecy", "meeting", "gifts", "age")
PATTERN_KINDS: tuple[str, ...] = (
    "contact_after_refusal",
    "flood",
    "escalation",
    "repeated_demand",
    "threats",
    "grooming_signs",
)
REASONS: tuple[str, ...] = (
    "after_refusal",
    "floods",
    "hostile",
    "threats",
    "demands",
    "monitoring",
    "findings",
    "grooming_signs",
    "sexual",
)
LABELS: tuple[str, ...] = (
    "title",
    "counts",
    "urgent",
    "abuser",
    "nothing",
    "forms",
    "patterns",
    "timeline",
    "more",
    "no_date",
    "threat",
)
MAX_CUE = 60  # characters of a refusal kept to quote it


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _keys(value: Mapping[str, Any], expected: tuple[str, ...], what: str) -> None:
    if set(value) != set(expected):
        missing = sorted(set(expected) - set(value))
        extra = sorted(set(value) - set(expected))
        raise ValueError(f"{what}: missing {missing or 'nothing'}, unexpected {extra or 'nothing'}")


class LanguagePatterns(_Strict):
    """Patterns per language; ky, ru and kk run on the Cyrillic view, en on the Latin one."""

    ky: tuple[str, ...]
    ru: tuple[str, ...]
    kk: tuple[str, ...]
    en: tuple[str, ...]

    def cyrillic(self) -> tuple[str, ...]:
        return (*self.ky, *self.ru, *self.kk)


class DemandSpec(LanguagePatterns):
    min_count: int = Field(ge=1)
    window_hours: float = Field(gt=0)


class Durations(_Strict):
    minutes: Localized
    hours: Localized
    days: Localized


class Wording(_Strict):
    """Localized templates: see the top of ``conversation.yaml`` for their syntax."""

    when: Localized
    list_separator: Localized
    durations: Durations
    levels: tuple[Localized, ...] = Field(min_length=5, max_length=5)
    demand_actions: dict[str, Localized]
    demand_names: dict[str, Localized]
    signs: dict[str, Localized]
    patterns: dict[str, Localized]
    reasons: dict[str, Localized]
    explanation: Localized
    labels: dict[str, Localized]

    @field_validator("demand_actions", "demand_names")
    @classmethod
    def _demands(cls, value: dict[str, Localized]) -> dict[str, Localized]:
        _keys(value, DEMAND_CATEGORIES, "demand wording")
        return value

    @field_validator("signs")
    @classmethod
    def _signs(cls, value: dict[str, Localized]) -> dict[str, Localized]:
        _keys(value, (*GROOMING_SIGNS, "photos"), "signs")
        return value

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: dict[str, Localized]) -> dict[str, Localized]:
        _keys(value, PATTERN_KINDS, "patterns")
        return value

    @field_validator("reasons")
    @classmethod
    def _reasons(cls, value: dict[str, Localized]) -> dict[str, Localized]:
        _keys(value, REASONS, "reasons")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, Localized]) -> dict[str, Localized]:
        _keys(value, LABELS, "labels")
        return value


class ConversationData(_Strict):
    """The whole of ``conversation.yaml``."""

    refusal: LanguagePatterns
    joke: tuple[str, ...]
    demands: dict[str, DemandSpec]
    grooming: dict[str, LanguagePatterns]
    wording: Wording

    @field_validator("demands")
    @classmethod
    def _demands(cls, value: dict[str, DemandSpec]) -> dict[str, DemandSpec]:
        _keys(value, DEMAND_CATEGORIES, "demands")
        return value

    @field_validator("grooming")
    @classmethod
    def _grooming(cls, value: dict[str, LanguagePatterns]) -> dict[str, LanguagePatterns]:
        _keys(value, GROOMING_SIGNS, "grooming")
        return value


_FOLD = str.maketrans(LETTER_FOLD)
_ESCAPE_OR_CHAR = re.compile(r"\\.|.", re.DOTALL)


def _compile(raw: str, where: str, *, word_start: bool = True) -> re.Pattern[str]:
    """A pattern lower-cased (escapes kept) and special letters folded, anchored at a word start."""
    folded = "".join(
        m if m.startswith("\\") else m.lower().translate(_FOLD) for m in _ESCAPE_OR_CHAR.findall(raw)
    )
    try:
        return re.compile(f"(?<!\\w)(?:{folded})" if word_start else folded)
    except re.error as exc:
        raise KnowledgeBaseError(f"conversation.yaml, {where}: bad pattern {raw!r}: {exc}") from exc


class PhraseBook:
    """Labelled patterns ("refusal", "demand:location", "sign:secrecy") behind a literal prefilter, so a
    message runs only the few patterns that can match it."""

    def __init__(self, cyrillic: list[tuple[str, re.Pattern[str]]], latin: list[tuple[str, re.Pattern[str]]]):
        self._views = [
            (cyrillic, Prefilter([r for _, r in cyrillic]), True),
            (latin, Prefilter([r for _, r in latin]), False),
        ]

    def find(self, doc: Doc) -> dict[str, str]:
        """Label → the first words of ``doc`` that match it, as written in the message."""
        found: dict[str, str] = {}
        for patterns, prefilter, cyr in self._views:
            view = doc.cyr if cyr else doc.lat
            for index in prefilter.candidates(view):
                label, regex = patterns[index]
                if label in found:
                    continue
                m = regex.search(view)
                if m:
                    start, end = (doc.cyr_span if cyr else doc.lat_span)(m.start(), m.end())
                    found[label] = doc.text[start:end]
        return found


@dataclass(frozen=True)
class DemandRule:
    category: str
    min_count: int  # this many demands …
    window: timedelta  # … within this time make a repeated demand


@dataclass(frozen=True)
class Phrases:
    book: PhraseBook
    joke: re.Pattern[str]
    demands: tuple[DemandRule, ...]
    wording: Wording


@dataclass(frozen=True, slots=True)
class Marks:
    """What one message says in the conversation's terms."""

    refusal: str | None = None  # the refusal as written ("отстань"), if the message asks to stop contact
    joke: bool = False
    demands: tuple[str, ...] = ()  # demand categories
    signs: tuple[str, ...] = ()  # grooming signs

    def __bool__(self) -> bool:
        return bool(self.refusal or self.demands or self.signs or self.joke)


def _read() -> ConversationData:
    path = resources.files("tumar.chats") / "data" / "conversation.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"conversation.yaml: {exc}") from exc
    try:
        return ConversationData.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"conversation.yaml: {exc}") from exc


@cache
def load_phrases() -> Phrases:
    """The packaged phrases, validated and compiled (once per process)."""
    data = _read()
    groups: list[tuple[str, LanguagePatterns]] = [
        ("refusal", data.refusal),
        *((f"demand:{c}", spec) for c, spec in data.demands.items()),
        *((f"sign:{s}", p) for s, p in data.grooming.items()),
    ]
    cyrillic = [(label, _compile(raw, label)) for label, lp in groups for raw in lp.cyrillic()]
    latin = [(label, _compile(raw, label)) for label, lp in groups for raw in lp.en]
    if not data.joke:
        raise KnowledgeBaseError("conversation.yaml: the joke list is empty")
    return Phrases(
        book=PhraseBook(cyrillic, latin),
        joke=re.compile("|".join(_compile(raw, "joke", word_start=False).pattern for raw in data.joke)),
        demands=tuple(
            DemandRule(category, spec.min_count, timedelta(hours=spec.window_hours))
            for category, spec in data.demands.items()
        ),
        wording=data.wording,
    )


_EMPTY = Marks()


def mark(text: str, *, joke: bool = False) -> Marks:
    """Refusal, joke, demands and grooming signs in one message (``joke``: the analyzer saw a joke)."""
    if not text.strip():
        return _EMPTY
    phrases = load_phrases()
    doc = Doc(text)
    found = phrases.book.find(doc)
    if not found:
        return _EMPTY
    refusal = found.get("refusal")
    demands = tuple(c for c in DEMAND_CATEGORIES if f"demand:{c}" in found)
    signs = tuple(s for s in GROOMING_SIGNS if f"sign:{s}" in found)
    joke = joke or bool(phrases.joke.search(doc.folded) or phrases.joke.search(doc.cyr))
    return Marks(refusal[:MAX_CUE] if refusal else None, joke, demands, signs)
