"""Severity and urgency of an analysis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tumar.analysis.finding import SEVERITIES
from tumar.knowledge.loader import KnowledgeBase
from tumar.recognizers.lexicon import Signal

URGENT_FORMS = frozenset({"trafficking"})
# Forms a joke marker cannot make harmless: luring a child or a job seeker away is no joke, emoji or not, and
# neither is passing round a woman's intimate images ("sending her vids to the boys chat 😂").
NO_JOKE_FORMS = frozenset(
    {"grooming", "luring_recruitment", "image_based_sexual_abuse", "webcam_exploitation"}
)


def is_urgent(
    forms: set[str], urgent_signals: Sequence[Signal], context: set[str], model_says: bool | None
) -> bool:
    """Urgent: trafficking, signs of self-harm, or a threat to life, of harm or of imminent release.

    An urgency cue (a threat to kill, a deadline to publish, a kept passport …) that comes with a finding is
    urgent; with the model, so is anything its urgency output flags (its threshold is tuned for recall:
    missing an urgent case costs more than a false alarm).
    A news report is never urgent. Joking hyperbole ("I'll kill you if you eat my cake 😂") is not urgent on the
    model's word alone, and its threats were already dropped by the ``joking_hyperbole`` rule; a joke marker
    does not excuse the other urgency cues (a planned meeting with a child, a deadline to publish, …), nor the
    model's word when grooming or luring was found.
    """
    self_harm = any(s.kind == "self_harm" for s in urgent_signals)
    if "news" in context and "victim" not in context:
        return False
    if self_harm or forms & URGENT_FORMS:
        return True
    cue_with_finding = bool(urgent_signals) and bool(forms)
    if "joke" in context:
        return cue_with_finding or (bool(model_says) and bool(forms & NO_JOKE_FORMS))
    return bool(model_says) or cue_with_finding


def severity_of(kb: KnowledgeBase, forms: Iterable[str], urgent: bool) -> str:
    """ "urgent" when urgent; otherwise the most severe base severity of the forms found, "none" if none."""
    if urgent:
        return "urgent"
    levels = [kb.form(f).severity for f in forms]
    levels = ["high" if level == "urgent" else level for level in levels]
    return max(levels, key=SEVERITIES.index) if levels else "none"
