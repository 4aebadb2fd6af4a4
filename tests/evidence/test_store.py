"""The evidence store on SQLite and on a real PostgreSQL: same code, same behaviour."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tumar.errors import InputError, IntegrityError, NotFoundError, WrongPassphraseError
from tumar.evidence.store import CHUNK, EvidenceStore, blobs_t, custody_t, items_t, metadata

from .conftest import FAST_KDF, PASSPHRASE, Clock

TITLE = "Айпери Т. — угрозы от бывшего"
NOTE = "12 марта заявление в РОВД Свердловского района, приняли, номер талона записан"
SECRET = "Ata-Zhurt 42, kv 7 — ошол жерде жашайт"


def _everything_stored(store: EvidenceStore) -> bytes:
    """Every value of every row of every table, as bytes (what someone with the database file sees)."""
    out = bytearray()
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    out += value if isinstance(value, bytes | memoryview) else str(value).encode()
    return bytes(out)


def test_a_case_holds_items_notes_and_a_custody_log(store: EvidenceStore) -> None:
    case = store.create_case(TITLE, actor="counsellor1", description="Нарын, 19 жаш")
    item = store.add_bytes(case.id, SECRET.encode(), name="address.txt", actor="counsellor1", source="typed")
    note = store.add_note(case.id, NOTE, actor="lawyer2")
    assert item.sha256 == hashlib.sha256(SECRET.encode()).hexdigest()
    assert b"".join(store.read_item(item.id)).decode() == SECRET
    assert [c.title for c in store.cases()] == [TITLE]
    assert store.case(case.id).items == 2
    assert [(i.id, i.kind) for i in store.items(case.id)] == [(item.id, "file"), (note.id, "note")]
    log = store.custody(case.id)
    assert [(e.seq, e.action, e.actor, e.item_id) for e in log] == [
        (1, "case_created", "counsellor1", None),
        (2, "item_added", "counsellor1", item.id),
        (3, "item_added", "lawyer2", note.id),
    ]
    assert log[1].details["sha256"] == item.sha256
    assert store.custody_head(case.id) == log[-1].hash
    lines = store.verify(case.id)
    assert "chain intact" in lines[0] and item.sha256 in lines[1]


def test_nothing_of_a_case_is_readable_without_the_passphrase(store: EvidenceStore) -> None:
    case = store.create_case(TITLE, actor="counsellor1", description="Нарын, 19 жаш")
    item = store.add_bytes(
        case.id, SECRET.encode(), name="ex-address.txt", actor="counsellor1", source="/home/a/ex-address.txt"
    )
    store.add_note(case.id, NOTE, actor="counsellor1")
    raw = _everything_stored(store)
    for plaintext in [TITLE, "Нарын", SECRET, "Ata-Zhurt", NOTE[:20], "ex-address", "/home/a", item.sha256]:
        assert plaintext.encode() not in raw, plaintext


def test_sqlite_file_on_disk_holds_no_plaintext(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    with EvidenceStore.open(PASSPHRASE, url, kdf=FAST_KDF) as store:
        case = store.create_case(TITLE, actor="c")
        store.add_bytes(case.id, SECRET.encode() * 50, name="ex-address.txt", actor="c")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for plaintext in [TITLE, SECRET, "ex-address"]:
        assert plaintext.encode() not in raw
    assert oct((tmp_path / "e.db").stat().st_mode)[-3:] == "600"


def test_wrong_passphrase_opens_nothing_and_changes_nothing(db_url: str) -> None:
    with EvidenceStore.open(PASSPHRASE, db_url, kdf=FAST_KDF) as store:
        case = store.create_case(TITLE, actor="c")
    with pytest.raises(WrongPassphraseError):
        EvidenceStore.open("not the passphrase", db_url)
    with EvidenceStore.open(PASSPHRASE, db_url) as store:
        assert store.case(case.id).title == TITLE
        store.change_passphrase("жаңы сырсөз", FAST_KDF)
    with pytest.raises(WrongPassphraseError):
        EvidenceStore.open(PASSPHRASE, db_url)
    with EvidenceStore.open("жаңы сырсөз", db_url) as store:
        assert store.verify(case.id)


def test_a_store_that_does_not_exist_is_not_created_on_read(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no evidence store"):
        EvidenceStore.open(PASSPHRASE, f"sqlite:///{tmp_path / 'none.db'}", create=False)


def test_large_files_are_stored_in_chunks(store: EvidenceStore, tmp_path: Path) -> None:
    data = os.urandom(CHUNK * 2 + 12345)
    path = tmp_path / "video.mp4"
    path.write_bytes(data)
    case = store.create_case("c", actor="c")
    with path.open("rb") as fh:
        item = store.add_stream(case.id, fh, name=path.name, actor="c")
    assert item.size == len(data) and item.sha256 == hashlib.sha256(data).hexdigest()
    chunks = list(store.read_item(item.id))
    assert [len(c) for c in chunks] == [CHUNK, CHUNK, 12345]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.case("nope"), "no case 'nope'"),
        (lambda s: s.add_note("nope", "x", actor="c"), "no case 'nope'"),
        (lambda s: s.item("nope"), "no evidence item"),
        (lambda s: list(s.read_item("nope")), "no evidence item"),
    ],
)
def test_unknown_ids_are_clear_errors(store: EvidenceStore, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match=message):
        call(store)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, c: s.create_case("   ", actor="x"), "needs a title"),
        (lambda s, c: s.add_note(c, "  ", actor="x"), "note is empty"),
        (lambda s, c: s.add_bytes(c, b"x", name="x", actor="x", kind="photo"), "unknown item kind"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(store: EvidenceStore, call, message: str) -> None:  # type: ignore[no-untyped-def]
    case = store.create_case("c", actor="c")
    with pytest.raises(InputError, match=message):
        call(store, case.id)
    assert store.items(case.id) == [] and len(store.custody(case.id)) == 1


def test_a_changed_byte_in_the_database_is_caught_and_named(store: EvidenceStore) -> None:
    case = store.create_case("c", actor="c")
    item = store.add_bytes(case.id, b"photo bytes" * 100, name="photo.jpg", actor="c")
    with store.engine.begin() as conn:
        sealed = conn.execute(select(blobs_t.c.data).where(blobs_t.c.item_id == item.id)).scalar_one()
        changed = sealed[:20] + bytes([sealed[20] ^ 0x01]) + sealed[21:]
        conn.execute(update(blobs_t).where(blobs_t.c.item_id == item.id).values(data=changed))
    with pytest.raises(IntegrityError, match=f"blob:{item.id}:0"):
        store.verify(case.id)


def test_moving_sealed_values_between_rows_is_caught(store: EvidenceStore) -> None:
    case = store.create_case("c", actor="c")
    a = store.add_bytes(case.id, b"first", name="a.txt", actor="c")
    b = store.add_bytes(case.id, b"second", name="b.txt", actor="c")
    with store.engine.begin() as conn:
        sealed_b = conn.execute(select(items_t.c.sealed).where(items_t.c.id == b.id)).scalar_one()
        conn.execute(update(items_t).where(items_t.c.id == a.id).values(sealed=sealed_b))
    with pytest.raises(IntegrityError, match=f"item:{a.id}"):
        store.items(case.id)


def test_a_deleted_custody_entry_is_caught(store: EvidenceStore) -> None:
    case = store.create_case("c", actor="c")
    store.add_bytes(case.id, b"first", name="a.txt", actor="c")
    store.add_note(case.id, "second", actor="c")
    with store.engine.begin() as conn:
        conn.execute(custody_t.delete().where(custody_t.c.case_id == case.id, custody_t.c.seq == 3))
    with pytest.raises(IntegrityError, match="last entries were removed"):
        store.verify(case.id)
    with store.engine.begin() as conn:
        conn.execute(custody_t.delete().where(custody_t.c.case_id == case.id, custody_t.c.seq == 1))
    with pytest.raises(IntegrityError, match="entry 1 is missing"):
        store.verify(case.id)


def test_custody_times_come_from_the_clock(db_url: str) -> None:
    clock = Clock()
    with EvidenceStore.open(PASSPHRASE, db_url, kdf=FAST_KDF, clock=clock) as store:
        case = store.create_case("c", actor="c")
        entry = store.log_action(case.id, "lawyer", "viewed")
        assert entry.at == clock.now
        assert store.custody(case.id)[-1].at == clock.now
