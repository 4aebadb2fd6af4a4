"""Patterns across a chat: small named functions over the timeline, applied in order (:data:`PATTERN_RULES`).

Each rule reads the :class:`Timeline` (every message with what the analyzer and the phrase lists found in
it) and returns frozen :class:`Pattern` results; the rule's name is the pattern's ``kind``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from tumar.chats.phrases import load_phrases
from tumar.chats.timeline import CALL_ACTIONS, ConversationMessage, Entry, Pattern, Timeline

__all__ = [
    "CALL_ACTIONS",
    "PATTERN_RULES",
    "ConversationMessage",
    "Entry",
    "Pattern",
    "Timeline",
    "contact_after_refusal",
    "escalation",
    "find_patterns",
    "flood",
    "grooming_signs",
    "repeated_demand",
    "threats",
]

# contact_after_refusal: this many messages (or calls) after a refusal, while the person who refused
# answered at most this share of them with anything but another refusal.
REFUSAL_MIN_CONTACTS = 5
REFUSAL_MAX_REPLY_SHARE = 0.3
# flood: at least FLOOD_MIN_MESSAGES from one sender within FLOOD_WINDOW, in a run whose messages are at most
# FLOOD_MAX_GAP apart and where the others wrote at most FLOOD_MAX_OTHERS_SHARE as many messages.
FLOOD_MIN_MESSAGES = 10
FLOOD_WINDOW = timedelta(minutes=5)
FLOOD_MAX_GAP = timedelta(minutes=2)
FLOOD_MAX_OTHERS_SHARE = 0.25
NIGHT_START_HOUR = 23  # 23:00–06:00 is night
NIGHT_END_HOUR = 6
# escalation: at least this many abusive messages; the last third is on average ESCALATION_MIN_RISE severity
# levels worse than the first, or (over at least ESCALATION_MIN_SPAN) the last third of the time holds
# ESCALATION_RATE_FACTOR times as many abusive messages as the first third.
ESCALATION_MIN_MESSAGES = 4
ESCALATION_MIN_RISE = 1.0
ESCALATION_RATE_FACTOR = 3
ESCALATION_MIN_SPAN = timedelta(days=2)
# grooming_signs: messages with signs, and which signs must come together.
GROOMING_MIN_MESSAGES = 4


def _by_date(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.date is None, e.date or datetime.min, e.index))


def _span(entries: Sequence[Entry]) -> tuple[datetime | None, datetime | None]:
    dates = [e.date for e in entries if e.date is not None]
    return (min(dates), max(dates)) if dates else (None, None)


def _night(date: datetime | None) -> bool:
    return date is not None and (date.hour >= NIGHT_START_HOUR or date.hour < NIGHT_END_HOUR)


def contact_after_refusal(timeline: Timeline) -> list[Pattern]:
    """Someone asked to stop (not as a joke) and the other person kept writing or calling.

    The first refusal after which the other sent at least REFUSAL_MIN_CONTACTS messages, while the person
    who refused hardly engaged again (a couple that makes up after "отстань!" is not this pattern).
    """
    refusals = [e for e in timeline.entries if e.refusal and not e.joke and e.sender and e.is_text]
    targets = {r.index: timeline.addressee(r) for r in refusals}
    out: list[Pattern] = []
    done: set[tuple[str, str]] = set()
    for r in refusals:
        assert r.sender is not None
        target = targets[r.index]
        if target is None or (r.sender, target) in done:
            continue
        contacts = timeline.contacts.get(target, [])
        n_contacts = len(contacts) - bisect_right(contacts, r.index)
        replies = timeline.replies.get(r.sender, [])
        n_replies = len(replies) - bisect_right(replies, r.index)
        if n_contacts < REFUSAL_MIN_CONTACTS or n_replies > REFUSAL_MAX_REPLY_SHARE * n_contacts:
            continue
        done.add((r.sender, target))
        repeated = [
            x for x in refusals if x.sender == r.sender and x.index >= r.index and targets[x.index] == target
        ]
        entries = [timeline.entries[i] for i in contacts[len(contacts) - n_contacts :]]
        last = max((e.date for e in entries if e.date is not None), default=None)
        out.append(
            Pattern(
                "contact_after_refusal",
                target,
                len(entries),
                r.date,
                last,
                tuple(e.id for e in entries),
                {
                    "cue": r.refusal,
                    "refused_by": r.sender,
                    "refusal_id": r.id,
                    "refusals": len(repeated),
                    "refusal_ids": [x.id for x in repeated],
                    "calls": sum(e.is_call for e in entries),
                },
            )
        )
    return out


Dated = tuple[datetime, Entry]


def _runs(dated: list[Dated], gap: timedelta) -> Iterator[list[Dated]]:
    """Split date-sorted messages where more than ``gap`` passes between two of them."""
    run: list[Dated] = []
    for item in dated:
        if run and item[0] - run[-1][0] > gap:
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def _dense(run: list[Dated], size: int, window: timedelta) -> bool:
    """Some ``size`` consecutive messages of the run fall within ``window``."""
    return any(run[i + size - 1][0] - run[i][0] <= window for i in range(len(run) - size + 1))


def flood(timeline: Timeline) -> list[Pattern]:
    """Bursts: many messages from one sender within a few minutes, the others hardly getting a word in."""
    out: list[Pattern] = []
    for sender in timeline.senders:
        dated = sorted(
            ((e.date, e) for e in timeline.of(sender) if e.date is not None), key=lambda d: (d[0], d[1].index)
        )
        bursts: list[list[Dated]] = []
        for run in _runs(dated, FLOOD_MAX_GAP):
            if len(run) < FLOOD_MIN_MESSAGES or not _dense(run, FLOOD_MIN_MESSAGES, FLOOD_WINDOW):
                continue
            lo, hi = min(e.index for _, e in run), max(e.index for _, e in run)
            others = timeline.texts_between(lo, hi) - len(run)
            if others <= FLOOD_MAX_OTHERS_SHARE * len(run):
                bursts.append(run)
        if not bursts:
            continue
        largest = max(bursts, key=len)
        entries = [e for run in bursts for _, e in run]
        out.append(
            Pattern(
                "flood",
                sender,
                len(bursts),
                bursts[0][0][0],
                bursts[-1][-1][0],
                tuple(e.id for e in entries),
                {
                    "messages": len(entries),
                    "largest": len(largest),
                    "largest_seconds": (largest[-1][0] - largest[0][0]).total_seconds(),
                    "night": sum(_night(run[0][0]) or _night(run[-1][0]) for run in bursts),
                    "bursts": [[run[0][1].id, run[-1][1].id, len(run)] for run in bursts],
                },
            )
        )
    return out


def _dates(entries: Sequence[Entry]) -> list[datetime] | None:
    """The dates of the entries, or None if one of them has none."""
    dates = [e.date for e in entries if e.date is not None]
    return dates if len(dates) == len(entries) else None


def escalation(timeline: Timeline) -> list[Pattern]:
    """A sender's abusive messages grow more severe (first third vs last third) or more frequent."""
    out: list[Pattern] = []
    for sender in timeline.senders:
        abusive = [e for e in timeline.of(sender) if e.level > 0]
        if len(abusive) < ESCALATION_MIN_MESSAGES:
            continue
        third = max(1, len(abusive) // 3)
        early = sum(e.level for e in abusive[:third]) / third
        late = sum(e.level for e in abusive[-third:]) / third
        detail: dict[str, Any] = {}
        if late - early >= ESCALATION_MIN_RISE:
            detail |= {"from_level": round(early), "to_level": round(late)}
        first, last = _span(abusive)
        dates = _dates(abusive)
        if dates and first and last and last - first >= ESCALATION_MIN_SPAN:
            window = (last - first) / 3
            n_early = sum(d < first + window for d in dates)
            n_late = sum(d > last - window for d in dates)
            if n_late >= ESCALATION_RATE_FACTOR * n_early and n_late >= ESCALATION_MIN_MESSAGES:
                detail |= {"early": n_early, "late": n_late, "window_seconds": window.total_seconds()}
        if detail:
            out.append(
                Pattern("escalation", sender, len(abusive), first, last, tuple(e.id for e in abusive), detail)
            )
    return out


def _peak(entries: list[Entry], window: timedelta) -> int:
    """The most entries that fall within any ``window``; without dates, all of them."""
    dates = _dates(entries)
    if dates is None:
        return len(entries)
    dates.sort()
    return max(bisect_right(dates, d + window) - i for i, d in enumerate(dates))


def repeated_demand(timeline: Timeline) -> list[Pattern]:
    """The same kind of demand (passwords, location, photos, money, …) again and again from one sender."""
    out: list[Pattern] = []
    for rule in load_phrases().demands:
        for sender in timeline.senders:
            asked = [e for e in timeline.of(sender) if rule.category in e.demands and not e.joke]
            if len(asked) < rule.min_count:
                continue
            peak = _peak(asked, rule.window)
            if peak < rule.min_count:
                continue
            first, last = _span(asked)
            out.append(
                Pattern(
                    "repeated_demand",
                    sender,
                    len(asked),
                    first,
                    last,
                    tuple(e.id for e in asked),
                    {"category": rule.category, "peak": peak},
                )
            )
    return out


def threats(timeline: Timeline) -> list[Pattern]:
    """The timeline of threats and urgent messages, per sender, in date order."""
    out: list[Pattern] = []
    for sender in timeline.senders:
        found = _by_date([e for e in timeline.of(sender) if e.threat])
        if found:
            first, last = _span(found)
            out.append(Pattern("threats", sender, len(found), first, last, tuple(e.id for e in found)))
    return out


def grooming_signs(timeline: Timeline) -> list[Pattern]:
    """Flattery, secrecy and meeting or photo requests from one sender, spread over several messages."""
    out: list[Pattern] = []
    for sender in timeline.senders:
        marked = [e for e in timeline.of(sender) if (e.signs or "photos" in e.demands) and not e.joke]
        signs: Counter[str] = Counter()
        for e in marked:
            signs.update(e.signs)
            if "photos" in e.demands:
                signs["photos"] += 1
        if (
            len(marked) >= GROOMING_MIN_MESSAGES
            and signs["secrecy"]
            and (signs["meeting"] or signs["photos"] or signs["gifts"])
            and (signs["flattery"] or signs["age"])
        ):
            first, last = _span(marked)
            out.append(
                Pattern(
                    "grooming_signs",
                    sender,
                    len(marked),
                    first,
                    last,
                    tuple(e.id for e in marked),
                    {"signs": dict(signs)},
                )
            )
    return out


PatternRule = Callable[[Timeline], list[Pattern]]
PATTERN_RULES: tuple[PatternRule, ...] = (
    contact_after_refusal,
    flood,
    escalation,
    repeated_demand,
    threats,
    grooming_signs,
)


def find_patterns(timeline: Timeline) -> tuple[Pattern, ...]:
    """Every rule in order; patterns of one rule keep the rule's order."""
    return tuple(p for rule in PATTERN_RULES for p in rule(timeline))
