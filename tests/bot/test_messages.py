"""The bot driven through aiogram's Dispatcher: language choice, checking a message, urgency, escaping,
privacy, rate limit, /forget and errors. Everything it sends is recorded by a fake session."""

from __future__ import annotations

import html
import logging

import pytest
from aiogram.methods import AnswerCallbackQuery, SendChatAction, SendMessage, SetMyCommands

from tests.bot.conftest import CHAT, FakeClock, Harness
from tumar.i18n import t
from tumar.interfaces.bot import BotConfig, BotCore, Reply, create_dispatcher
from tumar.interfaces.bot.core import COMMANDS
from tumar.interfaces.bot.telegram import send
from tumar.languages import LANGUAGES

DOXXING_KY = "Менин мурунку жигитим номеримди каналга жазыптыр: 0700 123 456"
THREAT_KY = "Мен сени өлтүрөм, эртең үйүңө барам"


def privacy(lang: str) -> str:
    return html.escape(t("bot_privacy", lang), quote=False)


# ---- language ----------------------------------------------------------------------------------------------
def test_start_offers_the_four_languages(harness: Harness):
    [reply] = harness.message("/start")
    assert html.escape(t("bot_welcome", "ky"), quote=False) in reply  # Kyrgyz until she chooses
    for lang in LANGUAGES:
        assert html.escape(t("bot_choose_language", lang), quote=False) in reply
    data = [d for row in harness.buttons() for _, d in row]
    assert data == ["lang:ky", "lang:ru", "lang:kk", "lang:en"]
    assert reply.endswith(f"<i>{privacy('ky')}</i>")


def test_the_chosen_language_is_remembered_for_the_chat(harness: Harness):
    harness.message("/start")
    [welcome] = harness.press("lang:ru")
    assert html.escape(t("bot_welcome", "ru"), quote=False) in welcome
    assert harness.session.of(AnswerCallbackQuery)  # the button's spinner is stopped
    [help_reply] = harness.message("/help")
    assert f"<b>{t('help', 'ru')}</b>" in help_reply
    [other_chat] = harness.message("/help", chat=CHAT + 1)  # another chat is not affected
    assert f"<b>{t('help', 'ky')}</b>" in other_chat


def test_telegrams_language_is_used_until_she_chooses(harness: Harness):
    [reply] = harness.message("/help", lang="kk")
    assert f"<b>{t('help', 'kk')}</b>" in reply
    [reply] = harness.message("/help", lang="de")  # not one of Tumar's languages: Kyrgyz
    assert f"<b>{t('help', 'ky')}</b>" in reply


def test_an_unknown_language_button_shows_the_choice_again(harness: Harness):
    [reply] = harness.press("lang:xx")
    assert harness.buttons()[0][0][1] == "lang:ky"
    assert privacy("ky") in reply


# ---- a message -----------------------------------------------------------------------------------------------
def test_a_kyrgyz_message_with_her_number_is_doxxing_with_the_phone(harness: Harness, kb):
    replies = harness.message(DOXXING_KY)
    assert len(replies) == 1
    reply = replies[0]
    doxxing = kb.form("doxxing").t("ky")
    assert f"<b>{doxxing.name}</b>" in reply
    assert f"{t('pii_found', 'ky')}</b>: {t('pii_phone', 'ky')}" in reply
    assert html.escape(doxxing.what_to_do[0], quote=False) in reply  # screenshots first
    assert t("bot_next_steps", "ky") in reply
    assert "0700 123 456" not in reply  # the number itself is not repeated back
    assert reply.endswith(f"<i>{privacy('ky')}</i>")
    assert harness.session.of(SendChatAction)  # "typing…" while it is checked


def test_a_forwarded_channel_post_is_checked_like_a_typed_message(harness: Harness, kb):
    [reply] = harness.message(DOXXING_KY, forwarded=True)
    assert f"<b>{kb.form('doxxing').t('ky').name}</b>" in reply


def test_a_photo_caption_is_checked(harness: Harness, kb):
    [reply] = harness.message(caption=DOXXING_KY, photo=True)
    assert f"<b>{kb.form('doxxing').t('ky').name}</b>" in reply


def test_the_answer_is_in_her_language_whatever_the_message_is_in(harness: Harness, kb):
    harness.press("lang:en")
    [reply] = harness.message(DOXXING_KY)
    assert f"<b>{kb.form('doxxing').t('en').name}</b>" in reply
    assert t("pii_phone", "en") in reply


