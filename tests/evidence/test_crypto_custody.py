from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tumar.errors import IntegrityError, WrongPassphraseError
from tumar.evidence.crypto import SealedKey, new_vault, open_vault
from tumar.evidence.custody import GENESIS, CustodyEntry, verify_chain

from .conftest import FAST_KDF


def test_sealed_values_open_only_with_the_right_key_and_place() -> None:
    vault, sealed = new_vault("түнкү асман", FAST_KDF)
    box = vault.seal_text("Азамат мага жазып жатат", "case:1:title")
    assert b"\xd0\x90\xd0\xb7" not in box  # no plaintext UTF-8 inside
    assert vault.open_text(box, "case:1:title") == "Азамат мага жазып жатат"
    reopened = open_vault(SealedKey.from_json(sealed.to_json()), "түнкү асман")
    assert reopened.open_text(box, "case:1:title") == "Азамат мага жазып жатат"
    with pytest.raises(IntegrityError, match=r"case:2:title"):
        vault.open(box, "case:2:title")  # moved to another row
    flipped = box[:-1] + bytes([box[-1] ^ 1])
    with pytest.raises(IntegrityError):
        vault.open(flipped, "case:1:title")


@pytest.mark.parametrize("wrong", ["түнкү асман ", "Түнкү асман", "tunku asman", "x"])
def test_wrong_passphrase(wrong: str) -> None:
    _, sealed = new_vault("түнкү асман", FAST_KDF)
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        open_vault(sealed, wrong)


def test_empty_passphrase_is_refused() -> None:
    with pytest.raises(WrongPassphraseError, match="empty"):
        new_vault("", FAST_KDF)


def test_rewrap_keeps_data_readable_under_the_new_passphrase_only() -> None:
    vault, _ = new_vault("old one", FAST_KDF)
    box = vault.seal(b"evidence", "x")
    sealed2 = vault.rewrap("new one", FAST_KDF)
    assert open_vault(sealed2, "new one").open(box, "x") == b"evidence"
    with pytest.raises(WrongPassphraseError):
        open_vault(sealed2, "old one")


def _chain(n: int) -> list[CustodyEntry]:
    t0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    entries: list[CustodyEntry] = []
    for i in range(n):
        prev = entries[-1] if entries else None
        entries.append(
            CustodyEntry.next(
                prev, t0 + timedelta(minutes=i), "gulnara", "item_added", f"i{i}", {"sha256": f"{i:064x}"}
            )
        )
    return entries


def test_a_valid_chain_verifies_to_its_head() -> None:
    chain = _chain(5)
    assert chain[0].prev_hash == GENESIS
    assert verify_chain(chain) == chain[-1].hash
    assert verify_chain(chain, expected_head=chain[-1].hash) == chain[-1].hash
    assert [CustodyEntry.from_json(e.to_json()) for e in chain] == chain


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda c: c.__setitem__(2, replace(c[2], details={"sha256": "0" * 64})), "entry 3 .* was changed"),
        (lambda c: c.__setitem__(1, replace(c[1], actor="someone else")), "entry 2 .* was changed"),
        (lambda c: c.__setitem__(3, replace(c[3], at=c[3].at + timedelta(days=1))), "entry 4 .* was changed"),
        (lambda c: c.pop(2), "entry 3 is missing"),
        (lambda c: c.insert(1, c.pop(3)), "entry 2 is missing"),
    ],
    ids=["details", "actor", "time", "removed", "reordered"],
)
def test_any_change_to_the_chain_names_the_entry(tamper, message: str) -> None:  # type: ignore[no-untyped-def]
    chain = _chain(5)
    tamper(chain)
    with pytest.raises(IntegrityError, match=message):
        verify_chain(chain)


def test_removing_the_last_entries_is_caught_by_the_head() -> None:
    chain = _chain(5)
    with pytest.raises(IntegrityError, match="last entries were removed"):
        verify_chain(chain[:4], expected_head=chain[-1].hash)


def test_a_rehashed_entry_breaks_the_next_link() -> None:
    chain = _chain(4)
    forged = CustodyEntry.next(chain[0], chain[1].at, "mallory", "item_added", "i1", {"sha256": "f" * 64})
    chain[1] = forged
    with pytest.raises(IntegrityError, match="entry 3 does not follow entry 2"):
        verify_chain(chain)
