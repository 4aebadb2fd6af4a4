"""Fold Cyrillic (Kyrgyz, Kazakh, Russian) and Latin spellings of a word to one Latin key.

People type "kiberstalking", "киберсталкинг", "киберстолкинг" and "cyberstalking" for the same thing;
:func:`latin_key` maps all of them close together so fuzzy matching can do the rest.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC_TO_LATIN = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "й": "y",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "ӊ": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "u",
    "ұ": "u",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}

# Latin spelling variants folded after transliteration, longest first.
_LATIN_FOLDS = (
    ("sch", "sh"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("ch", "ç"),
    ("zh", "j"),
    ("sh", "ş"),
    ("ts", "s"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("c", "k"),
    ("ç", "ch"),
    ("ş", "sh"),
    ("yu", "u"),
    ("ya", "a"),
    ("yo", "o"),
    ("y", "i"),
    ("ee", "i"),
    ("oo", "u"),
)

_NON_WORD = re.compile(r"[^a-z0-9çş ]+")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(.)\1+")


def to_latin(text: str) -> str:
    """Transliterate Cyrillic letters to plain Latin; other characters pass through lower-cased."""
    return "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in text.lower())


def latin_key(text: str) -> str:
    """A spelling-insensitive Latin key: transliterated, variants folded, doubled letters collapsed."""
    text = unicodedata.normalize("NFKC", text)
    latin = to_latin(text)
    latin = unicodedata.normalize("NFKD", latin)
    latin = "".join(ch for ch in latin if not unicodedata.combining(ch))
    latin = latin.replace("-", " ").replace("_", " ")
    latin = _NON_WORD.sub(" ", latin)
    latin = _REPEATS.sub(r"\1", latin)
    for old, new in _LATIN_FOLDS:
        latin = latin.replace(old, new)
    latin = _REPEATS.sub(r"\1", latin)
    return _SPACES.sub(" ", latin).strip()
