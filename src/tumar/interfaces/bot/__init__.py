"""The Telegram bot (aiogram 3): check a message or a chat export, the glossary, the self-check and help.

::

    core.py      every feature as a method: chat in, Reply out (no Telegram types)
    render.py    the answers as Telegram HTML in ky/ru/kk/en, from library results and the knowledge base
    replies.py   Reply and Button, escaping, splitting under Telegram's 4,096-character limit
    memory.py    what is kept per chat, in memory only (language, a self-check in progress), rate limit
    files.py     the checks on a sent chat export
    telegram.py  the aiogram adapter: handlers, sending, downloads, polling

Run it with ``TUMAR_BOT_TOKEN=... tumar bot``. Messages and files are never stored or logged.
"""

from tumar.interfaces.bot.core import BotConfig, BotCore, ChatRef
from tumar.interfaces.bot.replies import Button, Reply, split_html
from tumar.interfaces.bot.telegram import bot_token, create_bot, create_dispatcher, run_polling

__all__ = [
    "BotConfig",
    "BotCore",
    "Button",
    "ChatRef",
    "Reply",
    "bot_token",
    "create_bot",
    "create_dispatcher",
    "run_polling",
    "split_html",
]