def test_only_personal_data_points_to_doxxing_without_calling_it_abuse(harness: Harness):
    [reply] = harness.message("Продаю диван, звоните 0555 01 23 45")
    assert html.escape(t("no_findings", "ky"), quote=False) in reply
    assert t("pii_phone", "ky") in reply
    assert "/forms doxxing" in reply


def test_an_urgent_threat_leads_with_the_help_contacts(harness: Harness, kb):
    [reply] = harness.message(THREAT_KY)
    assert reply.startswith("⚠️ <b>" + html.escape(t("urgent_note", "ky"), quote=False))
    contacts = [h for h in kb.help_services if h.contact]
    assert {h.country for h in contacts} == {"KG", "KZ"}
    severity = reply.index(t("severity", "ky"))
    for service in contacts:  # every contact, exactly as the knowledge base has it, before the analysis
        shown = (
            f"{html.escape(service.name.get('ky'), quote=False)}: <b>{html.escape(service.contact or '')}</b>"
        )
        assert 0 < reply.index(shown) < severity
    assert reply.index(t("country_KG", "ky")) < reply.index(t("country_KZ", "ky"))


def test_a_kazakh_reader_sees_kazakhstan_first(harness: Harness):
    harness.press("lang:kk")
    [reply] = harness.message(THREAT_KY)
    assert reply.index(t("country_KZ", "kk")) < reply.index(t("country_KG", "kk"))


def test_her_text_is_escaped_in_the_answer(harness: Harness):
    [reply] = harness.message("Менин мурунку жигитим номеримди каналга <b>жазыптыр</b> & <i>")
    assert "&lt;b&gt;жазыптыр" in reply
    assert "<b>жазыптыр" not in reply
    [reply] = harness.message("/forms <script>alert(1)</script>")
    assert "«&lt;script&gt;alert(1)&lt;/script&gt;»" in reply


def test_a_chat_pasted_into_one_message_is_checked_as_a_chat(harness: Harness):
    [reply] = harness.message("Айпери: мага жазба\nАзамат: жооп бербесең сүрөттөрүңдү баарына жиберем")
    assert t("bot_pasted_chat", "ky") in reply
    assert "Азамат" in reply


def test_a_voice_message_or_photo_without_text_gets_an_explanation(harness: Harness):
    [reply] = harness.message(photo=True)
    assert html.escape(t("bot_unsupported", "ky"), quote=False) in reply


def test_an_unknown_command_shows_the_welcome(harness: Harness):
    [reply] = harness.message("/what")
    assert html.escape(t("bot_welcome", "ky"), quote=False) in reply


def test_group_chats_are_not_served(harness: Harness):
    assert harness.message(DOXXING_KY, chat=-500, chat_type="group") == []
    assert harness.message("/start", chat=-500, chat_type="supergroup") == []
    assert harness.session.calls == []


# ---- privacy ---------------------------------------------------------------------------------------------
def test_every_answer_says_messages_are_not_stored(harness: Harness):
    """Each answer ends with the note (a long answer split in parts: its last part)."""
    answers = [
        harness.message(text)
        for text in (
            "/start",
            DOXXING_KY,
            THREAT_KY,
            "/help",
            "/forms",
            "/forms доксинг",
            "/selfcheck",
            "/forget",
        )
    ]
    answers.append(harness.press("lang:en"))
    assert any(len(parts) > 1 for parts in answers)
    for parts, lang in zip(answers, ["ky"] * 8 + ["en"], strict=True):
        assert parts[-1].endswith(f"<i>{privacy(lang)}</i>")
        assert all(privacy(lang) not in part for part in parts[:-1])


def test_message_text_never_reaches_the_logs(harness: Harness, caplog: pytest.LogCaptureFixture):
    secret = "Менин мурунку жигитим номеримди каналга жазыптыр: 0700 999 888, Айпери Токтосунова"
    with caplog.at_level(logging.DEBUG):
        harness.message(secret)
        harness.message("Айпери: стоп\nАзамат: 0700 999 888 номериң менде")
    assert caplog.records  # the bot did log (ids and counts)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for piece in ("0700 999 888", "Токтосунова", "номеримди", "Азамат"):
        assert piece not in logged


# ---- /forget -------------------------------------------------------------------------------------------
def test_forget_drops_language_and_selfcheck(harness: Harness, core: BotCore):
    harness.press("lang:en")
    harness.message("/selfcheck")
    [first] = harness.buttons()
    assert core.memory.get(CHAT).selfcheck is not None
    [reply] = harness.message("/forget")
    assert html.escape(t("bot_forgotten", "en"), quote=False) in reply  # said in the language she chose
    assert len(core.memory) == 0
    [help_reply] = harness.message("/help")
    assert f"<b>{t('help', 'ky')}</b>" in help_reply  # the language is gone
    [stale] = harness.press(first[0][1])  # and so is the self-check
    assert html.escape(t("bot_selfcheck_stale", "ky"), quote=False) in stale


