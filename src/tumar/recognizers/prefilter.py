"""A literal prefilter for regular expressions: run only the patterns that can match a text.

For each pattern, :func:`required_sets` reads its parse tree and returns sets of strings such that every match
of the pattern contains a string from each set (empty when nothing can be derived). :class:`Prefilter` finds all
those strings in a text in one Aho-Corasick pass and returns the patterns worth running. With hundreds of cue patterns per language this turns "run everything" into "run the few that can".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import product
from typing import Any

import ahocorasick

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

Literals = frozenset[str] | None
MAX_ALTERNATIVES = 64
MAX_CLASS = 4
MIN_LITERAL = 2
MAX_SETS = 4


def _class_chars(av: Any) -> list[str] | None:
    chars: list[str] = []
    for op, value in av:
        if op is sre_constants.LITERAL:
            chars.append(chr(value))
        elif op is sre_constants.RANGE and value[1] - value[0] < MAX_CLASS:
            chars += [chr(c) for c in range(value[0], value[1] + 1)]
        else:
            return None
    return chars if 0 < len(chars) <= MAX_CLASS else None


def _better(a: Literals, b: Literals) -> Literals:
    """The more selective of two requirements (longest shortest string, then fewer alternatives)."""
    if a is None:
        return b
    if b is None:
        return a
    key_a = (min(map(len, a)), -len(a))
    key_b = (min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: Sequence[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every requirement of a sequence: each returned set must have one of its strings in the text."""
    found: list[frozenset[str]] = []
    run: list[str] = [""]  # the current run of literal text, expanded over small classes

    def close_run() -> None:
        nonlocal run
        if run and all(
            len(r) >= MIN_LITERAL or (len(r) == 1 and not r.isalnum() and not r.isspace()) for r in run
        ):
            found.append(frozenset(run))
        run = [""]

    for op, av in items:
        chars: list[str] | None = None
        if op is sre_constants.LITERAL:
            chars = [chr(av)]
        elif op is sre_constants.IN:
            chars = _class_chars(av)
        if chars is not None and len(run) * len(chars) <= MAX_ALTERNATIVES:
            run = [prefix + ch for prefix, ch in product(run, chars)]
            continue
        close_run()
        found += _node(op, av)
    close_run()
    return found


def _best(requirements: list[frozenset[str]]) -> Literals:
    best: Literals = None
    for req in requirements:
        best = _better(best, req)
    return best


def _node(op: Any, av: Any) -> list[frozenset[str]]:
    if op is sre_constants.SUBPATTERN:
        return _sequence(av[-1])
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            req = _best(_sequence(branch))
            if req is None:
                return []
            union |= req
        return [frozenset(union)] if len(union) <= MAX_ALTERNATIVES else []
    if op in (
        sre_constants.MAX_REPEAT,
        sre_constants.MIN_REPEAT,
        getattr(sre_constants, "POSSESSIVE_REPEAT", None),
    ):
        low, _high, seq = av
        return _sequence(seq) if low >= 1 else []
    if op is sre_constants.ASSERT:  # a positive lookaround: its content must be in the text too
        return _sequence(av[1])
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _sequence(av)
    return []


def required_sets(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """Sets of strings such that every match of ``pattern`` contains a string from each set (the most
    selective ``MAX_SETS`` of them); empty when nothing can be derived."""
    if pattern.flags & re.IGNORECASE:
        return []
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - the pattern compiled already
        return []
    sets = set(_sequence(list(tree)))
    return sorted(sets, key=lambda s: (-min(map(len, s)), len(s), sorted(s)))[:MAX_SETS]


class Prefilter:
    """Which of ``patterns`` (by index) can match a text: those whose every required set has a hit."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._always: list[int] = []
        self._full: dict[int, int] = {}
        self._automaton = ahocorasick.Automaton()
        owners: dict[str, list[tuple[int, int]]] = {}
        for i, pattern in enumerate(patterns):
            sets = required_sets(pattern)
            if not sets:
                self._always.append(i)
                continue
            self._full[i] = (1 << len(sets)) - 1
            for bit, literals in enumerate(sets):
                for literal in literals:
                    owners.setdefault(literal, []).append((i, 1 << bit))
        for literal, marks in owners.items():
            self._automaton.add_word(literal, tuple(marks))
        self._empty = not owners
        if owners:
            self._automaton.make_automaton()

    def candidates(self, text: str) -> list[int]:
        seen: dict[int, int] = {}
        if not self._empty:
            for _, marks in self._automaton.iter(text):
                for index, bit in marks:
                    seen[index] = seen.get(index, 0) | bit
        found = [i for i, mask in seen.items() if mask == self._full[i]]
        return sorted(found + self._always)
