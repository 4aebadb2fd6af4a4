"""A child in danger is urgent: a sexual-image form, grooming or sexting pressure found, and a child's age or school
grade in the text (training/GUIDE.md, "Urgent: the one rule", 4)."""

from __future__ import annotations

import pytest

from tumar.analysis.analyzer import default_analyzer
from tumar.analysis.severity import MINOR, child_in_danger


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("мне 15. что делать", "мне 15"),
        ("ей всего 13, а он просит фото", "ей всего 13"),
        ("I'm 14 and he keeps sending", "I'm 14"),
        ("Кызым 13 жашта, мектепте окуйт", "Кызым 13"),
        ("14 жастағы қарындасыма жіберген", "14 жастағы"),
        ("9 жасар кызыма", "9 жасар"),
        ("my 12 year old got this in a game chat", "12 year old"),
        ("17-летний пацан", "17-летний"),
        ("дочь (13 лет) сидит в дискорде", "13 лет"),
        ("8-класспыз, мугалимге айтабызбы", "8-класспыз"),
        ("9 сыныптың чатына", "9 сыныптың"),
        ("every girl in the 9th grade chat", "9th grade"),
        ("она несовершеннолетняя", "несовершеннолетняя"),
    ],
)
def test_a_childs_age_or_grade_is_found(text: str, age: str) -> None:
    match = MINOR.search(text)
    assert match is not None and match.group(0) == age


@pytest.mark.parametrize(
    "text",
    [
        "i'm 15 min away",
        "мы женаты 15 лет",
        "мне 15 000 сом должен",
        "meet at 16:30",
        "он мне 2 раза писал",
        "это было 5 лет назад",
        "she's 16 km from here",
        "12 жыл бирге жашадык",
        "I'm 5'7 and 60 kg",
        "мне 18, я взрослая",
        "мне 25",
    ],
)
def test_durations_money_times_and_adults_are_not_ages(text: str) -> None:
    assert MINOR.search(text) is None


def test_only_the_forms_that_endanger_a_child_count() -> None:
    assert child_in_danger("мне 15", {"cyberflashing", "image_based_sexual_abuse"}) is not None
    assert child_in_danger("мне 15", {"cyberbullying"}) is None  # mocking a teenager is not urgent on its own
    assert child_in_danger("мне 25", {"cyberflashing"}) is None


def test_a_child_sent_a_dick_pic_is_urgent_and_says_why() -> None:
    analyzer = default_analyzer()
    child = analyzer.analyze(
        "Мне 14. Какой-то взрослый мужик в дискорде прислал мне в личку фото своего члена, что делать"
    )
    assert {"cyberflashing", "image_based_sexual_abuse"} & set(child.forms)
    assert child.urgent and "child_in_danger" in child.urgent_reasons
    adult = analyzer.analyze(
        "Мне 24. Какой-то взрослый мужик в дискорде прислал мне в личку фото своего члена, что делать"
    )
    assert "child_in_danger" not in adult.urgent_reasons
