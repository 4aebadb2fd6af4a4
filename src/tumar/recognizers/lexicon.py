"""Cue patterns per language, read from ``data/lexicons/<lang>.yaml`` (format in that folder's README)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
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
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ten times faster


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

    @cached_property
    def _prefilter(self) -> Prefilter:
        return Prefilter([p.regex for p in self.patterns])

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


_NEAR_HEAD = r"(?<!\w)(?=.{0,250}"


def _group_end(raw: str, start: int) -> int:
    """The index just after the group that opens at ``raw[start] == "("`` (escapes and classes skipped)."""
    depth = 0
    i = start
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 2 if raw[i + 1 : i + 2] == "^" else 1
            if raw[i : i + 1] == "]":  # a "]" right after "[" or "[^" is a literal
                i += 1
            while i < len(raw) and raw[i] != "]":
                i += 2 if raw[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


def subject_first(raw: str) -> str:
    r"""Rewrite every ``(?<!\w)(?=.{0,250}X)(?:Y)`` ("Y with X within 250 characters after it") as
    ``(?<!\w)(?=(?:Y))(?=.{0,250}X)(?:Y)``: the same matches, but the wide look-ahead for X runs only where Y
    matches instead of at every word start. It was most of the regex time of the "near" cues."""
    out: list[str] = []
    pos = 0
    while (head := raw.find(_NEAR_HEAD, pos)) >= 0:
        try:
            near_end = _group_end(raw, head + len(r"(?<!\w)"))
            if raw[near_end : near_end + 3] != "(?:":
                raise ValueError("no subject group after the look-ahead")
            subject_end = _group_end(raw, near_end)
        except (ValueError, IndexError):
            return raw
        subject = raw[near_end:subject_end]
        out.append(raw[pos:head] + r"(?<!\w)(?=" + subject + ")" + raw[head + len(r"(?<!\w)") : subject_end])
        pos = subject_end
    out.append(raw[pos:])
    return "".join(out)


def prepared_pattern(raw: str) -> str:
    """A lexicon pattern as it runs on the folded views: lower-cased, special letters folded."""
    return _lower_unescaped(raw).translate(_FOLD_PATTERN)


def _compile(raw: str, where: str) -> re.Pattern[str]:
    try:
        plain = prepared_pattern(raw)
        regex = re.compile(plain)
    except re.error as exc:
        raise KnowledgeBaseError(f"{where}: bad pattern {raw!r}: {exc}") from exc
    faster = subject_first(plain)
    if faster != plain:
        try:
            return re.compile(faster)
        except re.error:  # pragma: no cover - e.g. a named group that cannot be repeated
            return regex
    return regex


_CUE, _URGENT, _CONTEXT = 0, 1, 2
# Context kinds whose every position the rules read (``negated`` looks at what a negation stands before); of
# the other context kinds and of the urgency kinds only whether they occur matters.
EVERY_MATCH_KINDS: frozenset[str] = frozenset({"negation"})


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

    _all: tuple[tuple[_Pattern, int, bool], ...] = field(init=False, repr=False, compare=False)
    _prefilter: Prefilter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every pattern as (pattern, group, whether every match counts), cues first, behind one prefilter: one
        # literal pass over a text for the cue, urgency and context patterns together.
        patterns = (
            *((p, _CUE, True) for p in self.cues.patterns),
            *((p, _URGENT, False) for p in self.urgent.patterns),
            *((p, _CONTEXT, p.label in EVERY_MATCH_KINDS) for p in self.context.patterns),
        )
        object.__setattr__(self, "_all", patterns)
        object.__setattr__(self, "_prefilter", Prefilter([p.regex for p, _, _ in patterns]))

    def scan(self, doc: Doc, into: Scan) -> None:
        """Add this lexicon's findings in ``doc`` to ``into``: every cue match (each one weighs in the score),
        every match of the :data:`EVERY_MATCH_KINDS`, and the first match of each other signal kind not
        found yet (by any lexicon)."""
        view = self.view(doc)
        every: dict[tuple[str, int, int], tuple[_Pattern, int, int, int]] = {}
        for offset, window in _windows(view):
            for index in self._prefilter.candidates(window):
                pattern, group, all_matches = self._all[index]
                if all_matches:
                    for m in pattern.regex.finditer(window):
                        if m.end() > m.start():
                            key = (pattern.source, offset + m.start(), offset + m.end())
                            every.setdefault(key, (pattern, group, offset + m.start(), offset + m.end()))
                    continue
                if (group, pattern.label) in into.kinds:
                    continue
                for m in pattern.regex.finditer(window):
                    if m.end() > m.start():
                        into.kinds.add((group, pattern.label))
                        into.add(doc, self, pattern, group, offset + m.start(), offset + m.end())
                        break
        for pattern, group, m_start, m_end in every.values():
            into.add(doc, self, pattern, group, m_start, m_end)


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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    except FileNotFoundError:
        data = {}
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"lexicons/{lang}.yaml: {exc}") from exc
    return _parse(lang, data)


_TURKIC_LETTERS = re.compile("[өүәғқұһі]", re.IGNORECASE)


def lexicons_for(doc: Doc, *, both_turkic: bool = True) -> tuple[Lexicon, ...]:
    """The lexicons worth running on ``doc``: its language, Russian (mixed in everywhere), English for Latin.

    Kyrgyz and Kazakh typed without their special letters (or in Latin letters) are easily taken for each
    other, so such a text gets both lexicons, its own first (unless ``both_turkic`` is false: the analyzer's
    ``--fast`` mode saves the second pass)."""
    langs: list[str] = []
    if both_turkic and doc.language in ("ky", "kk") and not _TURKIC_LETTERS.search(doc.text):
        langs += ["ky", "kk"] if doc.language == "ky" else ["kk", "ky"]
    elif doc.language in LEXICON_LANGUAGES:
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


@dataclass
class Scan:
    """What the lexicons found in one text, in one pass per lexicon (see :func:`scan`)."""

    cues: list[Cue] = field(default_factory=list)
    urgent: list[Signal] = field(default_factory=list)
    context: list[Signal] = field(default_factory=list)
    kinds: set[tuple[int, str]] = field(default_factory=set, repr=False)

    def add(
        self, doc: Doc, lexicon: Lexicon, pattern: _Pattern, group: int, m_start: int, m_end: int
    ) -> None:
        start, end = lexicon.span(doc, m_start, m_end)
        if group == _CUE:
            self.cues.append(
                Cue(pattern.label, start, end, doc.text[start:end], LexiconRecognizer.name, pattern.weight)
            )
        else:
            signal = Signal(pattern.label, start, end, doc.text[start:end])
            (self.urgent if group == _URGENT else self.context).append(signal)


def scan(doc: Doc, *, both_turkic: bool = True) -> Scan:
    """Every cue in ``doc`` and its urgency and context signals: each urgency kind and each context kind once
    (its first match), except :data:`EVERY_MATCH_KINDS`, found in full. What the analyzer needs, at one
    literal pass and the fewest regex runs per lexicon; :func:`find_signals` lists every signal instead.
    ``both_turkic``: see :func:`lexicons_for`."""
    found = Scan()
    for lexicon in lexicons_for(doc, both_turkic=both_turkic):
        lexicon.scan(doc, found)
    return found


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
