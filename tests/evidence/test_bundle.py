"""A bundle checks itself offline and fails loudly, naming the item, when a single byte changes."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tumar.errors import InputError, IntegrityError
from tumar.evidence.bundle import export_bundle, key_fingerprint, verify_bundle
from tumar.evidence.store import EvidenceStore

SCREENSHOT = bytes(range(256)) * 40


@pytest.fixture
def bundle(sqlite_store: EvidenceStore, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    store = sqlite_store
    case = store.create_case("Гүлнур — шантаж сүрөттөр менен", actor="counsellor1")
    shot = store.add_bytes(
        case.id, SCREENSHOT, name="screenshot 2026-03-12.png", actor="counsellor1", kind="screenshot"
    )
    note = store.add_note(case.id, "Ал 12-мартта акча талап кылды", actor="counsellor1")
    path = export_bundle(store, case.id, tmp_path / "case.zip", actor="lawyer", report_html="<h1>Отчёт</h1>")
    return path, {"case": case.id, "shot": shot.id, "note": note.id}


def _rewrite(
    path: Path, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes] | None = None
) -> None:
    """Rewrite the zip with ``change(name, data)`` applied (None drops the file)."""
    with zipfile.ZipFile(path) as zf:
        contents = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in contents.items():
            new = change(name, data)
            if new is not None:
                zf.writestr(name, new)
        for name, data in (add or {}).items():
            zf.writestr(name, data)


def test_an_untouched_bundle_verifies(bundle: tuple[Path, dict[str, str]]) -> None:
    path, ids = bundle
    report = verify_bundle(path)
    assert report.case_id == ids["case"] and report.items == 2
    assert report.custody_entries == 4  # created, 2 items, exported
    assert any(ids["shot"] in line and "✓" in line for line in report.lines)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read(f"items/{ids['shot']}/screenshot_2026-03-12.png") == SCREENSHOT
        assert report.fingerprint in zf.read("README.txt").decode()
    assert {i["id"] for i in manifest["items"]} == {ids["shot"], ids["note"]}


def test_one_changed_byte_in_an_item_names_the_item(bundle: tuple[Path, dict[str, str]]) -> None:
    path, ids = bundle

    def flip(name: str, data: bytes) -> bytes:
        if name.startswith(f"items/{ids['shot']}/"):
            return data[:100] + bytes([data[100] ^ 1]) + data[101:]
        return data

    _rewrite(path, flip)
    with pytest.raises(IntegrityError, match=rf"item {ids['shot']} \(screenshot 2026-03-12.png\): changed"):
        verify_bundle(path)


@pytest.mark.parametrize(
    ("change", "add", "message"),
    [
        (
            lambda n, d: d.replace(b'"lawyer"', b'"someone"') if n == "manifest.json" else d,
            None,
            "signature does not match",
        ),
        (lambda n, d: None if n == "report.html" else d, None, "report.html: missing"),
        (lambda n, d: d + b" " if n == "report.html" else d, None, "report.html: changed"),
        (
            lambda n, d: d.replace(b"counsellor1", b"counsellor2") if n == "custody.jsonl" else d,
            None,
            "custody.jsonl: changed",
        ),
        (lambda n, d: d, {"items/extra.png": b"x"}, "items/extra.png: this file is not in the manifest"),
        (lambda n, d: None if n == "manifest.sig" else d, None, "manifest.sig is missing"),
        (lambda n, d: b"00" * 64 if n == "manifest.sig" else d, None, "signature does not match"),
    ],
    ids=["manifest", "missing-file", "report", "custody", "added-file", "no-signature", "bad-signature"],
)
def test_tampering_is_caught(bundle: tuple[Path, dict[str, str]], change, add, message: str) -> None:  # type: ignore[no-untyped-def]
    path, _ = bundle
    _rewrite(path, change, add)
    with pytest.raises(IntegrityError, match=message):
        verify_bundle(path)


def test_a_consistent_forgery_needs_another_key_and_shows_another_fingerprint(
    bundle: tuple[Path, dict[str, str]],
) -> None:
    """Rewriting an item, its hash, the custody log and re-signing is possible only with a different key."""
    path, _ = bundle
    original = verify_bundle(path).fingerprint
    with zipfile.ZipFile(path) as zf:
        contents = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(contents["manifest.json"])
    forger = Ed25519PrivateKey.generate()
    manifest["public_key"] = forger.public_key().public_bytes_raw().hex()
    contents["README.txt"] = contents["README.txt"].replace(
        original.encode(), key_fingerprint(forger.public_key().public_bytes_raw()).encode()
    )
    manifest["files"]["README.txt"] = hashlib.sha256(contents["README.txt"]).hexdigest()
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    contents["manifest.json"], contents["manifest.sig"] = body, forger.sign(body).hex().encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    assert verify_bundle(path).fingerprint != original


def test_a_file_that_is_not_a_bundle(tmp_path: Path) -> None:
    junk = tmp_path / "case.zip"
    junk.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputError, match="not a readable zip"):
        verify_bundle(junk)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w"):
        pass
    with pytest.raises(IntegrityError, match=r"manifest\.json is missing"):
        verify_bundle(empty)
