"""The aiogram 3 adapter: Telegram updates in, :class:`~.core.BotCore` calls, API calls out.

aiogram's types stay in this module. Handlers only read what the core needs from an update (chat id, the
user's language, the text, a document's name and size), call the core — in a worker thread when it
analyses — and send its :class:`~.replies.Reply` as HTML messages under Telegram's length limit, the buttons
under the last one. Only private chats are served (in a group the bot would read everyone's messages).

A sent chat export is downloaded into a temporary folder that is deleted as soon as the answer is ready.
Nothing is logged about a message but update ids and counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import traceback
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ChatAction, ChatType, ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
)
from aiogram.utils.token import TokenValidationError, validate_token

from tumar.errors import InputError
from tumar.interfaces.bot.core import BotConfig, BotCore, ChatRef
from tumar.interfaces.bot.files import safe_name
from tumar.interfaces.bot.replies import Reply
from tumar.languages import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["TOKEN_VARIABLE", "bot_token", "create_bot", "create_dispatcher", "run_polling", "send"]

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "TUMAR_BOT_TOKEN"
_CONCURRENT_UPDATES = 32  # updates handled at once while polling


def bot_token(environ: Mapping[str, str] | None = None) -> str:
    """The bot's token from ``$TUMAR_BOT_TOKEN``; :class:`InputError` saying how to get one when it is
    missing or malformed (the token itself is never shown)."""
    token = (os.environ if environ is None else environ).get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise InputError(
            f"{TOKEN_VARIABLE} is not set: create a bot with @BotFather in Telegram, then run "
            f"`{TOKEN_VARIABLE}=<the token it gives> tumar bot`"
        )
    try:
        validate_token(token)
    except TokenValidationError:
        raise InputError(
            f"{TOKEN_VARIABLE} does not look like a bot token (digits, a colon, then letters and digits, "
            "as @BotFather gives it)"
        ) from None
    return token


def create_bot(token: str, *, session: BaseSession | None = None) -> Bot:
    """A Bot that sends HTML without link previews."""
    return Bot(
        token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


# ---- sending ---------------------------------------------------------------------------------------------
def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [[InlineKeyboardButton(text=b.text, callback_data=b.data) for b in row] for row in reply.buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def send(bot: Bot, chat_id: int, reply: Reply) -> None:
    """``reply`` as one or more messages, each under Telegram's limit; the buttons go under the last."""
    parts = reply.parts()
    for i, part in enumerate(parts):
        markup = _markup(reply) if i == len(parts) - 1 else None
        await bot.send_message(chat_id, part, reply_markup=markup)


def _chat(event: TelegramObject) -> ChatRef | None:
    if isinstance(event, Message):
        user = event.from_user
        return ChatRef(event.chat.id, user.language_code if user else None)
    if isinstance(event, CallbackQuery) and event.message is not None:
        return ChatRef(event.message.chat.id, event.from_user.language_code)
    return None


def _update_chat(update: Update) -> ChatRef | None:
    event = update.message or update.callback_query
    return _chat(event) if event is not None else None


class _RateLimit(BaseMiddleware):
    """Per-chat rate limit before any handler: over the limit, one "please wait" and then silence."""

    def __init__(self, core: BotCore) -> None:
        self.core = core

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = _chat(event)
        if chat is None:
            return None
        verdict = self.core.rate(chat, button=isinstance(event, CallbackQuery))
        if verdict == "ok":
            return await handler(event, data)
        bot: Bot = data["bot"]
        if isinstance(event, CallbackQuery):
            await bot.answer_callback_query(event.id)
        if verdict == "notify":
            await send(bot, chat.id, self.core.rate_limited(chat))
        return None


