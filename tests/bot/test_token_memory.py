"""The token and the `tumar bot` command; what is kept per chat and the rate limiter on their own."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.bot.conftest import TOKEN, FakeClock
from tumar.errors import InputError
from tumar.interfaces.bot import bot_token
from tumar.interfaces.bot.memory import ChatMemory, ChatRateLimiter, SelfCheckProgress
from tumar.interfaces.cli import cli


def test_the_token_comes_from_the_environment():
    assert bot_token({"TUMAR_BOT_TOKEN": f"  {TOKEN}\n"}) == TOKEN


@pytest.mark.parametrize("environ", [{}, {"TUMAR_BOT_TOKEN": ""}, {"TUMAR_BOT_TOKEN": "   "}])
def test_a_missing_token_is_a_clear_error(environ):
    with pytest.raises(InputError, match=r"TUMAR_BOT_TOKEN is not set: create a bot with @BotFather"):
        bot_token(environ)


def test_a_malformed_token_is_refused_without_showing_it():
    with pytest.raises(InputError, match="does not look like a bot token") as caught:
        bot_token({"TUMAR_BOT_TOKEN": "secret-but-wrong"})
    assert "secret-but-wrong" not in str(caught.value)


def test_tumar_bot_without_a_token_exits_with_the_message():
    result = CliRunner().invoke(cli, ["bot", "--fast"], env={"TUMAR_BOT_TOKEN": None})
    assert result.exit_code == 2
    assert "tumar: error: TUMAR_BOT_TOKEN is not set" in result.output
    assert "Traceback" not in result.output


def test_tumar_bot_help_names_the_token_variable():
    result = CliRunner().invoke(cli, ["bot", "--help"])
    assert result.exit_code == 0 and "TUMAR_BOT_TOKEN" in result.output and "--fast" in result.output


# ---- memory --------------------------------------------------------------------------------------------
def test_memory_keeps_only_what_is_set_and_forgets_on_request():
    memory = ChatMemory()
    assert memory.get(1).language is None and len(memory) == 0  # reading stores nothing
    memory.update(1, language="kk")
    assert memory.get(1).language == "kk"
    memory.forget(1)
    assert memory.get(1).language is None and len(memory) == 0


def test_memory_is_bounded_least_recently_used_first():
    memory = ChatMemory(max_chats=2)
    memory.update(1, language="ky")
    memory.update(2, language="ru")
    memory.get(1)
    memory.update(3, language="en")
    assert [memory.get(c).language for c in (1, 2, 3)] == ["ky", None, "en"]


def test_a_file_in_progress_survives_forget_until_it_ends():
    memory = ChatMemory()
    assert memory.claim_file_slot(1) and not memory.claim_file_slot(1)
    memory.update(1, language="ru")
    memory.forget(1)
    assert memory.get(1).language is None and not memory.claim_file_slot(1)
    memory.release_file_slot(1)
    assert len(memory) == 0 and memory.claim_file_slot(1)


def test_an_abandoned_selfcheck_expires():
    clock = FakeClock()
    memory = ChatMemory(clock=clock, selfcheck_ttl=60)
    memory.update(1, language="ky", selfcheck=SelfCheckProgress(touched=clock.now))
    clock.now += 30
    assert memory.get(1).selfcheck is not None
    clock.now += 31
    state = memory.get(1)
    assert state.selfcheck is None and state.language == "ky"


def test_the_rate_limiter_window_slides():
    clock = FakeClock()
    limiter = ChatRateLimiter(3, 10, clock=clock)
    start = clock.now
    verdicts = []
    for _ in range(5):
        verdicts.append(limiter.hit(1))
        clock.now += 1
    assert verdicts == ["ok", "ok", "ok", "notify", "drop"]
    clock.now = start + 10  # the hit at t=0 has left the window: one more is allowed
    assert limiter.hit(1) == "ok"
    assert limiter.hit(1) == "drop"  # she was told at t=3, within this window
    clock.now = start + 30  # everything has left the window
    assert [limiter.hit(1) for _ in range(5)] == ["ok", "ok", "ok", "notify", "drop"]
    assert limiter.hit(2) == "ok"  # chats are counted apart


def test_the_rate_limiter_refuses_a_nonsense_limit():
    with pytest.raises(ValueError):
        ChatRateLimiter(0, 60)
