"""The phrase lists of the conversation analysis: refusals, demands, grooming signs and jokes in four
languages, typed with or without the Kyrgyz/Kazakh letters, in Latin letters and with typos."""

from __future__ import annotations

import pytest

from tumar.chats.phrases import DEMAND_CATEGORIES, GROOMING_SIGNS, load_phrases, mark

REFUSALS = [
    # Russian
    ("отстань от меня", "отстань"),
    ("атстань уже", "атстань"),
    ("Не пиши мне больше!!", "Не пиши мне"),
    ("хватит мне писать", "хватит мне писать"),
    ("оставь меня в покое пожалуйста", "оставь меня в покое"),
    ("я тебя заблокировала", "я тебя заблокировала"),
    ("otstan", "otstan"),
    ("ne pishi mne bolshe", "ne pishi mne"),
    # Kyrgyz
    ("жазба мага", "жазба мага"),
    ("мага эми жазба", "мага эми жазба"),
    ("тийбе мага", "тийбе мага"),
    ("tiybe maga", "tiybe maga"),
    ("jazba maga", "jazba maga"),
    ("мени тынч кой", "мени тынч кой"),
    ("блокко салдым сени", "блокко салдым"),
    ("номеримди өчүр", "номеримди өчүр"),
    ("номеримди очур", "номеримди очур"),
    # Kazakh
    ("маған жазба", "маған жазба"),
    ("жазба маған енді", "жазба маған"),
    ("magan jazba", "magan jazba"),
    ("маған хабарласпа", "маған хабарласпа"),
    ("мені мазалама", "мені мазалама"),
    ("блокқа салдым", "блокқа салдым"),
    ("blokka saldym", "blokka saldym"),
    ("мені тыныш қалдыр", "мені тыныш қалдыр"),
    # English
    ("stop texting me", "stop texting me"),
    ("Leave me alone!", "Leave me alone"),
    ("dont text me", "dont text me"),
    ("don’t message me again", "don’t message me"),
    ("I blocked you", "I blocked you"),
    ("pls stop calling me", "pls stop calling me"),
]


@pytest.mark.parametrize(("text", "cue"), REFUSALS)
def test_refusals_in_four_languages(text, cue):
    marks = mark(text)
    assert marks.refusal == cue
    assert not marks.joke


@pytest.mark.parametrize(
    "text",
    [
        "не отстану, пока не ответишь",  # the opposite: "I won't leave you alone"
        "мага жазбай калдың го",  # "you didn't write to me"
        "жазба жакшы экен",  # "the writing is good"
        "он сказал, что напишет мне завтра",
        "stop by the shop on your way",
        "отан туралы шығарма жазба",
        "салам, кандайсың?",
    ],
)
def test_not_refusals(text):
    assert mark(text).refusal is None


@pytest.mark.parametrize(
    ("text", "joke"),
    [
        ("stop it 😂", True),
        ("отстань)))", True),
        ("ахахах отстань", True),
        ("жазба мага, тамаша", True),
        ("это не шутка, не пиши мне", False),
        ("тамаша эмес, мага жазба", False),
        ("no joke, leave me alone", False),
        ("leave me alone", False),
    ],
)
def test_jokes_are_marked_and_negated_jokes_are_not(text, joke):
    marks = mark(text)
    assert marks.refusal
    assert marks.joke is joke


DEMANDS = [
    ("скинь пароль от инсты", "password"),
    ("какой у тебя пароль", "password"),
    ("сырсөзүңдү айт", "password"),
    ("кодду жибер азыр", "password"),
    ("құпия сөзіңді айтшы", "password"),
    ("what's your password", "password"),
    ("send me the code from the sms", "password"),
    ("ты где?", "location"),
    ("где ты сейчас", "location"),
    ("gde ty", "location"),
    ("кайдасың", "location"),
    ("kaydasyn", "location"),
    ("қайдасың азыр", "location"),
    ("qaidasyn", "location"),
    ("where are you??", "location"),
    ("send me your location", "location"),
    ("скинь геолокацию", "location"),
    ("скинь фотку", "photos"),
    ("сүрөтүңдү жибер", "photos"),
    ("суретіңді жібер", "photos"),
    ("send pics", "photos"),
    ("переведи 5000 сом", "money"),
    ("акча жибер", "money"),
    ("ақша аудар", "money"),
    ("send me money", "money"),
    ("покажи переписку", "phone_check"),
    ("телефонуңду көрсөт", "phone_check"),
    ("телефоныңды көрсет", "phone_check"),
    ("who are you texting", "phone_check"),
    ("включи камеру", "camera"),
    ("камераңды күйгүз", "camera"),
    ("камераны қос", "camera"),
    ("turn on your camera", "camera"),
    ("скинь фото паспорта", "documents"),
    ("паспортуңду жибер", "documents"),
    ("паспортыңды жібер", "documents"),
    ("send me a photo of your passport", "documents"),
]


@pytest.mark.parametrize(("text", "category"), DEMANDS)
def test_demands_in_four_languages(text, category):
    assert category in mark(text).demands


@pytest.mark.parametrize("text", ["дай 5 минут", "купи хлеба", "где-то в пятницу", "кайда барасың эртең?"])
def test_not_demands(text):
    assert mark(text).demands == ()


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("ты такая взрослая не по годам", "flattery"),
        ("you're so mature", "flattery"),
        ("никому не говори про нас", "secrecy"),
        ("эч кимге айтпа", "secrecy"),
        ("ешкімге айтпа", "secrecy"),
        ("it's our little secret", "secrecy"),
        ("давай встретимся после уроков", "meeting"),
        ("жолугалы эртең", "meeting"),
        ("кездесейік", "meeting"),
        ("let's meet tomorrow", "meeting"),
        ("куплю тебе айфон", "gifts"),
        ("сколько тебе лет?", "age"),
        ("канча жаштасың", "age"),
        ("неше жастасың", "age"),
        ("how old are you", "age"),
    ],
)
def test_grooming_signs(text, sign):
    assert sign in mark(text).signs


def test_every_category_has_patterns_in_every_language():
    from tumar.chats.phrases import _read

    data = _read()
    for spec in [data.refusal, *data.demands.values(), *data.grooming.values()]:
        for lang in ("ky", "ru", "kk", "en"):
            assert getattr(spec, lang), lang
    assert set(data.demands) == set(DEMAND_CATEGORIES)
    assert set(data.grooming) == set(GROOMING_SIGNS)
    assert all(rule.min_count >= 2 for rule in load_phrases().demands)


def test_empty_text_has_no_marks():
    assert not mark("   ")
