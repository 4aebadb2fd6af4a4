"""Localized wording of a conversation analysis: pattern descriptions, form explanations, labels.

The templates are in ``data/conversation.yaml``: ``{name}`` is a value, ``{n|one|few|many}`` the word form for
the number ``n`` (Russian has three, English two), and ``[[...]]`` a part left out when a value in it is
missing (a pasted chat without times has no "from … to …").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from tumar.chats.patterns import Pattern
from tumar.chats.phrases import DEMAND_CATEGORIES, GROOMING_SIGNS, Wording, load_phrases
from tumar.knowledge.loader import KnowledgeBase
from tumar.languages import check_language

__all__ = [
    "demand_names",
    "describe",
    "duration",
    "explanation",
    "fill",
    "label",
    "reason",
    "sign_names",
    "when",
]

_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|([^{}]*))?\}")


def _wording() -> Wording:
    return load_phrases().wording


def _plural(n: int, forms: list[str]) -> str:
    if len(forms) == 3:  # Russian: 1 сообщение, 3 сообщения, 5 сообщений
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    if len(forms) == 2:
        return forms[0] if n == 1 else forms[1]
    return forms[0]


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill a template (see the module docstring). A value needed outside ``[[...]]`` must be given."""

    def optional(m: re.Match[str]) -> str:
        names = [p.group(1) for p in _PLACEHOLDER.finditer(m.group(1))]
        return m.group(1) if all(values.get(name) is not None for name in names) else ""

    def value(m: re.Match[str]) -> str:
        name, forms = m.group(1), m.group(2)
        if values.get(name) is None:
            raise ValueError(f"template {template!r} needs a value for {name!r}")
        v = values[name]
        return str(v) if forms is None else _plural(int(str(v)), forms.split("|"))

    return _PLACEHOLDER.sub(value, _OPTIONAL.sub(optional, template))


def when(date: datetime | None, lang: str, *, year: bool = False) -> str | None:
    """``12.03 в 21:40`` (with the year when asked), or None without a date."""
    if date is None:
        return None
    day = date.strftime("%d.%m.%Y" if year else "%d.%m")
    return fill(_wording().when.get(lang), {"date": day, "time": date.strftime("%H:%M")})


def duration(delta: timedelta | float | None, lang: str) -> str | None:
    """``5 дней``, ``3 hours``, ``4 мүнөт``: minutes under an hour, hours under two days, else days."""
    if delta is None:
        return None
    seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
    durations = _wording().durations
    if seconds < 3600:
        template, n = durations.minutes, max(1, round(seconds / 60))
    elif seconds < 48 * 3600:
        template, n = durations.hours, round(seconds / 3600)
    else:
        template, n = durations.days, round(seconds / 86400)
    return fill(template.get(lang), {"n": n})


def _join(items: Iterable[str], lang: str) -> str:
    return _wording().list_separator.get(lang).join(items)


def demand_names(categories: Iterable[str], lang: str) -> str:
    """``пароли/коды, местоположение``: the categories in their fixed order."""
    wanted = set(categories)
    names = _wording().demand_names
    return _join((names[c].get(lang) for c in DEMAND_CATEGORIES if c in wanted), lang)


def sign_names(signs: Iterable[str], lang: str) -> str:
    wanted = set(signs)
    names = _wording().signs
    return _join((names[s].get(lang) for s in (*GROOMING_SIGNS, "photos") if s in wanted), lang)


def describe(pattern: Pattern, lang: str) -> str:
    """One sentence in ``lang`` (ky, ru, kk, en) telling the pattern with its counts and times."""
    lang = check_language(lang)
    wording = _wording()
    first, last, detail = pattern.first, pattern.last, pattern.detail
    year = bool(first and last and first.year != last.year)
    values: dict[str, object] = {
        "sender": pattern.sender or "?",
        "count": pattern.count,
        "first": when(first, lang, year=year),
        "last": when(last, lang, year=year),
    }
    if pattern.kind == "contact_after_refusal":
        values |= {
            "cue": detail["cue"],
            "refusals": detail["refusals"] if detail["refusals"] > 1 else None,
            "period": duration(last - first, lang) if first and last else None,
        }
    elif pattern.kind == "flood":
        values |= {
            "largest": detail["largest"],
            "window": duration(detail["largest_seconds"], lang),
            "night": detail["night"] or None,
        }
        if pattern.count == 1:
            values |= {"at": values["first"], "first": None, "last": None}
    elif pattern.kind == "escalation":
        levels = wording.levels
        values |= {
            "from_level": levels[detail["from_level"]].get(lang) if "from_level" in detail else None,
            "to_level": levels[detail["to_level"]].get(lang) if "to_level" in detail else None,
            "early": detail.get("early"),
            "late": detail.get("late"),
            "window": duration(detail["window_seconds"], lang) if "window_seconds" in detail else None,
        }
    elif pattern.kind == "repeated_demand":
        values["what"] = wording.demand_actions[detail["category"]].get(lang)
    elif pattern.kind == "threats":
        if pattern.count == 1:
            values |= {"at": values["first"], "first": None, "last": None}
    elif pattern.kind == "grooming_signs":
        values["signs"] = sign_names(detail["signs"], lang)
    return fill(wording.patterns[pattern.kind].get(lang), values)


def reason(key: str, lang: str, **values: object) -> str:
    """One reason of a conversation-level form ("37 messages after being asked to stop")."""
    return fill(_wording().reasons[key].get(lang), values)


def explanation(kb: KnowledgeBase, form: str, sender: str, reasons: Iterable[str], lang: str) -> str:
    """``Cyberstalking (Azamat): 37 messages after being asked to stop; 4 demands (location).``"""
    values = {"form": kb.form(form).t(lang).name, "sender": sender, "reasons": "; ".join(reasons)}
    return fill(_wording().explanation.get(lang), values)


def label(key: str, lang: str, **values: object) -> str:
    """An interface label of the chat summary."""
    return fill(_wording().labels[key].get(check_language(lang)), values)
