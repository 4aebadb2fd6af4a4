"""Context rules, each alone: what it changes and the name it leaves behind."""

from __future__ import annotations

from tumar.analysis.context import (
    Candidate,
    RuleInput,
    joking_hyperbole,
    negated,
    own_contact_ad,
    quoted_news,
    victim_report,
)
from tumar.recognizers.lexicon import Signal


def cands(**scores):
    return {f: Candidate(f, s, spans=[(30, 40)]) for f, s in scores.items()}


def sig(kind, start=0, end=5):
    return Signal(kind, start, end, "x")


def test_quoted_news_lowers_and_clears_urgency():
    c = cands(revenge_porn=0.9)
    ctx = RuleInput([sig("news")], [sig("threat_to_life")])
    quoted_news(ctx, c)
    assert c["revenge_porn"].score < 0.5 and "quoted_news" in c["revenge_porn"].adjustments
    assert ctx.urgent == []


def test_news_rule_does_not_touch_a_victim_report():
    c = cands(revenge_porn=0.9)
    quoted_news(RuleInput([sig("news"), sig("victim")], []), c)
    assert c["revenge_porn"].score == 0.9


def test_negation_right_before_the_cue():
    c = cands(doxxing=0.8)
    negated(RuleInput([sig("negation", 20, 28)], []), c)
    assert c["doxxing"].score < 0.5 and c["doxxing"].adjustments == ["negated"]


def test_negation_far_away_changes_nothing():
    c = cands(doxxing=0.8)
    negated(RuleInput([sig("negation", 0, 2)], []), c)
    assert c["doxxing"].score == 0.8


def test_joke_lowers_harassment_only_and_drops_threat_urgency():
    c = cands(online_harassment=0.8, sextortion=0.8)
    ctx = RuleInput([sig("joke")], [sig("threat_to_life"), sig("self_harm")])
    joking_hyperbole(ctx, c)
    assert c["online_harassment"].score == 0.4 and c["sextortion"].score == 0.8
    assert [u.kind for u in ctx.urgent] == ["self_harm"]


def test_own_ad_is_not_doxxing():
    c = cands(doxxing=0.9, cyberbullying=0.9)
    own_contact_ad(RuleInput([sig("own_ad")], []), c)
    assert c["doxxing"].score < 0.5 and c["cyberbullying"].score == 0.9


def test_victim_report_keeps_the_score_and_says_so():
    c = cands(sextortion=0.7)
    victim_report(RuleInput([sig("victim")], []), c)
    assert c["sextortion"].score == 0.7 and c["sextortion"].adjustments == ["victim_report"]
