"""Encryption at rest: a passphrase unlocks a random data key; every stored field is sealed with AES-256-GCM.

::

    passphrase ──Argon2id(salt, params)──▶ key-encryption key ──AES-GCM unwrap──▶ data key (32 random bytes)
    data key ──AES-GCM(nonce, aad=where)──▶ each sealed value

The associated data (``aad``) names where a value lives ("case:3f2a…:title"), so a sealed value copied into
another row or column fails to open instead of silently standing in for something else. The data key never
changes, so a passphrase change rewraps 32 bytes instead of re-encrypting the store.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tumar.errors import IntegrityError, WrongPassphraseError

__all__ = ["KdfParams", "SealedKey", "Vault", "new_vault", "open_vault"]

NONCE = 12
KEY = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: 64 MiB and 3 passes take about 0.1 s here, and as long for anyone guessing."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            passphrase.encode("utf-8"),
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY,
            type=Type.ID,
        )


@dataclass(frozen=True)
class SealedKey:
    """What the store keeps in the clear to reopen itself: the KDF salt and params and the wrapped data key."""

    salt: bytes
    params: KdfParams
    wrapped: bytes

    def to_json(self) -> str:
        return json.dumps(
            {
                "kdf": "argon2id",
                "salt": self.salt.hex(),
                "time_cost": self.params.time_cost,
                "memory_kib": self.params.memory_kib,
                "parallelism": self.params.parallelism,
                "wrapped_key": self.wrapped.hex(),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> SealedKey:
        d = json.loads(text)
        params = KdfParams(d["time_cost"], d["memory_kib"], d["parallelism"])
        return cls(bytes.fromhex(d["salt"]), params, bytes.fromhex(d["wrapped_key"]))


class Vault:
    """Seals and opens values with the store's data key. Holds the key only in memory."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY:
            raise ValueError("the data key must be 32 bytes")
        self._aead = AESGCM(data_key)
        self._key = data_key

    def seal(self, plaintext: bytes, where: str) -> bytes:
        nonce = os.urandom(NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, where.encode("utf-8"))

    def open(self, sealed: bytes, where: str) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE], sealed[NONCE:], where.encode("utf-8"))
        except (InvalidTag, ValueError):
            raise IntegrityError(f"stored value {where} does not decrypt: it was changed or moved") from None

    def seal_text(self, text: str, where: str) -> bytes:
        return self.seal(text.encode("utf-8"), where)

    def open_text(self, sealed: bytes, where: str) -> str:
        return self.open(sealed, where).decode("utf-8")

    def seal_json(self, value: Any, where: str) -> bytes:
        return self.seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), where)

    def open_json(self, sealed: bytes, where: str) -> Any:
        return json.loads(self.open(sealed, where))

    def rewrap(self, passphrase: str, params: KdfParams | None = None) -> SealedKey:
        """The data key wrapped under a new passphrase (for a passphrase change)."""
        return _wrap(self._key, passphrase, params or KdfParams())


def _wrap(data_key: bytes, passphrase: str, params: KdfParams) -> SealedKey:
    salt = os.urandom(16)
    kek = params.derive(passphrase, salt)
    nonce = os.urandom(NONCE)
    return SealedKey(salt, params, nonce + AESGCM(kek).encrypt(nonce, data_key, b"tumar data key"))


def new_vault(passphrase: str, params: KdfParams | None = None) -> tuple[Vault, SealedKey]:
    """A fresh random data key, wrapped under ``passphrase``."""
    if not passphrase:
        raise WrongPassphraseError("the passphrase is empty")
    data_key = os.urandom(KEY)
    return Vault(data_key), _wrap(data_key, passphrase, params or KdfParams())


def open_vault(sealed: SealedKey, passphrase: str) -> Vault:
    """The vault behind ``sealed``, or :class:`WrongPassphraseError`."""
    kek = sealed.params.derive(passphrase, sealed.salt)
    try:
        data_key = AESGCM(kek).decrypt(sealed.wrapped[:NONCE], sealed.wrapped[NONCE:], b"tumar data key")
    except InvalidTag:
        raise WrongPassphraseError("wrong passphrase: the evidence store did not open") from None
    return Vault(data_key)
