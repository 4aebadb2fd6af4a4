"""Export a case as a self-checking bundle (a zip) and verify one offline, without the store or its passphrase.

::

    bundle.zip
    ├── manifest.json        case, items (id, kind, name, sha256, size, acquired_at, source, path), custody head,
    │                        the SHA-256 of every other file, the signing public key
    ├── manifest.sig         Ed25519 signature of manifest.json by the store's key
    ├── custody.jsonl        the custody log, one entry per line, each with the previous entry's hash
    ├── items/<id>/<name>    the originals, byte for byte
    ├── messages/<id>.jsonl  the parsed messages of each chat with what Tumar found in them
    ├── report.html          the case report (and report.pdf when asked)
    └── README.txt           what this is and how to check it

Verification re-hashes every file, checks the custody chain and that it commits to every item's hash, and checks
the signature; the first mismatch raises :class:`IntegrityError` naming the item or file. The signing key's
fingerprint is printed so it can be compared with the one in the report and the one the helpline keeps: a forger
who rewrites a bundle completely must also sign it with a different key.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tumar.errors import InputError, IntegrityError
from tumar.evidence.custody import CustodyEntry, verify_chain
from tumar.evidence.store import EvidenceStore

__all__ = ["BUNDLE_FORMAT", "BundleReport", "export_bundle", "key_fingerprint", "verify_bundle"]

BUNDLE_FORMAT = "tumar-evidence-bundle"
READ = 1 << 20
FIXED = {"manifest.json", "manifest.sig", "README.txt"}

_README = """Tumar evidence bundle — Пакет доказательств Tumar

This zip holds the evidence of one case exactly as it was collected, with a SHA-256 hash of every file
taken when the file was collected, and a custody log in which each entry carries the hash of the previous one.
Check it with:   tumar case verify {name}
Signing key fingerprint: {fingerprint}

