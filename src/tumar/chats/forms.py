"""Conversation-level forms: what the messages and patterns of one sender add up to.

Small named rules applied in order (:data:`FORM_RULES`), one sender at a time; each returns a
:class:`ConversationForm` with a localized explanation naming the patterns and message counts behind it, or
None. :func:`found_in_messages` then adds every other form the analyzer recognised in that sender's messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tumar.chats.patterns import Entry, Pattern, Timeline
from tumar.chats.wording import demand_names, explanation, reason, sign_names
from tumar.knowledge.loader import KnowledgeBase
from tumar.knowledge.models import ALL_FORM_IDS, FORM_IDS

__all__ = [
    "FORM_RULES",
    "ConversationForm",
    "Evidence",
    "conversation_forms",
    "cyberstalking",
    "digital_control",
    "found_in_messages",
    "grooming",
    "luring_recruitment",
    "online_harassment",
    "sextortion",
    "webcam_exploitation",
]

HOSTILE_FORMS = frozenset(FORM_IDS["harassment"])
MONITORING_FORMS = frozenset({"cyberstalking", "digital_control", "hacking"})
SEXUAL_FORMS = frozenset(
    {
        "online_sexual_harassment",
        "coerced_sexting",
        "webcam_exploitation",
        "sextortion",
        "cyberflashing",
        "unsolicited_explicit_image",
    }
)
CONTROL_DEMANDS = ("password", "location", "phone_check")
HOSTILE_MIN_MESSAGES = 3  # hostile messages that make harassment without any other pattern
FORM_MIN_MESSAGES = 2  # messages with a form's finding that carry the form on their own


@dataclass(frozen=True)
class ConversationForm:
    """A form recognised across the chat, for one sender, with why."""

    form: str
    sender: str
    explanation: str
    patterns: tuple[str, ...]  # kinds of the patterns behind it
    message_ids: tuple[str, ...]
    rule: str  # the rule that decided it

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "sender": self.sender,
            "explanation": self.explanation,
            "patterns": list(self.patterns),
            "message_ids": list(self.message_ids),
        }


@dataclass(frozen=True)
class Evidence:
    """What the rules read about one sender: their messages, their patterns, the language to explain in."""

    sender: str
    timeline: Timeline
    patterns: tuple[Pattern, ...]
    kb: KnowledgeBase
    lang: str

    def pattern(self, kind: str) -> Pattern | None:
        return next((p for p in self.patterns if p.kind == kind), None)

    def with_forms(self, *forms: str) -> list[Entry]:
        wanted = set(forms)
        return [e for e in self.timeline.of(self.sender) if e.forms & wanted]

    def demanded(self, *categories: str) -> list[Entry]:
        return [
            e for e in self.timeline.of(self.sender) if not e.joke and any(c in e.demands for c in categories)
        ]

    def threats(self) -> list[Entry]:
        return [e for e in self.timeline.of(self.sender) if e.threat]

    def signed(self, sign: str) -> list[Entry]:
        return [e for e in self.timeline.of(self.sender) if sign in e.signs and not e.joke]

    def decide(
        self,
        form: str,
        rule: str,
        reasons: list[str],
        patterns: Iterable[Pattern | None],
        entries: Iterable[Entry],
    ) -> ConversationForm:
        found = [p for p in patterns if p is not None]
        ids = dict.fromkeys(i for p in found for i in p.message_ids)
        ids.update(dict.fromkeys(e.id for e in entries))
        return ConversationForm(
            form=form,
            sender=self.sender,
            explanation=explanation(self.kb, form, self.sender, reasons, self.lang),
            patterns=tuple(dict.fromkeys(p.kind for p in found)),
            message_ids=tuple(sorted(ids, key=self.timeline.position)),
            rule=rule,
        )


def _union(*groups: list[Entry]) -> list[Entry]:
    seen: dict[int, Entry] = {}
    for group in groups:
        for e in group:
            seen.setdefault(e.index, e)
    return [seen[i] for i in sorted(seen)]


def online_harassment(ev: Evidence) -> ConversationForm | None:
    """Contact after being asked to stop, or repeated hostile messages, or floods with hostility."""
    after = ev.pattern("contact_after_refusal")
    floods = ev.pattern("flood")
    threats = ev.threats()
    hostile = _union(ev.with_forms(*HOSTILE_FORMS), threats)
    if not (after or len(hostile) >= HOSTILE_MIN_MESSAGES or (floods and hostile)):
        return None
    lang = ev.lang
    reasons = []
    if after:
        reasons.append(reason("after_refusal", lang, count=after.count))
    if floods:
        reasons.append(reason("floods", lang, count=floods.count))
    if hostile:
        reasons.append(reason("hostile", lang, count=len(hostile)))
    if threats:
        reasons.append(reason("threats", lang, count=len(threats)))
    return ev.decide("online_harassment", "online_harassment", reasons, (after, floods), hostile)


def cyberstalking(ev: Evidence) -> ConversationForm | None:
    """Contact after refusal together with location demands or monitoring; or several stalking messages."""
    after = ev.pattern("contact_after_refusal")
    location = ev.demanded("location")
    monitoring = _union(ev.with_forms(*MONITORING_FORMS), ev.demanded("phone_check"))
    stalking = ev.with_forms("cyberstalking")
    if not ((after and (location or monitoring)) or len(stalking) >= FORM_MIN_MESSAGES):
        return None
    lang = ev.lang
    reasons = []
    if after:
        reasons.append(reason("after_refusal", lang, count=after.count))
    if location:
        reasons.append(reason("demands", lang, count=len(location), what=demand_names(["location"], lang)))
    if monitoring:
        reasons.append(reason("monitoring", lang, count=len(monitoring)))
    if stalking:
        reasons.append(reason("findings", lang, count=len(stalking)))
    return ev.decide(
        "cyberstalking", "cyberstalking", reasons, (after,), _union(location, monitoring, stalking)
    )


def digital_control(ev: Evidence) -> ConversationForm | None:
    """Repeated demands for passwords, location or a look at the phone; or several controlling messages."""
    repeated = [
        p for p in ev.patterns if p.kind == "repeated_demand" and p.detail["category"] in CONTROL_DEMANDS
    ]
    controlling = ev.with_forms("digital_control")
    if not (repeated or len(controlling) >= FORM_MIN_MESSAGES):
        return None
    lang = ev.lang
    reasons = []
    if repeated:
        what = demand_names((p.detail["category"] for p in repeated), lang)
        reasons.append(reason("demands", lang, count=sum(p.count for p in repeated), what=what))
    if controlling:
        reasons.append(reason("findings", lang, count=len(controlling)))
    return ev.decide("digital_control", "digital_control", reasons, repeated, controlling)


def sextortion(ev: Evidence) -> ConversationForm | None:
    """Sextortion messages, repeated or backed by threats or demands for photos or money."""
    found = ev.with_forms("sextortion")
    threats = ev.threats()
    demands = ev.demanded("photos", "money")
    if not (len(found) >= FORM_MIN_MESSAGES or (found and (threats or demands))):
        return None
    lang = ev.lang
    reasons = [reason("findings", lang, count=len(found))]
    if threats:
        reasons.append(reason("threats", lang, count=len(threats)))
    if demands:
        what = demand_names((c for e in demands for c in e.demands if c in ("photos", "money")), lang)
        reasons.append(reason("demands", lang, count=len(demands), what=what))
    return ev.decide("sextortion", "sextortion", reasons, (ev.pattern("threats"),), _union(found, demands))


def grooming(ev: Evidence) -> ConversationForm | None:
    """Flattery, secrecy and meeting or photo requests spread over many messages; or several grooming ones."""
    signs = ev.pattern("grooming_signs")
    found = ev.with_forms("grooming")
    if not (signs or len(found) >= FORM_MIN_MESSAGES):
        return None
    lang = ev.lang
    reasons = []
    if signs:
        names = sign_names(signs.detail["signs"], lang)
        reasons.append(reason("grooming_signs", lang, count=signs.count, signs=names))
    if found:
        reasons.append(reason("findings", lang, count=len(found)))
    return ev.decide("grooming", "grooming", reasons, (signs,), found)


def luring_recruitment(ev: Evidence) -> ConversationForm | None:
    """Job or travel offers, repeated or followed by demands for documents or money, a meeting, trafficking."""
    found = ev.with_forms("luring_recruitment")
    demands = ev.demanded("documents", "money")
    follow_up = ev.with_forms("trafficking") or demands or ev.signed("meeting")
    if not (len(found) >= FORM_MIN_MESSAGES or (found and follow_up)):
        return None
    lang = ev.lang
    reasons = [reason("findings", lang, count=len(found))]
    if demands:
        what = demand_names((c for e in demands for c in e.demands if c in ("documents", "money")), lang)
        reasons.append(reason("demands", lang, count=len(demands), what=what))
    return ev.decide("luring_recruitment", "luring_recruitment", reasons, (), _union(found, demands))


def webcam_exploitation(ev: Evidence) -> ConversationForm | None:
    """Pushing to turn on the camera together with sexual messages; or several webcam messages."""
    found = ev.with_forms("webcam_exploitation")
    camera = ev.demanded("camera")
    sexual = ev.with_forms(*SEXUAL_FORMS)
    if not (len(found) >= FORM_MIN_MESSAGES or (found and camera) or (len(camera) >= 2 and sexual)):
        return None
    lang = ev.lang
    reasons = []
    if found:
        reasons.append(reason("findings", lang, count=len(found)))
    if camera:
        reasons.append(reason("demands", lang, count=len(camera), what=demand_names(["camera"], lang)))
    if sexual:
        reasons.append(reason("sexual", lang, count=len(sexual)))
    return ev.decide("webcam_exploitation", "webcam_exploitation", reasons, (), _union(found, camera, sexual))


FormRule = Callable[[Evidence], ConversationForm | None]
FORM_RULES: tuple[FormRule, ...] = (
    online_harassment,
    cyberstalking,
    digital_control,
    sextortion,
    grooming,
    luring_recruitment,
    webcam_exploitation,
)


def found_in_messages(ev: Evidence, decided: set[str]) -> list[ConversationForm]:
    """Every other form the analyzer recognised in the sender's messages, most frequent first."""
    counts: Counter[str] = Counter()
    entries: dict[str, list[Entry]] = {}
    for e in ev.timeline.of(ev.sender):
        for form in e.forms - decided:
            counts[form] += 1
            entries.setdefault(form, []).append(e)
    order = sorted(counts, key=lambda f: (-counts[f], ALL_FORM_IDS.index(f)))
    return [
        ev.decide(f, "found_in_messages", [reason("findings", ev.lang, count=counts[f])], (), entries[f])
        for f in order
    ]


def conversation_forms(
    timeline: Timeline,
    patterns: tuple[Pattern, ...],
    kb: KnowledgeBase,
    lang: str,
    senders: Iterable[str],
) -> tuple[ConversationForm, ...]:
    """The rules for every sender in ``senders``, rule by rule; then what the messages found besides."""
    evidence = [Evidence(s, timeline, tuple(p for p in patterns if p.sender == s), kb, lang) for s in senders]
    out = [form for rule in FORM_RULES for ev in evidence if (form := rule(ev)) is not None]
    for ev in evidence:
        out += found_in_messages(ev, {f.form for f in out if f.sender == ev.sender})
    return tuple(out)
