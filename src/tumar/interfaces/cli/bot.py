"""``tumar bot``: the Telegram bot, answering by long polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import click


@click.command()
@click.option("--fast", is_flag=True, help="Lexicon and pattern recognizers only (no embedding model).")
def bot(fast: bool) -> None:
    """Run the Telegram bot: check a typed, forwarded or exported chat, the glossary, the self-check, help.

    The token comes from $TUMAR_BOT_TOKEN (create a bot with @BotFather). Messages and files are never stored
    or logged; each chat's language and a self-check in progress are kept in memory only (/forget drops
    them). Stop with Ctrl+C.
    """
    from tumar.interfaces.bot import BotConfig, bot_token, run_polling

    token = bot_token()  # missing or malformed: a clear error before anything loads
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo("Tumar bot: loading the analyzer, then polling Telegram (Ctrl+C to stop)", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_polling(token, config=BotConfig(fast=fast)))
