"""Tumar: recognise, document and answer technology-facilitated gender-based violence.

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from __future__ import annotations

import logging

from tumar.errors import (
    BadRecordError,
    EmptyQueryError,
    InputError,
    KnowledgeBaseError,
    TumarError,
    UnknownFormError,
    UnsupportedLanguageError,
)
from tumar.knowledge.booklet import export_booklet
from tumar.knowledge.loader import KnowledgeBase, load_knowledge_base
from tumar.knowledge.search import SearchHit, search_forms
from tumar.languages import LANGUAGES

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "LANGUAGES",
    "BadRecordError",
    "EmptyQueryError",
    "InputError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "SearchHit",
    "TumarError",
    "UnknownFormError",
    "UnsupportedLanguageError",
    "export_booklet",
    "load_knowledge_base",
    "search_forms",
]