Этот архив содержит доказательства по одному делу в том виде, в каком они были собраны, с хешем SHA-256
каждого файла и журналом передачи (каждая запись содержит хеш предыдущей). Проверка:   tumar case verify {name}
"""


def key_fingerprint(public_raw: bytes) -> str:
    """A short, readable fingerprint of a signing key: 16 groups of 4 hex digits of its SHA-256."""
    h = hashlib.sha256(public_raw).hexdigest()[:32]
    return ":".join(h[i : i + 4] for i in range(0, 32, 4))


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").split("/")[-1] or "item"
    return re.sub(r"[^\w.\-]+", "_", base)[:120] or "item"


class _HashingWriter:
    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.digest.update(data)
        self.size += len(data)


def export_bundle(
    store: EvidenceStore,
    case_id: str,
    out: str | Path,
    *,
    actor: str,
    report_html: str | None = None,
    report_pdf: bytes | None = None,
) -> Path:
    """Write the case's bundle to ``out`` and log the export in the custody log."""
    out = Path(out)
    case = store.case(case_id)
    entry = store.log_action(case_id, actor, "exported", None, {"file": out.name})
    custody = store.custody(case_id)
    items = store.items(case_id)
    key = store.signing_key()
    public_raw = key.public_key().public_bytes_raw()
    files: dict[str, str] = {}
    item_rows: list[dict[str, Any]] = []
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def put(name: str, data: bytes) -> None:
            zf.writestr(name, data)
            files[name] = hashlib.sha256(data).hexdigest()

        put(
            "custody.jsonl",
            "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in custody).encode(),
        )
        for item in items:
            path = f"items/{item.id}/{_safe_name(item.name)}"
            with zf.open(path, "w", force_zip64=True) as fh:
                w = _HashingWriter(fh)
                for chunk in store.read_item(item.id):
                    w.write(chunk)
            if w.digest.hexdigest() != item.sha256:
                raise IntegrityError(f"item {item.id} ({item.name}): stored content does not match its hash")
            files[path] = item.sha256
            row = {**item.identity(), "path": path}
            if item.messages:
                mpath = f"messages/{item.id}.jsonl"
                with zf.open(mpath, "w", force_zip64=True) as fh:
                    w = _HashingWriter(fh)
                    flagged = {
                        str(m["id"]): m for m in (item.summary.get("analysis") or {}).get("messages", [])
                    }
                    for m in store.messages(item.id):
                        data = dict(m.data)
                        hit = flagged.get(str(data.get("id")))
                        data["findings"] = hit.get("findings", []) if hit else []
                        w.write((json.dumps(data, ensure_ascii=False) + "\n").encode())
                files[mpath] = w.digest.hexdigest()
                row["messages"] = mpath
            item_rows.append(row)
        if report_html is not None:
            put("report.html", report_html.encode("utf-8"))
        if report_pdf is not None:
            put("report.pdf", report_pdf)
        fingerprint = key_fingerprint(public_raw)
        put("README.txt", _README.format(name=out.name, fingerprint=fingerprint).encode("utf-8"))
        manifest = {
            "format": BUNDLE_FORMAT,
            "version": 1,
            "tool": f"tumar {version('tumar')}",
            "case": {
                "id": case.id,
                "title": case.title,
                "description": case.description,
                "created_at": case.created_at.isoformat(),
                "created_by": case.created_by,
            },
            "exported_at": entry.at.isoformat(),
            "exported_by": actor,
            "items": item_rows,
            "custody": {"path": "custody.jsonl", "entries": len(custody), "head": custody[-1].hash},
            "files": files,
            "public_key": public_raw.hex(),
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", key.sign(manifest_bytes).hex())
    tmp.replace(out)
    return out


@dataclass(frozen=True)
class BundleReport:
    case_id: str
    title: str
    items: int
    files: int
    custody_entries: int
    fingerprint: str
    exported_at: datetime
    lines: tuple[str, ...]


def verify_bundle(path: str | Path, progress: Callable[[str], None] | None = None) -> BundleReport:
    """Check a bundle offline; :class:`IntegrityError` names the first item or file that does not match."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not a readable zip bundle ({exc})") from None
    with zf:
        names = set(zf.namelist())
        for required in ("manifest.json", "manifest.sig"):
            if required not in names:
                raise IntegrityError(f"{path}: {required} is missing — this is not a complete Tumar bundle")
        manifest_bytes = zf.read("manifest.json")
        try:
            manifest = json.loads(manifest_bytes)
            public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(manifest["public_key"]))
            public.verify(bytes.fromhex(zf.read("manifest.sig").decode("ascii").strip()), manifest_bytes)
        except InvalidSignature:
            raise IntegrityError(
                "manifest.json was changed after export: its signature does not match"
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise IntegrityError(f"manifest.json or manifest.sig is damaged ({exc})") from None
        if manifest.get("format") != BUNDLE_FORMAT:
            raise IntegrityError("manifest.json is not a Tumar evidence bundle manifest")
        files: dict[str, str] = manifest["files"]
        items_by_path = {row["path"]: row for row in manifest["items"]}
        lines = []
        extra = sorted(names - FIXED - set(files))
        if extra:
            raise IntegrityError(f"{extra[0]}: this file is not in the manifest (added after export)")
        for name, expected in files.items():
            what = (
                f"item {items_by_path[name]['id']} ({items_by_path[name]['name']})"
                if name in items_by_path
                else name
            )
            if name not in names:
                raise IntegrityError(f"{what}: missing from the bundle")
            digest = hashlib.sha256()
            with zf.open(name) as fh:
                while chunk := fh.read(READ):
                    digest.update(chunk)
            if digest.hexdigest() != expected:
                raise IntegrityError(
                    f"{what}: changed — its SHA-256 does not match the one recorded at export"
                )
            if progress:
                progress(name)
            lines.append(f"{what}: sha256 {expected} ✓")
        readme = zf.read("README.txt").decode("utf-8", "replace") if "README.txt" in names else ""
        entries = [
            CustodyEntry.from_json(json.loads(line))
            for line in zf.read(manifest["custody"]["path"]).decode("utf-8").splitlines()
            if line.strip()
        ]
    head = verify_chain(entries, expected_head=manifest["custody"]["head"])
    added = {e.item_id: e.details.get("sha256") for e in entries if e.action == "item_added"}
    for row in manifest["items"]:
        if added.get(row["id"]) != row["sha256"]:
            raise IntegrityError(
                f"item {row['id']} ({row['name']}): its hash is not the one in the custody log"
            )
    fingerprint = key_fingerprint(bytes.fromhex(manifest["public_key"]))
    if readme and fingerprint not in readme:
        raise IntegrityError("README.txt names a different signing key than the manifest")
    lines.append(f"custody log: {len(entries)} entries, chain intact (head {head[:16]}…)")
    lines.append(f"signature: valid, signing key {fingerprint}")
    return BundleReport(
        manifest["case"]["id"],
        manifest["case"]["title"],
        len(manifest["items"]),
        len(files),
        len(entries),
        fingerprint,
        datetime.fromisoformat(manifest["exported_at"]),
        tuple(lines),
    )
