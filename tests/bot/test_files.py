"""A chat export sent as a file: the summary, the limits, and the temporary copy that must not survive."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from aiogram.methods import GetFile, SendMessage
from aiogram.types import Document

from tests.bot.conftest import CHAT, FakeClock, Harness
from tests.web.conftest import WHATSAPP_KY, telegram_json, zipped
from tumar.chats.model import ChatMessage
from tumar.chats.wording import label
from tumar.errors import ImportFormatError
from tumar.i18n import t
from tumar.interfaces.bot import BotConfig, BotCore
from tumar.interfaces.bot.files import check_export_file, recent_messages, refusal, safe_name


def _doc(file_id: str, name: str, data: bytes, size: int | None = None) -> Document:
    return Document(
        file_id=file_id, file_unique_id=f"u{file_id}", file_name=name, file_size=size or len(data)
    )


def _send_file(h: Harness, name: str, data: bytes, size: int | None = None) -> list[str]:
    file_id = f"f{len(h.session.files)}"
    h.session.files[file_id] = data
    return h.message(document=_doc(file_id, name, data, size))


def test_a_whatsapp_export_gets_a_summary_and_is_deleted(harness: Harness, tmp_path: Path, kb):
    notice, summary = _send_file(harness, "WhatsApp Chat with Азамат.txt", WHATSAPP_KY.encode())
    assert html.escape(t("bot_file_checking", "ky"), quote=False) in notice
    assert summary.startswith("⚠️ <b>")  # it has a death threat: help first
    assert "<b>102</b>" in summary
    assert f"<b>{label('title', 'ky', chat='Азамат')}</b>" in summary
    assert f"<b>{label('abuser', 'ky', name='Азамат')}</b>" in summary
    assert f"<b>{label('forms', 'ky')}</b>" in summary
    assert f"<b>{label('patterns', 'ky')}</b>" in summary
    assert kb.form("sextortion").t("ky").name in summary
    assert "«өлтүрөм сени, угдуңбу»" in summary  # the abusive messages, in order
    assert html.escape(t("bot_chat_keep", "ky"), quote=False) in summary
    assert list(tmp_path.iterdir()) == []  # the download's temporary folder is gone


def test_a_zipped_telegram_export_in_russian(harness: Harness, tmp_path: Path):
    harness.press("lang:ru")
    _, summary = _send_file(harness, "ChatExport_2026-02-03.zip", zipped({"result.json": telegram_json()}))
    assert f"<b>{label('title', 'ru', chat='Ерлан')}</b>" in summary
    assert f"<b>{label('abuser', 'ru', name='Ерлан')}</b>" in summary
    assert list(tmp_path.iterdir()) == []


def test_names_in_an_export_are_escaped(harness: Harness):
    chat = WHATSAPP_KY.replace("Азамат", "<b>Азамат</b> & Co")
    _, summary = _send_file(harness, "WhatsApp Chat.txt", chat.encode())
    assert "&lt;b&gt;Азамат&lt;/b&gt; &amp; Co" in summary
    assert "<b><b>" not in summary


def test_a_file_that_is_not_an_export_is_refused_without_downloading(harness: Harness):
    [reply] = _send_file(harness, "photo.pdf", b"%PDF-1.7")
    assert html.escape(t("bot_file_type", "ky"), quote=False) in reply
    assert harness.session.of(GetFile) == []


def test_a_file_over_the_limit_is_refused_without_downloading(harness: Harness):
    [reply] = _send_file(harness, "result.json", b"{}", size=21 * 1024 * 1024)
    assert html.escape(t("bot_file_too_large", "ky"), quote=False).replace("{mb}", "20") in reply
    assert harness.session.of(GetFile) == []


def test_a_broken_export_names_the_file_not_the_temporary_folder(harness: Harness, tmp_path: Path):
    _, reply = _send_file(harness, "result.json", b'{"name": "X", "messages": [{"id": 1, "type": "mess')
    assert "result.json" in reply
    assert html.escape(t("bot_file_unreadable", "ky"), quote=False).split("{reason}")[0] in reply
    assert str(tmp_path) not in reply and "tumar-bot-" not in reply
    assert list(tmp_path.iterdir()) == []


def test_binary_content_under_a_text_name_is_refused(harness: Harness):
    _, reply = _send_file(harness, "_chat.txt", b"\x00\x01\x02binary")
    assert "binary" in reply


def test_a_zip_that_unpacks_too_far_is_refused(fast_analyzer, clock: FakeClock, tmp_path: Path):
    config = BotConfig(fast=True, temp_dir=tmp_path, max_unpacked_bytes=1000)
    h = Harness(BotCore(config, analyzer_factory=lambda: fast_analyzer, clock=clock))
    try:
        _, reply = _send_file(h, "chat.zip", zipped({"_chat.txt": WHATSAPP_KY.encode() * 20}))
        assert "unpacks to more than" in reply
        assert list(tmp_path.iterdir()) == []
    finally:
        h.close()


def test_a_long_chat_is_checked_on_its_newest_messages(fast_analyzer, clock: FakeClock, tmp_path: Path):
    config = BotConfig(fast=True, temp_dir=tmp_path, max_chat_messages=3)
    h = Harness(BotCore(config, analyzer_factory=lambda: fast_analyzer, clock=clock))
    try:
        _, summary = _send_file(h, "WhatsApp Chat with Азамат.txt", WHATSAPP_KY.encode())
        assert html.escape(t("bot_chat_recent", "ky"), quote=False).replace("{n}", "3") in summary
        assert "«өлтүрөм сени, угдуңбу»" in summary  # the newest message is among them
    finally:
        h.close()


def test_one_file_at_a_time_per_chat(harness: Harness, core: BotCore):
    from tumar.interfaces.bot import ChatRef

    assert core.claim_file(ChatRef(CHAT)) is None  # as if a file were being checked
    [reply] = _send_file(harness, "_chat.txt", WHATSAPP_KY.encode())
    assert html.escape(t("bot_file_busy", "ky"), quote=False) in reply
    core.release_file(ChatRef(CHAT))
    assert len(_send_file(harness, "_chat.txt", WHATSAPP_KY.encode())) == 2
    assert len(harness.session.of(SendMessage)) == 3


def test_the_checks_before_and_after_downloading(tmp_path: Path):
    assert refusal("result.json", 10) is None
    assert refusal("WhatsApp Chat.ZIP", 10) is None
    assert refusal("photo.jpg", 10) == "type"
    assert refusal("result.json", None) == "size"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name(None) == "export"
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    latin1 = tmp_path / "l.txt"
    latin1.write_bytes("Ayperi: café au lait".encode("latin-1"))
    for path, reason in ((empty, "empty"), (latin1, "not UTF-8")):
        with pytest.raises(ImportFormatError, match=reason) as caught:
            check_export_file(path, shown_name=path.name)
        assert path.name in str(caught.value)


def test_recent_messages_keeps_the_newest():
    messages = (ChatMessage(id=str(i), chat="c", date=None, sender="A", text=str(i)) for i in range(10))
    kept, skipped = recent_messages(messages, 4)
    assert [m.text for m in kept] == ["6", "7", "8", "9"] and skipped == 6
