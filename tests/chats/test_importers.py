"""open_export: which importer reads which path; unsupported input; the public API; bounded memory."""

from __future__ import annotations

import json
import random
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import tumar.chats.importers as importers
from tests.chats.conftest import FIXTURES
from tumar.chats.importers import PlainTextExport, TelegramExport, WhatsAppExport, open_export
from tumar.chats.model import ChatExport
from tumar.errors import ImportFormatError, InputError


def test_public_api():
    assert sorted(importers.__all__) == [
        "PlainTextExport",
        "TelegramExport",
        "WhatsAppExport",
        "open_export",
        "parse_pasted",
    ]
    for name in importers.__all__:
        assert hasattr(importers, name)


def _zip(tmp: Path, name: str, members: dict[str, Path | bytes]) -> Path:
    target = tmp / name
    with zipfile.ZipFile(target, "w") as archive:
        for member, content in members.items():
            if isinstance(content, Path):
                archive.write(content, member)
            else:
                archive.writestr(member, content)
    return target


def _layout(tmp: Path, case: str) -> Path:
    """Build the input a user might give; return the path to open."""
    tg = FIXTURES / "telegram_single"
    wa = FIXTURES / "whatsapp_android_ru" / "Чат WhatsApp с Тимур.txt"
    if case == "result.json":
        return tg / "result.json"
    if case == "telegram folder":
        return tg
    if case == "folder above the export folder":
        shutil.copytree(tg, tmp / "Downloads" / "ChatExport_2026-01-03")
        return tmp / "Downloads"
    if case == "telegram zip":
        return _zip(tmp, "ChatExport.zip", {"ChatExport_2026-01-03/result.json": tg / "result.json"})
    if case == "json with another name":
        shutil.copy(tg / "result.json", tmp / "export")
        return tmp / "export"
    if case == "whatsapp txt":
        return wa
    if case == "whatsapp txt renamed":
        shutil.copy(wa, tmp / "chat.txt")
        return tmp / "chat.txt"
    if case == "whatsapp folder":
        return wa.parent
    if case == "whatsapp zip":
        return _zip(tmp, "WhatsApp Chat with Тимур.zip", {"Чат WhatsApp с Тимур.txt": wa})
    if case == "whatsapp file with zip-like other extension":
        return _zip(tmp, "backup.dat", {"_chat.txt": wa})
    if case == "plain text":
        (tmp / "notes.txt").write_text("Он опять написал мне ночью.\n", encoding="utf-8")
        return tmp / "notes.txt"
    raise AssertionError(case)


DETECTION = [
    ("result.json", TelegramExport, "Бекзат"),
    ("telegram folder", TelegramExport, "Бекзат"),
    ("folder above the export folder", TelegramExport, "Бекзат"),
    ("telegram zip", TelegramExport, "Бекзат"),
    ("json with another name", TelegramExport, "Бекзат"),
    ("whatsapp txt", WhatsAppExport, "Тимур"),
    ("whatsapp txt renamed", WhatsAppExport, "chat"),
    ("whatsapp folder", WhatsAppExport, "Тимур"),
    ("whatsapp zip", WhatsAppExport, "Тимур"),
    ("whatsapp file with zip-like other extension", WhatsAppExport, "backup"),
    ("plain text", PlainTextExport, "notes"),
]


@pytest.mark.parametrize(("case", "kind", "chat"), DETECTION, ids=[d[0] for d in DETECTION])
def test_detection(tmp_path, case, kind, chat):
    path = _layout(tmp_path, case)
    with open_export(str(path)) as export:
        assert isinstance(export, kind)
        assert ChatExport in type(export).__mro__
        assert export.source == str(path)
        messages = list(export.messages())
    assert messages and messages[0].chat == chat


