"""Alphabetical order of Kyrgyz, Kazakh, Russian and English words."""

from __future__ import annotations

ALPHABETS: dict[str, str] = {
    "ky": "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя",
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "en": "abcdefghijklmnopqrstuvwxyz",
}


def sort_key(word: str, lang: str) -> tuple[tuple[int, int | str], ...]:
    """A key that orders words by the alphabet of ``lang``; letters outside it come after, by code point."""
    alphabet = ALPHABETS[lang]
    key: list[tuple[int, int | str]] = []
    for ch in word.lower():
        if not ch.isalpha():
            continue
        index = alphabet.find(ch)
        key.append((0, index) if index >= 0 else (1, ch))
    return tuple(key)
