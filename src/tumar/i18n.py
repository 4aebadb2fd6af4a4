"""Interface strings in Kyrgyz, Russian, Kazakh and English (one catalogue for CLI, web and reports).

The catalogue is package data, ``data/i18n.yaml`` (key → language → text), read once on first use and checked:
every key has a text in every language.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from tumar.errors import KnowledgeBaseError
from tumar.languages import LANGUAGES, check_language

__all__ = ["keys", "t"]

_FILE = "i18n.yaml"


def t(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``."""
    return _catalogue()[key][check_language(lang)]


def keys() -> tuple[str, ...]:
    return tuple(_catalogue())


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    path = resources.files("tumar") / "data" / _FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{_FILE}: {exc}") from exc
    return _checked(raw)


def _checked(raw: Any) -> dict[str, dict[str, str]]:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{_FILE}: expected a mapping of keys to texts")
    for key, texts in raw.items():
        if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
            raise KnowledgeBaseError(f"{_FILE}, {key!r}: needs a text in each of {', '.join(LANGUAGES)}")
        if not all(isinstance(text, str) for text in texts.values()):
            raise KnowledgeBaseError(f"{_FILE}, {key!r}: every text must be a string")
    return raw