def _bad(tmp: Path, case: str) -> Path:
    if case == "missing":
        return tmp / "nothing.json"
    if case == "pdf":
        path = tmp / "report.pdf"
        path.write_bytes(b"%PDF-1.7\n\x00\x01binary")
        return path
    if case == "png":
        path = tmp / "screen.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        return path
    if case == "telegram html":
        path = tmp / "messages.html"
        path.write_text("<!DOCTYPE html><html><body>...</body></html>", encoding="utf-8")
        return path
    if case == "empty folder":
        (tmp / "empty").mkdir()
        return tmp / "empty"
    if case == "two whatsapp chats":
        folder = tmp / "two"
        folder.mkdir()
        for name in ("WhatsApp Chat with A.txt", "WhatsApp Chat with B.txt"):
            (folder / name).write_text("31.12.2025, 21:41 - A: x\n", encoding="utf-8")
        return folder
    if case == "two telegram exports":
        for name in ("ChatExport_1", "ChatExport_2"):
            shutil.copytree(FIXTURES / "telegram_single", tmp / "dl" / name)
        return tmp / "dl"
    if case == "corrupt zip":
        path = tmp / "export.zip"
        path.write_bytes(b"PK\x05\x06" + b"\x00" * 10)
        return path
    raise AssertionError(case)


BAD_INPUT = [
    ("missing", "no such file or folder"),
    ("pdf", "unsupported file type .pdf"),
    ("png", "unsupported file type .png"),
    ("telegram html", "Machine-readable JSON"),
    ("empty folder", "no Telegram result.json and no WhatsApp chat"),
    ("two whatsapp chats", "several WhatsApp chats in this folder"),
    ("two telegram exports", "several Telegram exports in this folder"),
    ("corrupt zip", "not a readable zip archive"),
]


@pytest.mark.parametrize(("case", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_unsupported_input_names_the_file(tmp_path, case, message):
    path = _bad(tmp_path, case)
    with pytest.raises(ImportFormatError) as caught:
        open_export(path)
    assert isinstance(caught.value, InputError)
    assert caught.value.source == str(path)
    assert message in str(caught.value)


# -- memory stays bounded --------------------------------------------------------------------------------------


def _write_big_account_export(path: Path, target_bytes: int) -> int:
    """A full-account export of about ``target_bytes``: a large contact list, then long messages in 3 chats."""
    rng = random.Random(3)
    words = "салам сен кайдасың мен сени көрдүм почему молчишь суретің каналда жүр answer me".split()
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"about": "x", "personal_information": {"first_name": "Айпери"},\n"contacts": {"list": [')
        out.write(
            ",".join(
                json.dumps({"first_name": f"Контакт {i}", "phone_number": f"+996 700 {i:06d}"})
                for i in range(40_000)
            )
        )
        out.write(']},\n"chats": {"list": [')
        per_chat = target_bytes // 3
        for chat in range(3):
            out.write("," if chat else "")
            out.write(json.dumps({"name": f"Чат {chat}", "type": "personal_chat", "id": chat + 1})[:-1])
            out.write(', "messages": [')
            start = out.tell()
            first = True
            while out.tell() - start < per_chat:
                count += 1
                text = " ".join(rng.choice(words) for _ in range(rng.randint(100, 700)))
                message = {
                    "id": count,
                    "type": "message",
                    "date": "2026-01-02T10:41:05",
                    "from": "Бекзат",
                    "from_id": "user1",
                    "text": [text, {"type": "bold", "text": "ответь"}],
                }
                out.write(("" if first else ",") + json.dumps(message, ensure_ascii=False))
                first = False
            out.write("]}")
        out.write("]}}\n")
    return count


def test_memory_stays_bounded_on_a_large_export(tmp_path):
    folder = tmp_path / "DataExport"
    folder.mkdir()
    path = folder / "result.json"
    expected = _write_big_account_export(path, target_bytes=24_000_000)
    size = path.stat().st_size
    assert size > 24_000_000
    tracemalloc.start()
    try:
        count = 0
        longest = 0
        with open_export(folder) as export:
            for message in export.messages():
                count += 1
                longest = max(longest, len(message.text))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == expected
    assert longest > 3000
    assert peak < size / 20, f"peak {peak} bytes for a {size}-byte file"