# ---- rate limit ----------------------------------------------------------------------------------------
def test_a_flood_gets_one_wait_message_then_silence(harness: Harness, clock: FakeClock):
    for _ in range(20):
        assert len(harness.message("салам")) == 1
    [wait] = harness.message("салам")
    assert html.escape(t("bot_rate_limited", "ky"), quote=False) in wait
    assert harness.message("салам") == []
    assert harness.message("салам", chat=CHAT + 1) != []  # another chat is not limited
    assert len(harness.press("lang:en")) == 1  # buttons have a limit of their own
    clock.now += 61
    assert len(harness.message("салам")) == 1


def test_button_presses_are_limited_too(harness: Harness, clock: FakeClock):
    for _ in range(60):
        assert len(harness.press("form:doxxing")) >= 1
    [wait] = harness.press("form:doxxing")
    assert html.escape(t("bot_rate_limited", "ky"), quote=False) in wait
    before = len(harness.session.of(AnswerCallbackQuery))
    assert harness.press("form:doxxing") == []
    assert len(harness.session.of(AnswerCallbackQuery)) == before + 1  # the spinner still stops
    assert len(harness.message("салам")) == 1  # messages are counted apart


def test_the_rate_limit_is_configurable(fast_analyzer, clock: FakeClock):
    core = BotCore(BotConfig(fast=True, rate_limit=2), analyzer_factory=lambda: fast_analyzer, clock=clock)
    h = Harness(core)
    try:
        assert [len(h.message("/help")) for _ in range(3)] == [1, 1, 1]
        assert html.escape(t("bot_rate_limited", "ky"), quote=False) in h.session.of(SendMessage)[-1].text
    finally:
        h.close()


# ---- long answers and errors ------------------------------------------------------------------------------
def test_a_long_reply_is_sent_in_parts_with_the_buttons_under_the_last(harness: Harness):
    from tumar.interfaces.bot import Button

    reply = Reply("\n\n".join(f"<b>{i}</b> " + "сөз " * 400 for i in range(10)), ((Button("ok", "x:1"),),))
    harness.loop.run_until_complete(send(harness.bot, CHAT, reply))
    sent = harness.session.of(SendMessage)
    assert len(sent) == 5
    assert [m.reply_markup is not None for m in sent] == [False] * 4 + [True]
    assert all(len(m.text) <= 4096 for m in sent)


def test_an_internal_error_gets_a_plain_answer_and_a_log_without_the_text(
    fast_analyzer, clock: FakeClock, caplog: pytest.LogCaptureFixture
):
    def broken():
        raise RuntimeError("the model file is missing")

    h = Harness(BotCore(BotConfig(fast=True), analyzer_factory=broken, clock=clock))
    try:
        with caplog.at_level(logging.DEBUG):
            [reply] = h.message(DOXXING_KY)
        assert html.escape(t("bot_error", "ky"), quote=False) in reply
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "RuntimeError" in logged and "жазыптыр" not in logged
    finally:
        h.close()


def test_startup_sets_the_command_menu_in_every_language(harness: Harness):
    harness.loop.run_until_complete(harness.dispatcher.emit_startup(bot=harness.bot))
    calls = harness.session.of(SetMyCommands)
    assert [c.language_code for c in calls] == [*LANGUAGES, None]
    for call, lang in zip(calls, LANGUAGES, strict=False):
        assert [c.command for c in call.commands] == [name for name, _ in COMMANDS]
        assert call.commands[1].description == t("bot_cmd_forms", lang)


def test_one_dispatcher_per_core_and_html_by_default(harness: Harness, core: BotCore):
    assert create_dispatcher(core) is not harness.dispatcher
    harness.message("/help")
    call = harness.session.of(SendMessage)[-1]
    assert harness.session.prepare_value(call.parse_mode, harness.bot, {}) == "HTML"


def test_the_bots_own_analyzer_keeps_no_message_in_memory(clock: FakeClock):
    core = BotCore(BotConfig(fast=True), clock=clock)  # the analyzer the bot builds for itself
    h = Harness(core)
    try:
        assert len(h.message(DOXXING_KY)) == 1
        assert len(h.message(DOXXING_KY)) == 1
        assert not core.analyzer()._cache  # no cache of repeats: the text is gone with the answer
    finally:
        h.close()
