"""The languages Tumar speaks."""

from __future__ import annotations

from tumar.errors import UnsupportedLanguageError

LANGUAGES: tuple[str, ...] = ("ky", "ru", "kk", "en")
DEFAULT_LANGUAGE = "ky"
LANGUAGE_NAMES: dict[str, str] = {"ky": "Кыргызча", "ru": "Русский", "kk": "Қазақша", "en": "English"}


def check_language(lang: str | None, *, default: str = DEFAULT_LANGUAGE) -> str:
    """Return ``lang`` normalised (``None`` → default), or raise :class:`UnsupportedLanguageError`."""
    if lang is None:
        return default
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise UnsupportedLanguageError(lang)
    return code
