"""A text prepared once for every recognizer: normalized views, tokens, lazy embedding.

Two views keep the analyzer simple and fast:

* ``folded`` has exactly the length of the original text: lower-cased, ё→е, Latin look-alikes inside
  Cyrillic words turned Cyrillic (``пиzда`` → ``пизда``), and the Kyrgyz/Kazakh letters folded to the
  plain Cyrillic people type without them (ө→о, ү→у, ң→н, ә→а, қ→к, ғ→г, ұ→у, һ→х, і→и), so one pattern
  matches "өлтүрөм" and "олтуром". Spans found in it are spans of the original.
* ``cyr`` is ``folded`` with Latin-letter words transliterated to Cyrillic ("seni oltyrom" → "сени олтыром");
  ``cyr_to_orig`` maps each of its characters back to the original offset.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Kyrgyz and Kazakh letters and their plain Cyrillic stand-ins, as people type them without the special keys.
LETTER_FOLD: dict[str, str] = {
    "ё": "е", "ӊ": "н", "ө": "о", "ү": "у", "ң": "н", "ә": "а", "қ": "к", "ғ": "г", "ұ": "у", "һ": "х",
    "і": "и", "ї": "и", "ў": "у",
}  # fmt: skip
_FOLD = str.maketrans({**LETTER_FOLD, "\u00a0": " ", "\u202f": " ", "’": "'", "`": "'"})
_LOOKALIKE = str.maketrans(
    {
        "a": "а",
        "e": "е",
        "o": "о",
        "p": "р",
        "c": "с",
        "x": "х",
        "y": "у",
        "k": "к",
        "m": "м",
        "t": "т",
        "b": "б",
        "h": "н",
        "z": "з",
        "u": "и",
        "n": "п",
        "3": "з",
        "0": "о",
        "6": "б",
        "4": "ч",
        "@": "а",
    }
)
_CYRILLIC = re.compile(r"[а-яёөүңәқғұһі]")
_LOOKALIKE_CHAR = re.compile("[" + re.escape("".join(chr(c) for c in _LOOKALIKE)) + "]")
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"[\w*@#$]+(?:[-'][\w*@#$]+)*")
_PI = re.compile(r"3\.14|π")
MAX_WORD = 40
MAX_GAP = 8
# A run that could be a word longer than MAX_WORD or a gap between words longer than MAX_GAP.
_CUT = re.compile(rf"[^\w*@#$]{{{MAX_GAP + 1}}}|[\w*@#$'-]{{{MAX_WORD + 1}}}")

# Latin → Cyrillic, longest first (Kyrgyz/Kazakh/Russian typed in Latin letters).
_TRANSLIT = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ng", "н"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "ж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "ы"),
    ("z", "з"),
    ("'", ""),
)


def fold(text: str) -> str:
    """Lower-case and fold special letters, keeping the length of ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters (İ) lower-case to two characters
        lowered = "".join(ch.lower()[0] if ch.lower() else ch for ch in text)
    return lowered.translate(_FOLD)


def _deobfuscate_word(word: str) -> str:
    """Turn Latin look-alikes, digits and symbols in a mostly-Cyrillic word into Cyrillic."""
    if not _CYRILLIC.search(word):
        return word
    return word.translate(_LOOKALIKE)


_TRANSLIT_MAP = dict(_TRANSLIT)
_TRANSLIT_RE = re.compile("|".join(re.escape(latin) for latin, _ in _TRANSLIT) + "|.", re.DOTALL)


@lru_cache(maxsize=1 << 14)
def _translit_word(word: str) -> tuple[str, tuple[int, ...]]:
    """A Latin-letter word in Cyrillic letters, with the offset in ``word`` of each output character."""
    out: list[str] = []
    index: list[int] = []
    for m in _TRANSLIT_RE.finditer(word):
        cyr = _TRANSLIT_MAP.get(m.group(), m.group())
        out.append(cyr)
        index.extend([m.start()] * len(cyr))
    return "".join(out), tuple(index)


@lru_cache(maxsize=1 << 16)
def _translit_text(word: str) -> str:
    """A Latin-letter word in Cyrillic letters (only the text; :func:`_translit_word` also maps offsets)."""
    return _TRANSLIT_RE.sub(lambda m: _TRANSLIT_MAP.get(m.group(), m.group()), word)


