"""The store's keys, kept in its meta table: the sealed data key, a key check and the bundle signing key.

The data key is sealed by the passphrase (see :mod:`tumar.evidence.crypto`); the key check tells a wrong
passphrase from damaged data; the Ed25519 signing key is itself sealed with the data key.
"""

from __future__ import annotations

import logging

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, insert, select

from tumar.errors import NotFoundError
from tumar.evidence.crypto import KdfParams, SealedKey, Vault, new_vault, open_vault
from tumar.evidence.schema import meta_t

__all__ = ["KEY_CHECK", "SCHEMA_VERSION", "signing_key", "unlock_vault"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
KEY_CHECK = b"tumar evidence store"


def unlock_vault(engine: Engine, passphrase: str, create: bool, kdf: KdfParams | None) -> Vault:
    """The store's vault opened with ``passphrase``; with ``create``, a new store's keys on first use."""
    with engine.begin() as conn:
        rows: dict[str, str] = {r.key: r.value for r in conn.execute(select(meta_t.c.key, meta_t.c.value))}
        if "sealed_key" not in rows:
            if not create:
                raise NotFoundError("no evidence store here yet: create a case first")
            vault, sealed = new_vault(passphrase, kdf)
            signing = Ed25519PrivateKey.generate().private_bytes_raw()
            conn.execute(
                insert(meta_t),
                [
                    {"key": "schema_version", "value": SCHEMA_VERSION},
                    {"key": "sealed_key", "value": sealed.to_json()},
                    {"key": "key_check", "value": vault.seal(KEY_CHECK, "meta:key_check").hex()},
                    {"key": "signing_key", "value": vault.seal(signing, "meta:signing_key").hex()},
                ],
            )
            log.info("initialised a new evidence store")
        else:
            vault = open_vault(SealedKey.from_json(rows["sealed_key"]), passphrase)
            vault.open(bytes.fromhex(rows["key_check"]), "meta:key_check")
    return vault


def signing_key(engine: Engine, vault: Vault) -> Ed25519PrivateKey:
    """The store's Ed25519 key that signs exported bundles."""
    with engine.connect() as conn:
        hexed: str = conn.execute(select(meta_t.c.value).where(meta_t.c.key == "signing_key")).scalar_one()
    return Ed25519PrivateKey.from_private_bytes(vault.open(bytes.fromhex(hexed), "meta:signing_key"))
