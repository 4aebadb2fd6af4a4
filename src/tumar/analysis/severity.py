"""Severity and urgency of an analysis."""

from __future__ import annotations

import re
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


# Forms that, done to a child, put the child in danger (training/GUIDE.md, "Urgent: the one rule", 4): a minor
# groomed, pressed for sexual images, or her intimate images taken, shown or shared (cyberflashing included).
CHILD_DANGER_FORMS = frozenset(
    {
        "grooming",
        "coerced_sexting",
        "sextortion",
        "webcam_exploitation",
        "image_based_sexual_abuse",
        "revenge_porn",
        "upskirting",
        "creepshot",
        "cyberflashing",
        "unsolicited_explicit_image",
        "deepfake",
    }
)
_AGE = r"(1[0-7]|[4-9])"  # an age under 18 (not 1-3: "мне 2 раза писал", "she's 3 km away")
_NOT_AN_AGE = (
    r"(?!\d|\s*(?:[:.,'′\"]\s*\d|\d{3}\b|%|\$|мин|min|km|км|m\b|k\b|к\b|ft|feet|сом|тг|тенге|мың|миң|тыс|"
    r"лет назад|жыл|year|раз|times|hours?|час|o'?clock|am\b|pm\b))"
)
# A child's age or school grade: "мне 15", "ей всего 13", "I'm 14", "кызым 13 жашта", "14 жастағы", "9 жасар",
# "16-year-old", "17-летний", "(13 лет)", "8-класспыз", "9 сынып", "in the 9th grade", "несовершеннолетняя".
# Kyrgyz and Kazakh "жаш"/"жас" after a number is an age (a duration is "жыл"); a bare Russian "15 лет" is not
# (it is also "married 15 years"), so it needs a person before it or brackets around it.
MINOR = re.compile(
    r"(?<!\w)(?:мне|ей|ему|дочке|дочери|дочь|сестре|сыну|ребенку|ребёнку|маган|мага|маған|оған|кызым|қызым|"
    r"кызыма|қызыма|i'?m|i am|she'?s|she is|he'?s|he is|they'?re|maybe|aged?)\s+"
    r"(?:всего\s+|только\s+|just\s+|only\s+|like\s+)?"
    + _AGE
    + _NOT_AN_AGE
    + r"|(?<![\d:.,/])"
    + _AGE
    + r"\s*-?\s*(?:жаш(?:та|тагы|ар|ында|ымда|ыңда|ка|ы)?|жас(?:та|тағы|тагы|ар|ында|ымда|"
    r"ыңда|қа|ка|ы)?|zhas\w*|jash\w*|летн\w+|year[- ]olds?|yo\b|y/o|лет(?=\s*\)))(?!\w)"
    r"|(?<![\d:.,/])([1-9]|1[01])\s*(?:-?\s*(?:й|ый|ой|чи|чы|шы|ші|th|st|nd|rd|[абвгдabc]))?\s*-?\s*"
    r"(?:класс\w*|сынып\w*|klass\w*|synyp\w*|grade(?:rs?)?\b)"
    r"|\bgrade\s+([1-9]|1[01])\b"
    r"|несовершеннолетн\w*|малолетк\w*|\bunderage\b",
    re.IGNORECASE,
)


def child_in_danger(text: str, forms: set[str]) -> Signal | None:
    """The urgency cue of a child in danger: one of :data:`CHILD_DANGER_FORMS` was found and the text gives an
    age under 18 or a school grade ("мне 15", "кызым 13 жашта", "8-класспыз", "my 12 year old")."""
    if not forms & CHILD_DANGER_FORMS:
        return None
    match = MINOR.search(text)
    return Signal("child_in_danger", match.start(), match.end(), match.group(0)) if match else None


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
