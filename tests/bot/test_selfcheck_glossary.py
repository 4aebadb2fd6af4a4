"""The red-flag self-check as inline-keyboard questions, the glossary and the help services."""

from __future__ import annotations

import html

from aiogram.methods import EditMessageReplyMarkup

from tests.bot.conftest import CHAT, Harness
from tumar.i18n import t
from tumar.interfaces.bot import BotCore
from tumar.knowledge.selfcheck import assess, load_selfcheck


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _answer_all(h: Harness, yes: set[str], lang: str | None = None) -> list[str]:
    """Press the buttons of every question in turn; return what the last press brought."""
    questions = load_selfcheck().questions
    sent: list[str] = []
    for i, question in enumerate(questions):
        [[(_, yes_data), (_, no_data)]] = h.buttons()
        assert (yes_data, no_data) == (f"sc:{question.id}:1", f"sc:{question.id}:0")
        sent = h.press(yes_data if question.id in yes else no_data, lang=lang, message_id=100 + i)
    return sent


def test_selfcheck_end_to_end(harness: Harness, core: BotCore, kb):
    selfcheck = load_selfcheck()
    questions = selfcheck.questions
    [intro] = harness.message("/selfcheck")
    assert _e(t("bot_selfcheck_intro", "ky")).replace("{total}", str(len(questions))) in intro
    assert f"<b>{_e(questions[0].text.get('ky'))}</b>" in intro
    assert harness.buttons() == [
        [
            (t("answer_yes", "ky"), f"sc:{questions[0].id}:1"),
            (t("answer_no", "ky"), f"sc:{questions[0].id}:0"),
        ]
    ]

    yes = {questions[0].id, questions[1].id}
    result = _answer_all(harness, yes)
    expected = assess({q.id: q.id in yes for q in questions}, "ky", kb=kb, selfcheck=selfcheck)
    full = "\n".join(result)
    assert result[0].startswith(f"<b>{_e(expected.title)}</b>")  # the level first
    assert _e(expected.explanation) in full
    assert t("safety_plan", "ky") in full
    for step in expected.plan.steps:
        assert _e(step) in full
    assert expected.forms and kb.form(expected.forms[0].form.id).t("ky").name in full
    assert "<b>102</b>" in full  # where to get help, from the knowledge base
    assert result[-1].endswith("</i>") and _e(t("bot_privacy", "ky")) in result[-1]
    # every answered question lost its buttons; the answers are not kept after the result
    assert len(harness.session.of(EditMessageReplyMarkup)) == len(questions)
    assert core.memory.get(CHAT).selfcheck is None


def test_an_urgent_answer_leads_the_result_with_the_contacts(harness: Harness):
    urgent = [q.id for q in load_selfcheck().questions if q.urgent]
    assert urgent
    harness.press("lang:en")
    harness.message("/selfcheck")
    result = "\n".join(_answer_all(harness, set(urgent)))
    title = load_selfcheck().level_text("urgent").title.get("en")
    assert result.startswith(f"<b>{_e(title)}</b>")
    assert result.index(t("bot_call_now", "en")) < result.index(t("safety_plan", "en"))


def test_a_long_result_is_split_under_the_limit(harness: Harness):
    harness.message("/selfcheck")
    result = _answer_all(harness, {q.id for q in load_selfcheck().questions})
    assert len(result) >= 2
    assert all(len(part) <= 4096 for part in result)


def test_an_old_or_out_of_order_button_changes_nothing(harness: Harness, core: BotCore):
    questions = load_selfcheck().questions
    [stale] = harness.press(f"sc:{questions[0].id}:1")  # no self-check running
    assert _e(t("bot_selfcheck_stale", "ky")) in stale
    harness.message("/selfcheck")
    [stale] = harness.press(f"sc:{questions[3].id}:1")  # not the question asked
    assert _e(t("bot_selfcheck_stale", "ky")) in stale
    progress = core.memory.get(CHAT).selfcheck
    assert progress is not None and progress.answers == ()
    [next_question] = harness.press(f"sc:{questions[0].id}:0")
    assert _e(questions[1].text.get("ky")) in next_question


def test_a_selfcheck_left_for_hours_is_dropped(harness: Harness, clock, core: BotCore):
    harness.message("/selfcheck")
    first = harness.buttons()[0][0][1]
    clock.now += 2 * 3600
    [stale] = harness.press(first)
    assert _e(t("bot_selfcheck_stale", "ky")) in stale
    assert core.memory.get(CHAT).selfcheck is None


# ---- glossary ------------------------------------------------------------------------------------------
def test_forms_lists_all_27_with_a_button_each(harness: Harness, kb):
    [reply] = harness.message("/forms")
    for group in kb.groups.values():
        assert f"<b>{_e(group.name.get('ky'))}</b>" in reply
    data = [d for row in harness.buttons() for _, d in row]
    assert sorted(data) == sorted(f"form:{f}" for f in kb.forms)
    [glossary] = harness.message("/glossary")
    assert glossary == reply


def test_a_form_by_button_by_id_and_by_word(harness: Harness, kb):
    doxxing = kb.form("doxxing").t("ru")
    harness.press("lang:ru")
    by_button = harness.press("form:doxxing")
    by_id = harness.message("/forms doxxing")
    by_word = harness.message("/forms доксинг")
    assert by_button == by_id == by_word
    full = "\n".join(by_id)
    assert f"<b>{_e(doxxing.name)}</b>" in full
    assert _e(doxxing.definition) in full
    assert _e(t("legal_disclaimer", "ru")) in full  # laws come with their disclaimer
    assert all(law.source in html.unescape(full) for law in kb.laws_for("doxxing"))
    related = [d for row in harness.buttons() for _, d in row]
    assert related == [f"form:{r}" for r in kb.form("doxxing").related]


def test_a_word_matching_several_forms_lists_them(harness: Harness):
    [reply] = harness.message("/forms фото")
    data = [d for row in harness.buttons() for _, d in row]
    assert len(data) >= 2 and all(d.startswith("form:") for d in data)
    assert _e(t("bot_search_hits", "ky")).replace("{query}", "фото") in reply


def test_nothing_found_says_so(harness: Harness):
    [reply] = harness.message("/forms qqqqzzzz")
    assert _e(t("bot_search_none", "ky")).replace("{query}", "qqqqzzzz") in reply


def test_help_lists_every_service_of_both_countries(harness: Harness, kb):
    [reply] = harness.message("/help")
    for service in kb.help_services:
        assert _e(service.name.get("ky")) in reply
        if service.contact:
            assert f"<b>{_e(service.contact)}</b>" in reply
    assert reply.index(t("country_KG", "ky")) < reply.index(t("country_KZ", "ky"))