# ---- handlers --------------------------------------------------------------------------------------------
def _router(core: BotCore) -> Router:
    router = Router(name="tumar")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.message.middleware(_RateLimit(core))
    router.callback_query.middleware(_RateLimit(core))

    def chat_of(event: Message | CallbackQuery) -> ChatRef:
        chat = _chat(event)
        assert chat is not None  # the filters above let only events with a chat through
        return chat

    @router.message(CommandStart())
    async def start(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.start(chat_of(message)))

    @router.message(Command("language"))
    async def language(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.language_menu(chat_of(message)))

    @router.message(Command("help"))
    async def help_services(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.help(chat_of(message)))

    @router.message(Command("forms", "glossary"))
    async def forms(message: Message, bot: Bot, command: CommandObject) -> None:
        await send(bot, message.chat.id, core.forms(chat_of(message), command.args))

    @router.message(Command("selfcheck"))
    async def selfcheck(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.selfcheck_start(chat_of(message)))

    @router.message(Command("forget"))
    async def forget(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.forget(chat_of(message)))

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        await _check_document(core, bot, chat_of(message), message)

    @router.message(F.text.startswith("/"))
    async def unknown_command(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.start(chat_of(message)))

    @router.message(F.text | F.caption)
    async def text(message: Message, bot: Bot) -> None:
        chat = chat_of(message)
        await bot.send_chat_action(chat.id, ChatAction.TYPING)
        reply = await asyncio.to_thread(core.check_text, chat, message.text or message.caption or "")
        await send(bot, chat.id, reply)

    @router.message()
    async def anything_else(message: Message, bot: Bot) -> None:
        await send(bot, message.chat.id, core.unsupported(chat_of(message)))

    @router.callback_query(F.data.startswith("lang:"))
    async def choose_language(callback: CallbackQuery, bot: Bot) -> None:
        await bot.answer_callback_query(callback.id)
        chat = chat_of(callback)
        await send(bot, chat.id, core.choose_language(chat, (callback.data or "").partition(":")[2]))

    @router.callback_query(F.data.startswith("form:"))
    async def show_form(callback: CallbackQuery, bot: Bot) -> None:
        await bot.answer_callback_query(callback.id)
        chat = chat_of(callback)
        await send(bot, chat.id, core.form(chat, (callback.data or "").partition(":")[2]))

    @router.callback_query(F.data.startswith("sc:"))
    async def selfcheck_answer(callback: CallbackQuery, bot: Bot) -> None:
        await bot.answer_callback_query(callback.id)
        chat = chat_of(callback)
        fields = (callback.data or "").split(":")  # sc:<question id>:<1 or 0>
        question_id = fields[1] if len(fields) > 1 else ""
        yes = len(fields) > 2 and fields[2] == "1"
        # The question's buttons are spent: take them away (a message too old to edit keeps them).
        if callback.message is not None:
            with contextlib.suppress(TelegramBadRequest):
                await bot.edit_message_reply_markup(
                    chat_id=chat.id, message_id=callback.message.message_id, reply_markup=None
                )
        await send(bot, chat.id, core.selfcheck_answer(chat, question_id, yes))

    @router.callback_query()
    async def unknown_button(callback: CallbackQuery, bot: Bot) -> None:
        await bot.answer_callback_query(callback.id)

    return router


async def _check_document(core: BotCore, bot: Bot, chat: ChatRef, message: Message) -> None:
    document = message.document
    assert document is not None
    refused = core.file_refusal(chat, document.file_name, document.file_size)
    if refused is not None:
        await send(bot, chat.id, refused)
        return
    busy = core.claim_file(chat)
    if busy is not None:
        await send(bot, chat.id, busy)
        return
    try:
        await send(bot, chat.id, core.file_notice(chat))
        await bot.send_chat_action(chat.id, ChatAction.TYPING)
        shown = safe_name(document.file_name)
        temp_root = str(core.config.temp_dir) if core.config.temp_dir else None
        with TemporaryDirectory(prefix="tumar-bot-", dir=temp_root) as folder:
            path = Path(folder) / shown
            try:
                await bot.download(document, destination=path)
            except TelegramAPIError:
                reply = core.file_failed(chat)
            else:
                reply = await asyncio.to_thread(core.check_file, chat, path, shown)
    finally:
        core.release_file(chat)
    await send(bot, chat.id, reply)


# ---- assembling and running ------------------------------------------------------------------------------
def create_dispatcher(core: BotCore) -> Dispatcher:
    """A Dispatcher with the bot's handlers, its rate limit and an error handler that answers the user with a
    plain message and logs only the update id, the error's type and where it happened."""
    dispatcher = Dispatcher()
    dispatcher.include_router(_router(core))

    @dispatcher.errors()
    async def on_error(event: ErrorEvent, bot: Bot) -> bool:
        error = event.exception
        where = "".join(traceback.format_tb(error.__traceback__))
        log.error("update %s failed with %s\n%s", event.update.update_id, type(error).__name__, where)
        chat = _update_chat(event.update)
        if chat is not None:
            try:
                await send(bot, chat.id, core.error(chat))
            except TelegramAPIError:
                log.error("update %s: could not send the error message", event.update.update_id)
        return True

    @dispatcher.startup()
    async def set_commands(bot: Bot) -> None:
        for lang in LANGUAGES:
            commands = [BotCommand(command=c, description=d) for c, d in core.commands(lang)]
            await bot.set_my_commands(commands, language_code=lang)
        default = [BotCommand(command=c, description=d) for c, d in core.commands(DEFAULT_LANGUAGE)]
        await bot.set_my_commands(default)

    return dispatcher


async def run_polling(token: str, *, config: BotConfig | None = None, core: BotCore | None = None) -> None:
    """Load the analyzer, then answer updates by long polling until interrupted (Ctrl+C)."""
    core = core or BotCore(config)
    bot = create_bot(token)
    await asyncio.to_thread(core.analyzer)
    dispatcher = create_dispatcher(core)
    await dispatcher.start_polling(
        bot, allowed_updates=["message", "callback_query"], tasks_concurrency_limit=_CONCURRENT_UPDATES
    )
