"""A direct threat to kill or hurt is online harassment and urgent, whatever the model scores."""

from __future__ import annotations

import pytest

from tumar.analysis.analyzer import default_analyzer


@pytest.mark.parametrize(
    "text", ["Я тебя убью", "I will kill you", "Сени өлтүрөм", "Я тебя убью, завтра приду к твоей школе"]
)
def test_a_bare_threat_to_kill_is_harassment_and_urgent(text: str) -> None:
    result = default_analyzer().analyze(text)
    assert "online_harassment" in {f.form for f in result.findings}
    assert result.urgent and result.severity == "urgent"
    threat = next(f for f in result.findings if f.form == "online_harassment")
    assert "threat" in threat.recognizers and threat.cues


@pytest.mark.parametrize(
    "text",
    [
        "Я тебя убью если съешь мой торт 😂",
        "В Бишкеке мужчина пригрозил убить бывшую жену, сообщает милиция",
        "Я тебя не убью, не бойся",
        "I will not kill you, calm down",
    ],
)
def test_jokes_news_and_negations_are_not_made_threats(text: str) -> None:
    result = default_analyzer().analyze(text)
    assert not result.urgent
    assert all("threat" not in f.recognizers for f in result.findings)
