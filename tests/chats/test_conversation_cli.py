"""``tumar chat analyze`` as a user runs it, on a WhatsApp export: summary, JSON, errors, the real model."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tumar.interfaces.cli import cli

# A fictional chat: controlling questions, a break-up ("мага жазба"), then he keeps writing, insults,
# threatens to share photos and to kill. Kyrgyz and Russian mixed, typed without the special letters.
CHAT = """\
02.03.2025, 19:05 - Нурлан: салам, кандайсың?
02.03.2025, 19:07 - Айгерим: салам, жакшы. сенчи
02.03.2025, 19:08 - Нурлан: нормально. эртең кинога барабызбы
02.03.2025, 19:15 - Айгерим: билбейм, эртең сабагым көп
05.03.2025, 20:40 - Нурлан: ты где?
05.03.2025, 20:41 - Нурлан: кайдасың азыр
05.03.2025, 20:55 - Нурлан: почему не отвечаешь, ты где??
05.03.2025, 21:02 - Айгерим: курбум менен кафедемин
05.03.2025, 21:03 - Нурлан: скинь геолокацию
05.03.2025, 21:04 - Нурлан: и покажи переписку с ней, я проверю
06.03.2025, 10:12 - Нурлан: пароль от инсты скинь, мне скрывать нечего и тебе тоже
06.03.2025, 10:30 - Айгерим: жок. мен сага паролумду бербейм
06.03.2025, 10:31 - Нурлан: значит что-то скрываешь
08.03.2025, 22:15 - Айгерим: Нурлан, биз буттук. мага жазба, тынч кой
08.03.2025, 22:16 - Нурлан: что?? ты серьезно
08.03.2025, 22:16 - Нурлан: ответь
08.03.2025, 22:17 - Нурлан: айгерим
08.03.2025, 23:40 - Нурлан: ты шлюха, все знают какая ты, сразу к другому побежала, я всем расскажу что ты сделала
08.03.2025, 23:41 - Нурлан: жооп бер
08.03.2025, 23:41 - Нурлан: жооп берчи
08.03.2025, 23:42 - Нурлан: ответь мне сейчас же
08.03.2025, 23:42 - Нурлан: я все равно узнаю где ты
08.03.2025, 23:43 - Нурлан: алло
08.03.2025, 23:43 - Нурлан: ??
08.03.2025, 23:44 - Нурлан: кайдасың
08.03.2025, 23:44 - Нурлан: ты пожалеешь
09.03.2025, 01:10 - Айгерим: жазба мага деп айттым го
09.03.2025, 01:12 - Нурлан: если не ответишь, твои фотки увидят все
10.03.2025, 02:30 - Нурлан: сени табам, өлтүрөм
10.03.2025, 02:31 - Нурлан: мен сени таштабайм
"""

COUPLE = """\
12.03.2025, 19:05 - Бакыт: салам, эртең киного барабызбы?
12.03.2025, 19:07 - Айгуль: ооба, саат канчада?
12.03.2025, 19:08 - Бакыт: 7де
12.03.2025, 22:10 - Айгуль: stop it 😂
12.03.2025, 22:11 - Бакыт: ок, жакшы түн
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "WhatsApp Chat with Нурлан.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


def test_readable_summary(export):
    result = run("chat", "analyze", str(export), "--fast", "--explain-lang", "ru", "--owner", "Айгерим")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Анализ переписки: ")
    assert "30 сообщений, проверено 30; с 02.03.2025 в 19:05 по 10.03.2025 в 02:31" in out
    assert "Вероятный агрессор: Нурлан" in out
    assert "СРОЧНО" in out
    assert (
        "После просьбы «мага жазба» 08.03 в 22:15 (всего просьб прекратить: 2) Нурлан написал(а) ещё 15"
        in out
    )
    assert "● Онлайн-харассмент (Нурлан): 15 сообщений после просьбы прекратить" in out
    assert "Нурлан 6 раз требовал(а) сказать, где ты" in out
    # the timeline: date, sender, forms, text shortened
    line = next(x for x in out.splitlines() if x.startswith("08.03 в 23:40"))
    assert "Нурлан" in line and "Слатшейминг" in line
    assert line.endswith("…»") and "я всем расскажу что ты сделала" not in line
    assert "Куда обратиться за помощью:" in out


def test_json_output(export):
    result = run("chat", "analyze", str(export), "--fast", "--json", "--owner", "Айгерим", "--lang", "ru")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["forms", "urgent", "abuser", "patterns", "messages"]
    assert data["abuser"] == "Нурлан" and data["urgent"] is True
    assert len(data["messages"]) == 30
    assert data["messages"][0] == {
        "id": "L1",
        "date": "2025-03-02T19:05:00",
        "from": "Нурлан",
        "text": "салам, кандайсың?",
        "findings": [],
    }
    after = next(p for p in data["patterns"] if p["kind"] == "contact_after_refusal")
    assert after["sender"] == "Нурлан" and after["count"] == 15
    assert after["first"] == "2025-03-08T22:15:00" and after["last"] == "2025-03-10T02:31:00"
    assert after["description"].startswith("«мага жазба» деп 08.03, саат 22:15")  # default: Kyrgyz


def test_nothing_found(tmp_path):
    path = tmp_path / "_chat.txt"
    path.write_text(COUPLE, encoding="utf-8")
    result = run("chat", "analyze", str(path), "--fast", "--explain-lang", "en")
    assert result.exit_code == 0, result.output
    assert "No abusive or threatening messages were found." in result.output
    assert "Likely abuser" not in result.output and "Where to get help" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "no such file"),
        (["{export}", "--lang", "de"], "unsupported language 'de'"),
        (["{export}", "--explain-lang", "fr"], "unsupported language 'fr'"),
        (
            ["{export}", "--owner", "Бакыт"],
            "owner 'Бакыт' wrote no message in this chat (senders: Нурлан, Айгерим)",
        ),
        (["{html}"], "HTML export"),
    ],
)
def test_errors_are_messages_with_exit_code_2(tmp_path, export, args, message):
    html = tmp_path / "messages.html"
    html.write_text("<html><body>chat</body></html>", encoding="utf-8")
    argv = [a.format(export=export, html=html) for a in args]
    if argv[0] == "missing.txt":
        argv[0] = str(tmp_path / "missing.txt")
    result = run("chat", "analyze", *argv, "--fast")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["chat"], ["chat", "analyze"]])
def test_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_real_model_on_a_realistic_chat(export):
    """The packaged model and embedder, end to end (slower: loads the embedding model)."""
    result = run("chat", "analyze", str(export), "--json", "--owner", "Айгерим", "--explain-lang", "en")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["abuser"] == "Нурлан" and data["urgent"] is True
    forms = {(f["form"], f["sender"]) for f in data["forms"]}
    assert {("online_harassment", "Нурлан"), ("cyberstalking", "Нурлан")} <= forms
    assert all(sender != "Айгерим" for _, sender in forms)
    flagged = {m["id"] for m in data["messages"] if m["findings"]}
    assert "L1" not in flagged and "L2" not in flagged  # greetings stay clean
    assert {"L18", "L28"} <= flagged  # the insult, the threat to share photos
    threats = next(p for p in data["patterns"] if p["kind"] == "threats")
    assert "L29" in threats["message_ids"]  # "сени табам, өлтүрөм"
    assert all(f["explanation"] for m in data["messages"] for f in m["findings"])
