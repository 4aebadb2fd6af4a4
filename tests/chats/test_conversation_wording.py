"""Pattern descriptions and form explanations in Kyrgyz, Russian, Kazakh and English."""

from __future__ import annotations

from datetime import datetime

import pytest

from tumar.chats.patterns import Pattern
from tumar.chats.phrases import PATTERN_KINDS, load_phrases
from tumar.chats.wording import describe, duration, explanation, fill, label, reason, when

LANGS = ("ky", "ru", "kk", "en")
FIRST = datetime(2025, 3, 12, 21, 40)
LAST = datetime(2025, 3, 17, 2, 14)

DETAILS = {
    "contact_after_refusal": {"cue": "отстань", "refusals": 3, "refused_by": "Айгуль", "calls": 0},
    "flood": {"largest": 25, "largest_seconds": 240, "night": 2, "messages": 40},
    "escalation": {"from_level": 2, "to_level": 4, "early": 2, "late": 11, "window_seconds": 3 * 86400},
    "repeated_demand": {"category": "location", "peak": 5},
    "threats": {},
    "grooming_signs": {"signs": {"flattery": 2, "secrecy": 1, "meeting": 1}},
}


def pattern(kind: str, count: int = 37, dated: bool = True, **detail) -> Pattern:
    return Pattern(
        kind,
        "Азамат",
        count,
        FIRST if dated else None,
        LAST if dated else None,
        ("1", "2"),
        {**DETAILS[kind], **detail},
    )


def test_the_russian_example_reads_naturally():
    text = describe(pattern("contact_after_refusal", refusals=1), "ru")
    assert text == (
        "После просьбы «отстань» 12.03 в 21:40 Азамат написал(а) ещё 37 сообщений за 4 дня "
        "(последнее 17.03 в 02:14)."
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ky",
            "«отстань» деп 12.03, саат 21:40 суранганына карабай (бардыгы 3 жолу суранган) Азамат 4 күн "
            "ичинде дагы 37 билдирүү жазды (акыркысы 17.03, саат 02:14).",
        ),
        (
            "kk",
            "«отстань» деп 12.03, сағат 21:40 сұрағанына қарамастан (барлығы 3 рет сұраған) Азамат 4 күн "
            "ішінде тағы 37 хабарлама жазды (соңғысы 17.03, сағат 02:14).",
        ),
        (
            "en",
            "After being asked to stop (“отстань”, 12.03 at 21:40; asked 3 times in all), Азамат sent 37 more "
            "messages over 4 days (the last on 17.03 at 02:14).",
        ),
    ],
)
def test_contact_after_refusal_in_other_languages(lang, expected):
    assert describe(pattern("contact_after_refusal"), lang) == expected


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", PATTERN_KINDS)
@pytest.mark.parametrize("dated", [True, False])
def test_every_pattern_reads_in_every_language(kind, lang, dated):
    if kind == "flood" and not dated:
        return  # a flood is found from times only
    p = pattern(kind, dated=dated)
    if kind == "escalation" and not dated:  # without times only the severity can rise
        p = Pattern(kind, "Азамат", 37, None, None, (), {"from_level": 2, "to_level": 4})
    text = describe(p, lang)
    assert "Азамат" in text and "37" in text
    assert not any(mark in text for mark in ("{", "}", "[[", "]]", "None"))
    assert ("17.03" in text) is dated


def test_no_times_without_dates():
    text = describe(pattern("contact_after_refusal", dated=False, refusals=1), "ru")
    assert text == "После просьбы «отстань» Азамат написал(а) ещё 37 сообщений."


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "сообщение"),
        (3, "сообщения"),
        (5, "сообщений"),
        (11, "сообщений"),
        (21, "сообщение"),
        (24, "сообщения"),
    ],
)
def test_russian_plurals(count, word):
    assert f"ещё {count} {word}" in describe(pattern("contact_after_refusal", count=count), "ru")


def test_english_plural_and_single_threat():
    text = describe(pattern("threats", count=1), "en")
    assert text == "Азамат sent 1 message with threats or signs of danger (12.03 at 21:40)."


def test_escalation_in_frequency_only():
    p = Pattern(
        "escalation", "Азамат", 13, FIRST, LAST, (), {"early": 1, "late": 9, "window_seconds": 86400 * 3}
    )
    text = describe(p, "en")
    assert "more often: 1 in the first 3 days, 9 in the last 3 days" in text
    assert "from " in text and "at first" not in text


def test_year_shown_when_the_pattern_crosses_new_year():
    p = Pattern("threats", "Азамат", 2, datetime(2024, 12, 31, 23, 50), datetime(2025, 1, 1, 0, 10), (), {})
    assert "31.12.2024" in describe(p, "ru") and "01.01.2025" in describe(p, "ru")


@pytest.mark.parametrize(
    ("seconds", "en", "ru"),
    [
        (30, "1 minute", "1 минуту"),
        (240, "4 minutes", "4 минуты"),
        (3 * 3600, "3 hours", "3 часа"),
        (5 * 86400, "5 days", "5 дней"),
        (21 * 3600, "21 hours", "21 час"),
    ],
)
def test_durations(seconds, en, ru):
    assert duration(seconds, "en") == en
    assert duration(seconds, "ru") == ru


def test_fill_leaves_out_missing_parts_and_requires_the_rest():
    assert fill("a[[ b {x}]] c", {"x": None}) == "a c"
    assert fill("a[[ b {x}]] c", {"x": 2}) == "a b 2 c"
    with pytest.raises(ValueError, match="'y'"):
        fill("{y}", {})


@pytest.mark.parametrize("lang", LANGS)
def test_reasons_labels_and_explanations_in_every_language(lang, kb):
    wording = load_phrases().wording
    values = {
        "count": 3,
        "what": "x",
        "signs": "y",
        "chat": "c",
        "analyzed": 3,
        "first": "f",
        "last": "l",
        "name": "n",
    }
    for key in wording.reasons:
        assert "3" in reason(key, lang, **values)
    for key in wording.labels:
        assert label(key, lang, **values)
    text = explanation(kb, "cyberstalking", "Азамат", ["a", "b"], lang)
    assert text == f"{kb.form('cyberstalking').t(lang).name} (Азамат): a; b."
    assert when(FIRST, lang) and when(None, lang) is None