def _cyr_word(m: re.Match[str]) -> str:
    word = m.group()
    if _LATIN.search(word) and not _CYRILLIC.search(word):
        return _translit_text(word)
    return word


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass
class Doc:
    """One message, prepared once. ``embedding`` is filled by the analyzer when a model is used."""

    text: str
    language: str = "unknown"
    embedding: np.ndarray | None = field(default=None, repr=False)

    @cached_property
    def folded(self) -> str:
        base = fold(self.text)
        if "3.14" in base or "π" in base:
            base = _PI.sub(lambda m: "пи" + "и" * (len(m.group()) - 2), base)
        if not (_CYRILLIC.search(base) and _LOOKALIKE_CHAR.search(base)):  # no word to deobfuscate
            return base
        return _WORD.sub(lambda m: _deobfuscate_word(m.group()), base)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(self.folded))

    @cached_property
    def latin_share(self) -> float:
        folded = self.folded
        letters = sum(map(str.isalpha, folded))
        if not letters:
            return 0.0
        return len(_LATIN.findall(folded)) / letters

    def _view(self, translit: bool) -> tuple[str, tuple[int, ...]]:
        """The folded text for pattern matching, with an index back to the original offsets.

        Latin words are transliterated to Cyrillic when ``translit``; words longer than ``MAX_WORD`` and runs of
        spaces or punctuation longer than ``MAX_GAP`` are cut short, so no pattern can backtrack through them.
        """
        folded = self.folded
        out: list[str] = []
        index: list[int] = []

        def gap(start: int, end: int) -> None:
            keep = min(end - start, MAX_GAP)
            out.append(folded[start : start + keep])
            index.extend(range(start, start + keep))

        pos = 0
        for token in self.tokens:
            gap(pos, token.start)
            word = token.text[:MAX_WORD]
            if translit and _LATIN.search(word) and not _CYRILLIC.search(word):
                cyr, offsets = _translit_word(word)
                out.append(cyr)
                index.extend(token.start + o for o in offsets)
            else:
                out.append(word)
                index.extend(range(token.start, token.start + len(word)))
            pos = token.end
        gap(pos, len(folded))
        return "".join(out), tuple(index)

    @cached_property
    def _uncut(self) -> bool:
        """No word longer than ``MAX_WORD`` and no gap longer than ``MAX_GAP``: the views cut nothing."""
        return not _CUT.search(self.folded)

    @cached_property
    def _plain_cyr(self) -> bool:
        """The Cyrillic view is the folded text itself (nothing cut, no Latin letters to transliterate)."""
        return self._uncut and not _LATIN.search(self.folded)

    @cached_property
    def cyr(self) -> str:
        if self._plain_cyr:
            return self.folded
        if self._uncut:  # only whole words change: no need to build the offset index to get the text
            return _WORD.sub(_cyr_word, self.folded)
        return self._cyr_index[0]

    @cached_property
    def lat(self) -> str:
        """Like :attr:`cyr` but Latin words kept Latin (for the English lexicon)."""
        return self.folded if self._uncut else self._lat_index[0]

    @cached_property
    def _cyr_index(self) -> tuple[str, tuple[int, ...]]:
        if not self._uncut:
            return self._view(translit=True)
        # Only the transliterated words move offsets: walk them, not every character of every word.
        folded = self.folded
        index: list[int] = []
        done = 0
        for m in _WORD.finditer(folded):
            word = m.group()
            if _LATIN.search(word) and not _CYRILLIC.search(word):
                index.extend(range(done, m.start()))
                index.extend(m.start() + offset for offset in _translit_word(word)[1])
                done = m.end()
        index.extend(range(done, len(folded)))
        return self.cyr, tuple(index)

    @cached_property
    def _lat_index(self) -> tuple[str, tuple[int, ...]]:
        return self._view(translit=False)

    def cyr_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of :attr:`cyr` back to the original text."""
        if self._plain_cyr:
            return self._map_span(None, start, end)
        return self._map_span(self._cyr_index[1], start, end)

    def lat_span(self, start: int, end: int) -> tuple[int, int]:
        return self._map_span(None if self._uncut else self._lat_index[1], start, end)

    def _map_span(self, index: tuple[int, ...] | None, start: int, end: int) -> tuple[int, int]:
        """``index`` maps view offsets to original ones; ``None`` when they are the same."""
        size = len(self.folded) if index is None else len(index)
        if not size:
            return (0, 0)
        first = min(start, size - 1)
        last = min(max(end - 1, start), size - 1)
        if index is not None:
            first, last = index[first], index[last]
        return first, self._word_end(last)

    def _word_end(self, offset: int) -> int:
        """End of the original word at ``offset`` (a transliterated word maps back whole)."""
        starts, ends = self._token_bounds
        i = bisect_right(starts, offset) - 1
        if i >= 0 and starts[i] <= offset < ends[i] and self.folded[starts[i] : ends[i]].isascii():
            return ends[i]
        return offset + 1

    @cached_property
    def _token_bounds(self) -> tuple[list[int], list[int]]:
        """Starts and ends of the tokens (as :attr:`tokens`, without building them)."""
        spans = [m.span() for m in _WORD.finditer(self.folded)]
        return [start for start, _ in spans], [end for _, end in spans]


def normalize_for_cache(text: str) -> str:
    """The key under which identical messages share one analysis."""
    return unicodedata.normalize("NFC", text).strip()
