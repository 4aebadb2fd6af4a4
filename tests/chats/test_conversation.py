"""Conversation analysis on hand-built chats (fast analyzer): each pattern positive and negative, the
conversation-level forms, the abuser, the JSON contract, batching and memory."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from tumar.analysis.analyzer import Analyzer
from tumar.chats.conversation import (
    ConversationAnalysis,
    ConversationMessage,
    analyze_conversation,
)
from tumar.chats.model import ChatMessage
from tumar.errors import InputError, UnsupportedLanguageError

START = datetime(2025, 3, 12, 21, 30)


def chat(*lines, start: datetime = START, name: str = "Азамат") -> list[ChatMessage]:
    """Messages from ``(minutes after start, sender, text[, other ChatMessage fields])`` lines; minutes
    ``None`` make an undated message. Ids are "1", "2", … in order."""
    out = []
    for n, (minutes, sender, text, *rest) in enumerate(lines, start=1):
        extra = rest[0] if rest else {}
        out.append(
            ChatMessage(
                id=str(n),
                chat=name,
                date=None if minutes is None else start + timedelta(minutes=minutes),
                sender=sender,
                text=text,
                **extra,
            )
        )
    return out


@pytest.fixture(scope="module")
def fast():
    return Analyzer(fast=True)


def run(messages, analyzer, **kw) -> ConversationAnalysis:
    return analyze_conversation(messages, analyzer, **kw)


def kinds(result: ConversationAnalysis, kind: str, sender: str | None = None):
    return [p for p in result.patterns if p.kind == kind and (sender is None or p.sender == sender)]


def rule_forms(result: ConversationAnalysis) -> set[str]:
    return {f.form for f in result.forms if f.rule != "found_in_messages"}


DAY = 24 * 60

# A normal couple: plans, jokes, one "stop it 😂" — nothing across it is abuse.
COUPLE = chat(
    (0, "Айгуль", "салам, кандайсың? 😊"),
    (1, "Бакыт", "жакшы, сенчи? эртең киного барабызбы"),
    (2, "Айгуль", "ооба барабыз, саат канчада?"),
    (3, "Бакыт", "7де, билеттерди алдым"),
    (5, "Айгуль", "супер 😍"),
    (60, "Бакыт", "ты где? я у кинотеатра"),
    (61, "Айгуль", "5 минут, бегу"),
    (62, "Бакыт", "ок жду"),
    (300, "Бакыт", "хахах ты так смешно смеялась в кино"),
    (301, "Айгуль", "stop it 😂"),
    (302, "Бакыт", "ладно ладно"),
    (303, "Бакыт", "но это было мило"),
    (304, "Бакыт", "спокойной ночи"),
    (305, "Бакыт", "эртең жолугабызбы?"),
    (306, "Бакыт", "😘"),
    (307, "Айгуль", "жолугабыз, кечинде жаз"),
    (DAY, "Айгуль", "доброе утро"),
    (DAY + 2, "Бакыт", "доброе! как спала?"),
    (DAY + 3, "Айгуль", "отлично, на работу бегу"),
)


def test_normal_couple_with_a_joke_is_not_harassment(fast):
    result = run(COUPLE, fast)
    assert result.patterns == ()
    assert result.forms == ()
    assert result.abuser is None
    assert not result.urgent


# ------------------------------------------------------------------ contact_after_refusal

REFUSAL_LINES = {
    "ru": "отстань, не пиши мне больше",
    "ky": "жазба мага, тынч кой",
    "kk": "маған жазба енді",
    "en": "leave me alone",
    "ru-latin": "otstan ot menya",
    "ky-latin": "jazba maga",
}


def harassing_lines(refusal: str, after: int = 8) -> list[tuple]:
    lines: list[tuple] = [
        (0, "Азамат", "салам"),
        (2, "Айгуль", "салам"),
        (10, "Азамат", "почему не отвечаешь"),
        (10 + 60, "Айгуль", refusal),
    ]
    return lines + [(71 + i * 300, "Азамат", f"ответь мне {i}") for i in range(after)]


def harassing_chat(refusal: str, after: int = 8) -> list[ChatMessage]:
    return chat(*harassing_lines(refusal, after))


@pytest.mark.parametrize("lang", sorted(REFUSAL_LINES))
def test_contact_after_refusal_in_every_language(fast, lang):
    result = run(harassing_chat(REFUSAL_LINES[lang]), fast)
    (pattern,) = kinds(result, "contact_after_refusal")
    assert pattern.sender == "Азамат"
    assert pattern.count == 8
    assert pattern.first == START + timedelta(minutes=70)
    assert pattern.last == START + timedelta(minutes=71 + 7 * 300)
    assert pattern.message_ids == tuple(str(n) for n in range(5, 13))
    assert pattern.detail["refused_by"] == "Айгуль" and pattern.detail["refusals"] == 1
    assert "online_harassment" in rule_forms(result)


def test_refusal_repeated_and_calls_count_as_contact(fast):
    call = {"kind": "service", "action": "phone_call"}
    messages = chat(
        *harassing_lines("не пиши мне", after=6),
        (3000, "Айгуль", "я сказала не пиши мне!"),
        (3005, "Азамат", "", call),
        (3006, "Азамат", "", call),
        (3007, None, "", {"kind": "service", "action": "pin_message"}),
    )
    result = run(messages, fast)
    (pattern,) = kinds(result, "contact_after_refusal")
    assert pattern.detail["refusals"] == 2
    assert pattern.detail["refusal_ids"] == ["4", "11"]
    assert pattern.detail["calls"] == 2
    assert pattern.count == 8
    assert pattern.message_ids[-2:] == ("12", "13")


@pytest.mark.parametrize("case", ["joke", "made_up", "too_few"])
def test_no_contact_after_refusal(fast, case):
    if case == "joke":
        lines = harassing_lines("отстань 😂😂")
    elif case == "made_up":  # a quarrel, then they talk as before
        lines = harassing_lines("отстань")
        lines += [(3000 + i, "Айгуль" if i % 2 else "Азамат", f"ок, давай забудем {i}") for i in range(12)]
    else:
        lines = harassing_lines("отстань", after=3)
    assert kinds(run(chat(*lines), fast), "contact_after_refusal") == []


def test_in_a_group_the_refusal_goes_to_the_message_it_replies_to(fast):
    messages = chat(
        (0, "Данияр", "кто идёт на матч?"),
        (1, "Азамат", "Айгуль, ответь мне"),
        (2, "Данияр", "я иду"),
        (3, "Айгуль", "хватит мне писать", {"reply_to": "2"}),
        *[(10 + i, "Азамат", f"ответь {i}") for i in range(6)],
    )
    result = run(messages, fast)
    (pattern,) = kinds(result, "contact_after_refusal")
    assert pattern.sender == "Азамат"


# ------------------------------------------------------------------ flood


def test_flood_at_night(fast):
    night = datetime(2025, 3, 14, 23, 30)
    lines = [(0, "Айгуль", "спокойной ночи")] + [(1 + i * 0.25, "Азамат", f"ответь {i}") for i in range(14)]
    lines += [(DAY / 2 + i * 0.2, "Азамат", f"алло {i}") for i in range(10)]
    result = run(chat(*lines, start=night), fast)
    (pattern,) = kinds(result, "flood")
    assert pattern.sender == "Азамат"
    assert pattern.count == 2
    assert pattern.detail["largest"] == 14
    assert pattern.detail["night"] == 1
    assert pattern.first == night + timedelta(minutes=1)
    assert len(pattern.message_ids) == 24


@pytest.mark.parametrize("case", ["slow", "dialogue", "undated"])
def test_no_flood(fast, case):
    if case == "slow":
        lines = [(i * 10, "Азамат", f"ответь {i}") for i in range(15)]
    elif case == "dialogue":
        lines = [(i * 0.25, "Азамат" if i % 2 else "Айгуль", f"ха, да {i}") for i in range(24)]
    else:
        lines = [(None, "Азамат", f"ответь {i}") for i in range(15)]
    assert kinds(run(chat(*lines), fast), "flood") == []


# ------------------------------------------------------------------ escalation


def test_escalation_from_insults_to_threats(fast):
    lines = [(i * 60, "Азамат", "ты шлюха") for i in range(3)]
    lines += [(600, "Айгуль", "хватит")]
    lines += [(DAY + i * 60, "Азамат", "сени өлтүрөм") for i in range(3)]
    result = run(chat(*lines), fast)
    (pattern,) = kinds(result, "escalation")
    assert pattern.sender == "Азамат"
    assert pattern.count == 6
    assert pattern.detail["from_level"] == 2 and pattern.detail["to_level"] == 4


def test_escalation_in_frequency(fast):
    lines = [(0, "Азамат", "ты шлюха")]
    lines += [(9 * DAY + i * 30, "Азамат", "ты шлюха") for i in range(6)]
    (pattern,) = kinds(run(chat(*lines), fast), "escalation")
    assert pattern.detail["early"] == 1 and pattern.detail["late"] == 6
    assert "from_level" not in pattern.detail


def test_no_escalation_when_steady(fast):
    lines = [(i * DAY, "Азамат", "ты шлюха") for i in range(8)]
    assert kinds(run(chat(*lines), fast), "escalation") == []


# ------------------------------------------------------------------ repeated_demand


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("ты где?", "location"),
        ("кайдасың", "location"),
        ("қайдасың", "location"),
        ("where are you", "location"),
        ("скинь пароль от инсты", "password"),
        ("сырсөзүңдү айт", "password"),
        ("құпия сөзіңді айт", "password"),
        ("what's your password", "password"),
        ("покажи переписку", "phone_check"),
        ("send pics", "photos"),
    ],
)
def test_repeated_demand(fast, text, category):
    lines = [(i * 20, "Азамат", text) for i in range(4)]
    (pattern,) = kinds(run(chat(*lines), fast), "repeated_demand")
    assert pattern.detail["category"] == category
    assert pattern.count == 4
    assert pattern.sender == "Азамат"


@pytest.mark.parametrize(
    "lines",
    [
        [(0, "Мама", "где ты?"), (5, "Айгуль", "у Айжан, скоро буду"), (6, "Мама", "хорошо")],
        [(i * DAY, "Мама", "ты где?") for i in range(4)],  # once a day is not insisting
        [(i, "Азамат", "где ты? 😂") for i in range(4)],
    ],
    ids=["once", "daily", "joking"],
)
def test_no_repeated_demand(fast, lines):
    assert kinds(run(chat(*lines), fast), "repeated_demand") == []


def test_repeated_control_demands_are_digital_control(fast):
    lines = [(i * DAY, "Азамат", "скинь пароль от инсты") for i in range(3)]
    result = run(chat(*lines), fast)
    assert "digital_control" in rule_forms(result)
    form = next(f for f in result.forms if f.form == "digital_control")
    assert form.patterns == ("repeated_demand",)
    assert "3" in form.explanation


# ------------------------------------------------------------------ threats and forms


def test_threats_timeline_in_date_order_and_jokes_left_out(fast):
    messages = chat(
        (0, "Азамат", "убью тебя 😂 шучу"),
        (DAY, "Азамат", "сени өлтүрөм"),
        (10, "Азамат", "я тебя убью"),
    )
    result = run(messages, fast)
    (pattern,) = kinds(result, "threats")
    assert pattern.message_ids == ("3", "2")
    assert result.urgent


def test_stalking_after_refusal_with_location_demands(fast):
    messages = chat(
        *harassing_lines("не пиши мне"),
        (4000, "Азамат", "кайдасың?"),
        (4001, "Азамат", "я знаю где ты живешь"),
    )
    result = run(messages, fast)
    assert {"online_harassment", "cyberstalking"} <= rule_forms(result)
    form = next(f for f in result.forms if f.form == "cyberstalking")
    assert form.sender == "Азамат" and "contact_after_refusal" in form.patterns


def test_refusal_alone_is_not_stalking(fast):
    assert "cyberstalking" not in rule_forms(run(harassing_chat("не пиши мне"), fast))


def test_grooming_across_many_messages(fast):
    messages = chat(
        (0, "Марат", "привет, ты такая взрослая не по годам"),
        (DAY, "Марат", "сколько тебе лет?"),
        (DAY + 5, "Дана", "14"),
        (2 * DAY, "Марат", "никому не говори, что мы общаемся, это наш секрет"),
        (3 * DAY, "Марат", "давай встретимся после уроков"),
        (4 * DAY, "Марат", "скинь фотку"),
    )
    result = run(messages, fast, owner="Дана")
    (signs,) = kinds(result, "grooming_signs")
    assert signs.sender == "Марат" and signs.count == 5
    assert {"flattery", "age", "secrecy", "meeting", "photos"} <= set(signs.detail["signs"])
    assert "grooming" in rule_forms(result)
    assert result.abuser == "Марат"


def test_compliments_and_dates_are_not_grooming(fast):
    messages = chat(
        (0, "Бакыт", "ты такая красивая сегодня"),
        (10, "Бакыт", "давай встретимся вечером"),
        (20, "Бакыт", "ты такая умная"),
        (30, "Бакыт", "let's meet at 7"),
    )
    result = run(messages, fast)
    assert kinds(result, "grooming_signs") == []
    assert "grooming" not in rule_forms(result)


def test_sextortion_luring_and_webcam(fast):
    messages = chat(
        (0, "Азамат", "если не скинешь фото, всем покажу переписку"),
        (1, "Азамат", "скинь фото"),
        (10, "Рекрутер", "работа в Дубае, 2000$ в месяц, официанткой"),
        (11, "Рекрутер", "скинь фото паспорта, билет оплатим"),
        (20, "Стример", "включи камеру"),
        (21, "Стример", "разденься перед камерой, покажи грудь"),
        (22, "Стример", "включи камеру быстро"),
    )
    result = run(messages, fast)
    decided = {(f.form, f.sender) for f in result.forms if f.rule != "found_in_messages"}
    assert ("sextortion", "Азамат") in decided
    assert ("luring_recruitment", "Рекрутер") in decided
    assert ("webcam_exploitation", "Стример") in decided


def test_the_owner_is_never_the_abuser_nor_the_author_of_forms(fast):
    messages = chat(
        (0, "Айгуль", "ты тупая корова"),
        (1, "Айгуль", "шалава"),
        (2, "Айгуль", "ты тупая корова"),
        (3, "Азамат", "ты шлюха"),
    )
    assert run(messages, fast).abuser == "Айгуль"
    result = run(messages, fast, owner="айгуль")  # matched case-insensitively
    assert result.abuser == "Азамат"
    assert all(f.sender == "Азамат" for f in result.forms)


@pytest.mark.parametrize(
    ("lines", "abuser"),
    [
        ([(0, "Азамат", "салам"), (1, "Айгуль", "салам")], None),
        ([(0, "Азамат", "ты шлюха"), (1, "Айгуль", "сам такой")], "Азамат"),
        # a threat weighs more than two insults
        (
            [(0, "Данияр", "ты тупая корова"), (1, "Данияр", "шалава"), (2, "Азамат", "сени өлтүрөм")],
            "Азамат",
        ),
        # a tie names nobody
        ([(0, "Данияр", "ты шлюха"), (1, "Азамат", "ты шлюха")], None),
    ],
    ids=["nobody", "one", "weighted", "tie"],
)
def test_abuser(fast, lines, abuser):
    assert run(chat(*lines), fast).abuser == abuser


def test_unknown_owner_and_language_are_user_errors(fast):
    with pytest.raises(InputError, match="Бакыт"):
        run(COUPLE, fast, owner="Bob")
    with pytest.raises(UnsupportedLanguageError):
        run(COUPLE, fast, explain_lang="de")
    with pytest.raises(UnsupportedLanguageError):
        run(COUPLE, fast, lang="uz")


# ------------------------------------------------------------------ JSON contract, batching, memory


def test_json_contract(fast):
    messages = chat(
        *harassing_lines("отстань"),
        (None, None, "", {"kind": "service", "action": "pin_message"}),
        (DAY * 9, "Азамат", "   "),
        (DAY * 10, "Азамат", "сени өлтүрөм"),
    )
    data = run(messages, fast, explain_lang="ru").to_json()
    json.dumps(data)
    assert list(data) == ["forms", "urgent", "abuser", "patterns", "messages"]
    assert data["urgent"] is True and data["abuser"] == "Азамат"
    for form in data["forms"]:
        assert set(form) == {"form", "sender", "explanation", "patterns", "message_ids"}
        assert form["explanation"].startswith(("Онлайн", "Кибер", "Цифр", "Секс", "Слат", "Сексуализ"))
    for pattern in data["patterns"]:
        assert list(pattern) == ["kind", "sender", "count", "first", "last", "message_ids", "description"]
        assert isinstance(pattern["count"], int) and pattern["description"]
        datetime.fromisoformat(pattern["first"])
    assert len(data["messages"]) == len(messages)
    for message in data["messages"]:
        assert list(message) == ["id", "date", "from", "text", "findings"]
        if message["date"] is not None:
            datetime.fromisoformat(message["date"])
        for finding in message["findings"]:
            assert set(finding) == {"form", "confidence", "spans", "cues", "explanation"}
    service = data["messages"][12]
    assert service == {"id": "13", "date": None, "from": None, "text": "", "findings": []}
    assert any(m["findings"] for m in data["messages"])


class CountingAnalyzer(Analyzer):
    def __init__(self) -> None:
        super().__init__(fast=True)
        self.batches: list[int] = []

    def analyze_batch(self, items, *, explain_lang=None):
        self.batches.append(len(items))
        return super().analyze_batch(items, explain_lang=explain_lang)


def test_batches_and_memory_on_a_long_chat():
    analyzer = CountingAnalyzer()
    texts = ["салам", "купи хлеба", "ты шлюха", "эртең жолугабыз", "ok see you"]

    def stream():
        for i in range(5_000):
            yield ChatMessage(
                id=str(i),
                chat="c",
                date=START + timedelta(minutes=7 * i),
                sender="Азамат" if i % 3 else "Айгуль",
                text="" if i % 500 == 0 else f"{texts[i % 5]} {i}",
            )

    result = analyze_conversation(stream(), analyzer, batch_size=256)
    assert sum(analyzer.batches) == result.analyzed == 5_000 - 10
    assert max(analyzer.batches) == 256
    assert len(result.messages) == 5_000
    assert all(type(m) is ConversationMessage for m in result.messages)
    clean = [m for m in result.messages if "шлюха" not in m.text]
    assert all(m.findings == () for m in clean)
    assert result.abuser == "Азамат"
