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
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_FOLD = str.maketrans({
    "ё": "е", "ӊ": "н", "ө": "о", "ү": "у", "ң": "н", "ә": "а", "қ": "к", "ғ": "г", "ұ": "у", "һ": "х", "і": "и",
    "ї": "и", "ў": "у", "\u00a0": " ", "\u202f": " ", "’": "'", "`": "'",
})
_LOOKALIKE = str.maketrans({
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к", "m": "м", "t": "т",
    "b": "б", "h": "н", "z": "з", "u": "и", "n": "п", "3": "з", "0": "о", "6": "б", "4": "ч", "@": "а",
})
_CYRILLIC = re.compile(r"[а-яёөүңәқғұһі]")
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"[\w*@#$]+(?:[-'][\w*@#$]+)*")
_PI = re.compile(r"3\.14|π")

# Latin → Cyrillic, longest first (Kyrgyz/Kazakh/Russian typed in Latin letters).
_TRANSLIT = (
    ("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("ya", "я"), ("yu", "ю"), ("yo", "е"), ("ye", "е"), ("ng", "н"), ("a", "а"), ("b", "б"), ("c", "к"),
    ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"),
    ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "ы"), ("z", "з"), ("'", ""),
)


def fold(text: str) -> str:
    """Lower-case and fold special letters, keeping the length of ``text``."""
    lowered = "".join(ch.lower()[0] if ch.lower() else ch for ch in text)
    return lowered.translate(_FOLD)


def _deobfuscate_word(word: str) -> str:
    """Turn Latin look-alikes, digits and symbols in a mostly-Cyrillic word into Cyrillic."""
    if not _CYRILLIC.search(word):
        return word
    return word.translate(_LOOKALIKE)


def _translit_word(word: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    i = 0
    while i < len(word):
        for latin, cyr in _TRANSLIT:
            if word.startswith(latin, i):
                out.append(cyr)
                index.extend([i] * len(cyr))
                i += len(latin)
                break
        else:
            out.append(word[i])
            index.append(i)
            i += 1
    return "".join(out), index


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
        base = _PI.sub(lambda m: "пи" + "и" * (len(m.group()) - 2), fold(self.text))
        return _WORD.sub(lambda m: _deobfuscate_word(m.group()), base)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(self.folded))

    @cached_property
    def latin_share(self) -> float:
        letters = [ch for ch in self.folded if ch.isalpha()]
        if not letters:
            return 0.0
        return sum(1 for ch in letters if "a" <= ch <= "z") / len(letters)

    @cached_property
    def _cyr(self) -> tuple[str, tuple[int, ...]]:
        folded = self.folded
        if not _LATIN.search(folded):
            return folded, tuple(range(len(folded)))
        out: list[str] = []
        index: list[int] = []
        pos = 0
        for token in self.tokens:
            out.append(folded[pos:token.start])
            index.extend(range(pos, token.start))
            if _LATIN.search(token.text) and not _CYRILLIC.search(token.text):
                word, offsets = _translit_word(token.text)
                out.append(word)
                index.extend(token.start + o for o in offsets)
            else:
                out.append(token.text)
                index.extend(range(token.start, token.end))
            pos = token.end
        out.append(folded[pos:])
        index.extend(range(pos, len(folded)))
        return "".join(out), tuple(index)

    @property
    def cyr(self) -> str:
        return self._cyr[0]

    def cyr_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of :attr:`cyr` back to the original text."""
        index = self._cyr[1]
        if not index:
            return (0, 0)
        first = index[min(start, len(index) - 1)]
        last = index[min(max(end - 1, start), len(index) - 1)]
        return first, self._token_end(last)

    def _token_end(self, offset: int) -> int:
        for token in self.tokens:
            if token.start <= offset < token.end:
                return token.end if self.folded[token.start:token.end].isascii() else offset + 1
        return offset + 1


def normalize_for_cache(text: str) -> str:
    """The key under which identical messages share one analysis."""
    return unicodedata.normalize("NFC", text).strip()
