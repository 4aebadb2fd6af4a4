"""Find forms the way a person types them: any language, alias, Latin transliteration or a typo."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from tumar.errors import EmptyQueryError
from tumar.knowledge.loader import KnowledgeBase, load_knowledge_base
from tumar.languages import check_language
from tumar.text.translit import latin_key

MIN_SCORE = 62.0
_NAME_BONUS = 2.0
_LANGUAGE_BONUS = 1.0
_DEFINITION_WEIGHT = 0.7


@dataclass(frozen=True)
class SearchHit:
    """One form found by a query, with what matched and how well (0–100)."""

    form_id: str
    score: float
    matched: str
    matched_lang: str
    field: str


@dataclass(frozen=True)
class _Entry:
    form_id: str
    lang: str
    field: str
    text: str
    key: str


def _term_score(query: str, key: str) -> float:
    score = fuzz.ratio(query, key)
    if min(len(query), len(key)) >= 4:
        score = max(score, 0.9 * fuzz.partial_ratio(query, key))
    if " " in query or " " in key:
        score = max(score, 0.95 * fuzz.token_set_ratio(query, key))
    return float(score)


def _definition_score(query_words: list[str], definition_words: set[str]) -> float:
    if not query_words:
        return 0.0
    found = sum(1 for w in query_words if any(d.startswith(w[:5]) for d in definition_words))
    return _DEFINITION_WEIGHT * 100.0 * found / len(query_words) if found else 0.0


class GlossaryIndex:
    """An in-memory index over every name and alias of every form in every language."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._order = {form_id: i for i, form_id in enumerate(kb.forms)}
        self._entries: list[_Entry] = []
        self._definitions: dict[tuple[str, str], set[str]] = {}
        for form in kb.forms.values():
            for lang, text in form.text.items():
                terms = [("name", text.name), *[("alias", a) for a in text.aliases]]
                if lang == "ky":
                    terms.append(("name", form.glossary_term))
                for field, term in terms:
                    self._entries.append(_Entry(form.id, lang, field, term, latin_key(term)))
                words = {w for w in latin_key(text.definition).split() if len(w) >= 4}
                self._definitions[(form.id, lang)] = words

    def search(self, query: str, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Forms matching ``query``, best first; ``lang`` slightly prefers matches in that language."""
        preferred = check_language(lang) if lang is not None else None
        key = latin_key(query)
        if not key:
            raise EmptyQueryError()
        best: dict[str, SearchHit] = {}
        for entry in self._entries:
            score = _term_score(key, entry.key)
            score += _NAME_BONUS if entry.field == "name" else 0.0
            score += _LANGUAGE_BONUS if entry.lang == preferred else 0.0
            self._keep(best, SearchHit(entry.form_id, min(score, 100.0), entry.text, entry.lang, entry.field))
        words = [w for w in key.split() if len(w) >= 4]
        for (form_id, def_lang), definition_words in self._definitions.items():
            score = _definition_score(words, definition_words)
            if score:
                self._keep(best, SearchHit(form_id, score, "", def_lang, "definition"))
        hits = [h for h in best.values() if h.score >= MIN_SCORE]
        hits.sort(key=lambda h: (-h.score, self._order[h.form_id]))
        return hits[:limit]

    @staticmethod
    def _keep(best: dict[str, SearchHit], hit: SearchHit) -> None:
        current = best.get(hit.form_id)
        if current is None or hit.score > current.score:
            best[hit.form_id] = hit


@lru_cache(maxsize=1)
def _default_index() -> GlossaryIndex:
    return GlossaryIndex(load_knowledge_base())


def search_forms(query: str, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Search the packaged glossary (see :class:`GlossaryIndex`)."""
    return _default_index().search(query, lang=lang, limit=limit)
