"""Urgency: which combinations of cues, findings, context and the model's urgency output are urgent."""

from __future__ import annotations

import pytest

from tumar.analysis.severity import is_urgent, severity_of
from tumar.recognizers.lexicon import Signal


def sig(kind: str) -> Signal:
    return Signal(kind, 0, 5, "x")


CASES = [
    # forms, urgency cues (after the rules), context, model says, urgent?
    ({"online_harassment"}, ["threat_to_life"], set(), None, True),
    (set(), ["threat_to_life"], set(), None, False),  # a cue without a finding
    (set(), [], set(), True, True),  # the model's urgency output alone
    ({"revenge_porn"}, ["imminent_release"], {"news"}, True, False),  # a news report
    ({"revenge_porn"}, ["imminent_release"], {"news", "victim"}, None, True),  # a victim's own account
    (set(), ["self_harm"], {"joke"}, None, True),
    ({"trafficking"}, [], set(), False, True),
    ({"online_harassment"}, [], {"joke"}, True, False),  # hyperbole: the model alone does not make it urgent
    (
        {"grooming"},
        ["child_meeting"],
        {"joke"},
        False,
        True,
    ),  # a joke marker does not excuse a planned meeting
    ({"online_harassment"}, [], set(), False, False),
    ({"grooming"}, [], {"joke"}, True, True),  # "come this weekend 😂" to a child: grooming is no joke
    ({"luring_recruitment"}, [], {"joke"}, True, True),
    ({"grooming"}, [], {"joke"}, False, False),  # … but the model has to flag it
    ({"sextortion"}, [], {"joke"}, True, False),  # "eat my cake and I send your sleeping photo 😂"
    # "sending her vids to the boys chat 😂": passing round intimate images is no joke either
    ({"image_based_sexual_abuse", "upskirting"}, [], {"joke"}, True, True),
    ({"image_based_sexual_abuse"}, [], {"joke"}, False, False),
]


@pytest.mark.parametrize(("forms", "cues", "context", "model", "urgent"), CASES)
def test_is_urgent(forms, cues, context, model, urgent):
    assert is_urgent(forms, [sig(k) for k in cues], context, model) is urgent


def test_severity(kb):
    assert severity_of(kb, [], False) == "none"
    assert severity_of(kb, ["cyberbullying"], True) == "urgent"
    assert severity_of(kb, ["trafficking"], False) == "high"
