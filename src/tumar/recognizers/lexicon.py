"""Cue patterns per language, read from ``data/lexicons/<lang>.yaml`` (format in that folder's README)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from tumar.analysis.doc import LETTER_FOLD, Doc
from tumar.analysis.finding import Cue
from tumar.analysis.recognizer import Recognizer
from tumar.errors import KnowledgeBaseError
from tumar.knowledge.models import ALL_FORM_IDS
from tumar.recognizers.prefilter import Prefilter

LEXICON_LANGUAGES: tuple[str, ...] = ("ky", "kk", "ru", "en")
URGENT_KINDS: tuple[str, ...] = (
    "threat_to_life",
    "physical_harm",
    "imminent_release",
    "child_meeting",
    "trafficking",
    "self_harm",
)
CONTEXT_KINDS: tuple[str, ...] = (
    "news",
    "reported_speech",
    "negation",
    "victim",
    "joke",
    "own_ad",
    "help_seeking",
)
_FOLD_PATTERN = str.maketrans(LETTER_FOLD)


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    label: str  # a form id, an urgent kind or a context kind
    weight: float
    source: str  # "ky:12" — language and index, for explanations


class _PatternSet:
    """Patterns grouped by label, behind a literal prefilter so only the patterns that can match are run."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        self.patterns = patterns
        self.by_label: dict[str, list[_Pattern]] = {}
        for pattern in patterns:
            self.by_label.setdefault(pattern.label, []).append(pattern)
        self._prefilter = Prefilter([p.regex for p in patterns])

    def matches(self, text: str) -> list[tuple[_Pattern, int, int]]:
        """Every match as (pattern, start, end), found window by window so long texts cost linear time."""
        found: dict[tuple[str, int, int], tuple[_Pattern, int, int]] = {}
        for offset, window in _windows(text):
            for index in self._prefilter.candidates(window):
                pattern = self.patterns[index]
                for m in pattern.regex.finditer(window):
                    if m.end() > m.start():
                        key = (pattern.source, offset + m.start(), offset + m.end())
                        found.setdefault(key, (pattern, offset + m.start(), offset + m.end()))
        return list(found.values())


WINDOW = 1200
OVERLAP = 300


def _windows(text: str) -> list[tuple[int, str]]:
    """Overlapping windows of a long text (a message is one window)."""
    if len(text) <= WINDOW:
        return [(0, text)]
    step = WINDOW - OVERLAP
    return [(start, text[start : start + WINDOW]) for start in range(0, len(text) - OVERLAP, step)]


_ESCAPE_OR_CHAR = re.compile(r"\\.|.", re.DOTALL)


def _lower_unescaped(raw: str) -> str:
    """Lower-case a pattern without touching escapes: ``\\W`` must stay ``\\W``."""
    return "".join(m if m.startswith("\\") else m.lower() for m in _ESCAPE_OR_CHAR.findall(raw))


def _compile(raw: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(_lower_unescaped(raw).translate(_FOLD_PATTERN))
    except re.error as exc:
        raise KnowledgeBaseError(f"{where}: bad pattern {raw!r}: {exc}") from exc


@dataclass(frozen=True)
class Lexicon:
    """The cue, urgency and context patterns of one language."""

    lang: str
    cues: _PatternSet
    urgent: _PatternSet
    context: _PatternSet

    def view(self, doc: Doc) -> str:
        return doc.lat if self.lang == "en" else doc.cyr

    def span(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        return doc.lat_span(start, end) if self.lang == "en" else doc.cyr_span(start, end)


def _parse(lang: str, data: dict[str, Any]) -> Lexicon:
    where = f"lexicons/{lang}.yaml"
    cues, urgent, context = [], [], []
    for i, item in enumerate(data.get("cues") or []):
        form = item.get("form")
        if form not in ALL_FORM_IDS:
            raise KnowledgeBaseError(f"{where}: cue {i}: unknown form {form!r}")
        weight = float(item.get("weight", 0.5))
        cues.append(_Pattern(_compile(item["re"], where), form, weight, f"{lang}:{i}"))
    for i, item in enumerate(data.get("urgent") or []):
        kind = item.get("kind")
        if kind not in URGENT_KINDS:
            raise KnowledgeBaseError(f"{where}: urgent {i}: unknown kind {kind!r}")
        urgent.append(_Pattern(_compile(item["re"], where), kind, 1.0, f"{lang}:u{i}"))
    for kind, patterns in (data.get("context") or {}).items():
        if kind not in CONTEXT_KINDS:
            raise KnowledgeBaseError(f"{where}: unknown context kind {kind!r}")
        context += [
            _Pattern(_compile(raw, where), kind, 1.0, f"{lang}:{kind}{i}") for i, raw in enumerate(patterns)
        ]
    return Lexicon(lang, _PatternSet(cues), _PatternSet(urgent), _PatternSet(context))


@cache
def load_lexicon(lang: str) -> Lexicon:
    path = resources.files("tumar.recognizers") / "data" / "lexicons" / f"{lang}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        data = {}
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"lexicons/{lang}.yaml: {exc}") from exc
    return _parse(lang, data)


def lexicons_for(doc: Doc) -> tuple[Lexicon, ...]:
    """The lexicons worth running on ``doc``: its language, Russian (mixed in everywhere), English for Latin."""
    langs: list[str] = []
    if doc.language in LEXICON_LANGUAGES:
        langs.append(doc.language)
    else:
        langs += ["ky", "kk"]
    if "ru" not in langs:
        langs.append("ru")
    if doc.latin_share > 0.3 and "en" not in langs:
        langs.append("en")
    return tuple(load_lexicon(lang) for lang in langs)


@dataclass(frozen=True)
class Signal:
    """A context or urgency cue found in the text."""

    kind: str
    start: int
    end: int
    text: str


def find_signals(doc: Doc, which: str) -> list[Signal]:
    """``which`` is "urgent" or "context": every such signal in ``doc`` from the relevant lexicons."""
    out: list[Signal] = []
    for lexicon in lexicons_for(doc):
        view = lexicon.view(doc)
        patterns = lexicon.urgent if which == "urgent" else lexicon.context
        for pattern, m_start, m_end in patterns.matches(view):
            start, end = lexicon.span(doc, m_start, m_end)
            out.append(Signal(pattern.label, start, end, doc.text[start:end]))
    return out


class LexiconRecognizer(Recognizer):
    """Cues from the per-language pattern files."""

    name = "lexicon"

    def analyze(self, doc: Doc) -> list[Cue]:
        cues: list[Cue] = []
        for lexicon in lexicons_for(doc):
            view = lexicon.view(doc)
            for pattern, m_start, m_end in lexicon.cues.matches(view):
                start, end = lexicon.span(doc, m_start, m_end)
                cues.append(Cue(pattern.label, start, end, doc.text[start:end], self.name, pattern.weight))
        return cues
