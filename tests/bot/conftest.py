"""Drive the bot's real Dispatcher offline: fake updates in, a recording session instead of Telegram.

:class:`RecordingSession` is an aiogram ``BaseSession`` that records every API call and answers it the way
Telegram would (a sent message comes back as a Message, a file is served from memory), so nothing leaves
the machine. :class:`Harness` builds updates (messages, forwarded messages, documents, button presses) and
returns the texts the bot sent in answer.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    GetFile,
    SendChatAction,
    SendMessage,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Document,
    File,
    Message,
    MessageOriginChannel,
    PhotoSize,
    Update,
    User,
)

from tumar.analysis.analyzer import Analyzer
from tumar.interfaces.bot import BotConfig, BotCore, create_bot, create_dispatcher
from tumar.interfaces.bot.replies import MAX_MESSAGE, telegram_length

TOKEN = "42:TEST-token-for-offline-tests"
CHAT = 1001
_ALLOWED_TAGS = {"b", "i", "code"}


class RecordingSession(BaseSession):
    """Records every Bot API call; answers like Telegram; serves downloads from ``files`` (file id → bytes)."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.files = files if files is not None else {}
        self._next_id = 5000

    async def close(self) -> None:
        pass

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.calls.append(method)
        if isinstance(method, SendMessage):
            self._next_id += 1
            return Message(
                message_id=self._next_id,
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id), type="private"),
                text=method.text,
            )
        if isinstance(method, GetFile):
            return File(
                file_id=method.file_id,
                file_unique_id=f"u-{method.file_id}",
                file_size=len(self.files.get(method.file_id, b"")),
                file_path=f"documents/{method.file_id}",
            )
        if isinstance(method, AnswerCallbackQuery | EditMessageReplyMarkup | SendChatAction | SetMyCommands):
            return True
        raise AssertionError(f"the bot called an API method the tests do not expect: {type(method).__name__}")

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        data = self.files[url.rsplit("/", 1)[-1]]
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    def of(self, kind: type[TelegramMethod[Any]]) -> list[Any]:
        return [c for c in self.calls if isinstance(c, kind)]


def assert_telegram_html(text: str) -> None:
    """What Telegram's HTML parse mode accepts from this bot: known tags, balanced, and every other ``<``,
    ``>`` and ``&`` escaped; and the length limit."""
    assert telegram_length(text) <= MAX_MESSAGE
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-z]+)>|[<>]|&(?!(?:amp|lt|gt|quot);)", text):
        if not match.group(2):
            raise AssertionError(f"unescaped {match.group(0)!r} at {match.start()} in {text[:200]!r}")
        name = match.group(2)
        assert name in _ALLOWED_TAGS, name
        if match.group(1):
            assert stack and stack.pop() == name, f"unbalanced </{name}> in {text[:200]!r}"
        else:
            stack.append(name)
    assert not stack, f"unclosed {stack} in {text[:200]!r}"


class Harness:
    """One bot and dispatcher on a private event loop; every ``message``/``press`` returns what was sent."""

    def __init__(self, core: BotCore, files: dict[str, bytes] | None = None) -> None:
        self.core = core
        self.session = RecordingSession(files)
        self.bot = create_bot(TOKEN, session=self.session)
        self.dispatcher = create_dispatcher(core)
        self.loop = asyncio.new_event_loop()
        self._update_id = 0
        self._message_id = 0

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()

    def feed(self, update: Update) -> list[SendMessage]:
        before = len(self.session.calls)
        self.loop.run_until_complete(self.dispatcher.feed_update(self.bot, update))
        sent = [c for c in self.session.calls[before:] if isinstance(c, SendMessage)]
        for call in sent:
            assert_telegram_html(call.text)
        return sent

    def _ids(self) -> tuple[int, int]:
        self._update_id += 1
        self._message_id += 1
        return self._update_id, self._message_id

    def user(self, lang: str | None) -> User:
        return User(id=7, is_bot=False, first_name="Айпери", language_code=lang)

    def message(
        self,
        text: str | None = None,
        *,
        chat: int = CHAT,
        lang: str | None = None,
        chat_type: str = "private",
        document: Document | None = None,
        caption: str | None = None,
        photo: bool = False,
        forwarded: bool = False,
    ) -> list[str]:
        update_id, message_id = self._ids()
        origin = None
        if forwarded:
            channel = Chat(id=-100123, type="channel", title="Нарын сплетни")
            origin = MessageOriginChannel(date=datetime(2026, 3, 1, tzinfo=UTC), chat=channel, message_id=77)
        message = Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=chat, type=chat_type),
            from_user=self.user(lang),
            text=text,
            caption=caption,
            document=document,
            photo=[PhotoSize(file_id="p1", file_unique_id="pu1", width=10, height=10)] if photo else None,
            forward_origin=origin,
        )
        return [c.text for c in self.feed(Update(update_id=update_id, message=message))]

    def press(
        self, data: str, *, chat: int = CHAT, lang: str | None = None, message_id: int = 1
    ) -> list[str]:
        update_id, _ = self._ids()
        shown = Message(message_id=message_id, date=datetime.now(UTC), chat=Chat(id=chat, type="private"))
        callback = CallbackQuery(
            id=f"cb{update_id}", from_user=self.user(lang), chat_instance="ci", data=data, message=shown
        )
        return [c.text for c in self.feed(Update(update_id=update_id, callback_query=callback))]

    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard of the last message sent (label, callback data)."""
        markup = self.session.of(SendMessage)[-1].reply_markup
        if markup is None:
            return []
        return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def fast_analyzer() -> Analyzer:
    return Analyzer(fast=True)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def core(fast_analyzer: Analyzer, clock: FakeClock, tmp_path: Path) -> BotCore:
    config = BotConfig(fast=True, temp_dir=tmp_path)
    return BotCore(config, analyzer_factory=lambda: fast_analyzer, clock=clock)


@pytest.fixture
def harness(core: BotCore) -> Iterator[Harness]:
    h = Harness(core)
    yield h
    h.close()
