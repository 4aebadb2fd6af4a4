"""A literal prefilter for regular expressions: run only the patterns that can match a text.

For each pattern, :func:`required_sets` reads its parse tree and returns sets of strings such that every match
of the pattern contains a string from each set (empty when nothing can be derived). :class:`Prefilter` finds all
those strings in a text in one Aho-Corasick pass and returns the patterns worth running. With hundreds of cue
patterns per language this turns "run everything" into "run the few that can".

Short alternatives and optional pieces are spelled out (``(ты|тебе)\\s`` needs "ты " or "тебе ", ``pics?``
needs "pic"), and an alternation needs, for each of its branches, one of that branch's requirements: every
combination of one requirement per branch, joined, is a requirement of the whole (kept while small).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import product
from math import prod
from operator import itemgetter
from typing import Any

import ahocorasick

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

Literals = frozenset[str] | None
MAX_ALTERNATIVES = 64  # strings one piece of a pattern may spell out
MAX_SET = 256  # strings in one requirement
MAX_CLASS = 4
MIN_LITERAL = 2
MAX_SETS = 8
MAX_COMBINATIONS = 64  # joined requirements tried for one alternation
_REPEATS = (
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    getattr(sre_constants, "POSSESSIVE_REPEAT", None),
)
_second = itemgetter(1)
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT_NOT)


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


def _spelled(op: Any, av: Any) -> list[str] | None:
    """Every string the node can consume, when that is a short list; ``None`` otherwise."""
    if op is sre_constants.LITERAL:
        return [chr(av)]
    if op is sre_constants.IN:
        return _class_chars(av)
    if op in _ZERO_WIDTH:  # consumes nothing; what it asserts is not needed for a requirement
        return [""]
    if op is sre_constants.SUBPATTERN:
        return _spelled_sequence(av[-1])
    if op is sre_constants.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            strings = _spelled_sequence(branch)
            if strings is None:
                return None
            out += strings
            if len(out) > MAX_ALTERNATIVES:
                return None
        return list(dict.fromkeys(out))
    if op in _REPEATS:
        low, high, seq = av
        strings = _spelled_sequence(seq)
        if strings is None or high > 1:
            return None
        return ["", *strings] if low == 0 else strings
    return None


def _spelled_sequence(items: Sequence[tuple[Any, Any]]) -> list[str] | None:
    run = [""]
    for op, av in items:
        strings = _spelled(op, av)
        if strings is None or len(run) * len(strings) > MAX_ALTERNATIVES:
            return None
        run = [prefix + s for prefix, s in product(run, strings)]
    return list(dict.fromkeys(run))


def _key(literals: frozenset[str]) -> tuple[int, int]:
    """Sort key, most selective first: the longest shortest string, then the fewest strings."""
    return (-min(map(len, literals)), len(literals))


def _top(requirements: list[frozenset[str]]) -> list[frozenset[str]]:
    return sorted(set(requirements), key=lambda s: (*_key(s), sorted(s)))[:MAX_SETS]


def _sequence(items: Sequence[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every requirement of a sequence: each returned set must have one of its strings in the text."""
    found: list[frozenset[str]] = []
    run: list[str] = [""]  # the current run of literal text, spelled out over short alternatives

    def close_run() -> None:
        nonlocal run
        if run and all(
            len(r) >= MIN_LITERAL or (len(r) == 1 and not r.isalnum() and not r.isspace()) for r in run
        ):
            found.append(frozenset(run))
        run = [""]

    for op, av in items:
        strings = _spelled(op, av)
        if strings is not None and len(run) * len(strings) <= MAX_ALTERNATIVES:
            run = list(dict.fromkeys(prefix + s for prefix, s in product(run, strings)))
            continue
        close_run()
        found += _node(op, av)
    close_run()
    return found


def _branch(branches: Sequence[Sequence[tuple[Any, Any]]]) -> list[frozenset[str]]:
    options = []
    for branch in branches:
        requirements = _top(_sequence(branch))
        if not requirements:
            return []
        options.append(requirements)
    while prod(map(len, options)) > MAX_COMBINATIONS:
        longest = max(options, key=len)
        longest.pop()
    joined = (frozenset().union(*combination) for combination in product(*options))
    return [literals for literals in joined if len(literals) <= MAX_SET]


def _node(op: Any, av: Any) -> list[frozenset[str]]:
    if op is sre_constants.SUBPATTERN:
        return _sequence(av[-1])
    if op is sre_constants.BRANCH:
        return _branch(av[1])
    if op in _REPEATS:
        low, _high, seq = av
        return _sequence(seq) if low >= 1 else []
    if op is sre_constants.ASSERT:  # a positive lookaround: its content must be in the text too
        return _sequence(av[1])
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _sequence(av)
    return []


@lru_cache(maxsize=4096)
def _required(pattern: str, flags: int) -> tuple[frozenset[str], ...]:
    if flags & re.IGNORECASE:
        return ()
    try:
        tree = sre_parse.parse(pattern, flags)
    except re.error:  # pragma: no cover - the pattern compiled already
        return ()
    return tuple(_top(_sequence(list(tree))))


def required_sets(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """Sets of strings such that every match of ``pattern`` contains a string from each set (the most
    selective ``MAX_SETS`` of them); empty when nothing can be derived."""
    return list(_required(pattern.pattern, pattern.flags))


class Prefilter:
    """Which of ``patterns`` (by index) can match a text: those whose every required set has a hit.

    The requirements are bits of one integer: pattern ``i`` owns a block of bits, one per required set, with a
    spare guard bit above it. A literal found in the text sets the bits of the requirements it fulfils; adding
    one to the lowest bit of each block then carries into the guard bit exactly where the block is full, so the
    candidates are read off the guard bits without a loop over the patterns.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._always: list[int] = []
        self._guards: dict[int, int] = {}  # guard bit position -> pattern index
        owners: dict[str, int] = {}
        blocks = lowest = guards = 0
        position = 0
        for i, pattern in enumerate(patterns):
            sets = required_sets(pattern)
            if not sets:
                self._always.append(i)
                continue
            for bit, literals in enumerate(sets):
                for literal in literals:
                    owners[literal] = owners.get(literal, 0) | 1 << (position + bit)
            blocks |= ((1 << len(sets)) - 1) << position
            lowest |= 1 << position
            guards |= 1 << (position + len(sets))
            self._guards[position + len(sets)] = i
            position += len(sets) + 1
        self._blocks, self._lowest, self._guard_bits = blocks, lowest, guards
        self._masks = list(owners.values())
        self._automaton = ahocorasick.Automaton()
        for number, literal in enumerate(owners):
            self._automaton.add_word(literal, number)
        self._empty = not owners
        if owners:
            self._automaton.make_automaton()

    def candidates(self, text: str) -> list[int]:
        if self._empty:
            return list(self._always)
        masks = self._masks
        hit = 0
        for number in set(map(_second, self._automaton.iter(text))):
            hit |= masks[number]
        full = ((hit & self._blocks) + self._lowest) & self._guard_bits
        found = list(self._always)
        while full:
            low = full & -full
            found.append(self._guards[low.bit_length() - 1])
            full ^= low
        return sorted(found)
