"""Chat exports into the locker: originals, media and messages in one transaction; nothing half-imported."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from tumar.analysis.analyzer import Analyzer
from tumar.errors import ImportFormatError
from tumar.evidence.bundle import export_bundle, verify_bundle
from tumar.evidence.ingest import add_path, add_text
from tumar.evidence.report import build_report_data
from tumar.evidence.store import EvidenceStore

FIXTURES = Path(__file__).resolve().parents[1] / "chats" / "fixtures"


@pytest.fixture(scope="module")
def fast() -> Analyzer:
    return Analyzer(fast=True)


def test_a_telegram_export_folder_is_stored_with_its_media_and_messages(
    store: EvidenceStore, fast: Analyzer
) -> None:
    case = store.create_case("Telegram", actor="c")
    items = add_path(
        store, case.id, FIXTURES / "telegram_single", actor="c", analyzer=fast, explain_lang="ru"
    )
    chat, *media = items
    assert chat.kind == "chat" and chat.name == "telegram_single/result.json"
    assert chat.sha256 == hashlib.sha256((FIXTURES / "telegram_single/result.json").read_bytes()).hexdigest()
    photo = FIXTURES / "telegram_single/photos/photo_1@02-01-2026_21-22-10.jpg"
    assert [(m.kind, m.parent_id, m.sha256) for m in media] == [
        ("media", chat.id, hashlib.sha256(photo.read_bytes()).hexdigest())
    ]
    stored = list(store.messages(chat.id))
    assert len(stored) == chat.messages == chat.summary["message_count"] > 5
    assert stored[0].data["chat"] and stored[0].data["date"]
    assert chat.summary["platform"] == "telegram" and "analysis" in chat.summary
    actions = [e.action for e in store.custody(case.id)]
    assert actions == ["case_created", "item_added", "item_added", "chat_imported"]
    assert store.verify(case.id)


@pytest.mark.parametrize(
    "name",
    ["whatsapp_android_ru", "whatsapp_android_en", "whatsapp_ios_kk", "whatsapp_ky", "telegram_account"],
)
def test_every_fixture_export_imports_and_verifies(store: EvidenceStore, fast: Analyzer, name: str) -> None:
    case = store.create_case(name, actor="c")
    chat = add_path(store, case.id, FIXTURES / name, actor="c", analyzer=fast)[0]
    assert chat.kind == "chat" and chat.messages > 0
    assert store.verify(case.id)


def test_a_whatsapp_zip_is_one_chat_item_plus_its_media(
    store: EvidenceStore, tmp_path: Path, fast: Analyzer
) -> None:
    folder = FIXTURES / "whatsapp_android_ru"
    archive = tmp_path / "WhatsApp Chat - Тимур.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f.name)
    case = store.create_case("zip", actor="c")
    chat, *media = add_path(store, case.id, archive, actor="c", analyzer=fast)
    assert chat.name == archive.name and chat.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert [m.name for m in media] == ["IMG-20251231-WA0003.jpg"]


@pytest.mark.parametrize("broken", ["truncated_result.json", "missing_date_result.json"])
def test_a_malformed_export_leaves_the_case_as_it_was(
    store: EvidenceStore, tmp_path: Path, fast: Analyzer, broken: str
) -> None:
    case = store.create_case("c", actor="c")
    add_text(store, case.id, "first piece of evidence", actor="c")
    before_items, before_log = store.items(case.id), store.custody(case.id)
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(FIXTURES / "corrupt" / broken, folder / "result.json")
    with pytest.raises(ImportFormatError, match=r"result\.json"):
        add_path(store, case.id, folder, actor="c", analyzer=fast)
    assert store.items(case.id) == before_items
    assert store.custody(case.id) == before_log
    assert store.verify(case.id)


def test_report_and_bundle_from_an_imported_chat(
    sqlite_store: EvidenceStore, tmp_path: Path, fast: Analyzer
) -> None:
    store = sqlite_store
    case = store.create_case("Айгерим", actor="c")
    chat = add_path(store, case.id, FIXTURES / "telegram_single", actor="c", analyzer=fast)[0]
    data = build_report_data(store, case.id, "kk")
    assert data.message_count == chat.messages and data.custody_verified
    assert {e.item_id for e in data.evidence} == {i.id for i in store.items(case.id)}
    if data.messages:
        assert all(m.findings for m in data.messages)
        assert data.forms
    bundle = export_bundle(store, case.id, tmp_path / "b.zip", actor="c", report_html="<p>x</p>")
    with zipfile.ZipFile(bundle) as zf:
        lines = zf.read(f"messages/{chat.id}.jsonl").decode().splitlines()
    assert len(lines) == chat.messages
    assert verify_bundle(bundle).items == len(store.items(case.id))
