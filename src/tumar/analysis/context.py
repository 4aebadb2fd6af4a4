"""Context rules: small named functions applied in order; each leaves its name on what it changed.

A rule sees the prepared :class:`Doc`, the context signals found in it and the candidate scores per form,
and may lower a score (``quoted_news``) or only annotate (``victim_report``). The rule's name travels into
the finding's explanation, so a reader sees why a score moved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tumar.knowledge.models import FORM_IDS
from tumar.recognizers.lexicon import Signal


@dataclass
class Candidate:
    """A form under consideration, before the decision threshold."""

    form: str
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    recognizers: list[str] = field(default_factory=list)
    adjustments: list[str] = field(default_factory=list)


@dataclass
class RuleInput:
    signals: list[Signal]
    urgent: list[Signal]

    def kinds(self) -> set[str]:
        return {s.kind for s in self.signals}


Rule = Callable[[RuleInput, dict[str, Candidate]], None]


def _scale(candidates: dict[str, Candidate], factor: float, rule: str, forms: set[str] | None = None) -> None:
    for cand in candidates.values():
        if forms is None or cand.form in forms:
            cand.score *= factor
            cand.adjustments.append(rule)


def quoted_news(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """A news report or awareness post about violence is not itself violence."""
    kinds = ctx.kinds()
    if "news" in kinds and "victim" not in kinds:
        _scale(candidates, 0.35, "quoted_news")
        ctx.urgent.clear()


def help_seeking(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """Asking where to get help, without describing an act, is not an act."""
    kinds = ctx.kinds()
    if "help_seeking" in kinds and "victim" not in kinds:
        _scale(candidates, 0.6, "help_seeking")


def reported_speech(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """Someone else's words quoted by a third party weigh less than words addressed to the reader."""
    kinds = ctx.kinds()
    if "reported_speech" in kinds and "victim" not in kinds:
        _scale(candidates, 0.7, "reported_speech")


def negated(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """A negated act ("I won't post it", "жарыяланбайм") lowers the forms whose cues it stands before."""
    negations = [s for s in ctx.signals if s.kind == "negation"]
    for cand in candidates.values():
        if (
            cand.spans
            and negations
            and all(
                any(0 <= start - n.end <= 25 or n.start <= start < n.end for n in negations)
                for start, _ in cand.spans
            )
        ):
            cand.score *= 0.4
            cand.adjustments.append("negated")


def joking_hyperbole(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """Friends' hyperbole ("I'll kill you if you eat my cake 😂") is neither harassment nor urgent."""
    if "joke" in ctx.kinds():
        _scale(candidates, 0.5, "joking_hyperbole", set(FORM_IDS["harassment"]))
        ctx.urgent[:] = [u for u in ctx.urgent if u.kind not in ("threat_to_life", "physical_harm")]


def own_contact_ad(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """A woman giving her own number in a sale or rental ad is not doxxing."""
    if "own_ad" in ctx.kinds() and "doxxing" in candidates:
        _scale(candidates, 0.2, "own_contact_ad", {"doxxing"})


def victim_report(ctx: RuleInput, candidates: dict[str, Candidate]) -> None:
    """The target describing what was done to her: still the form, for triage; the explanation says so."""
    if "victim" in ctx.kinds():
        for cand in candidates.values():
            cand.adjustments.append("victim_report")


RULES: tuple[Rule, ...] = (
    quoted_news,
    help_seeking,
    reported_speech,
    negated,
    joking_hyperbole,
    own_contact_ad,
    victim_report,
)


def apply_rules(ctx: RuleInput, candidates: dict[str, Candidate], rules: tuple[Rule, ...] = RULES) -> None:
    for rule in rules:
        rule(ctx, candidates)
