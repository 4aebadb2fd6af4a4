"""Files uploaded to a case: checked (type, size, magic bytes), saved to a temporary folder, then ingested."""

import tempfile
from pathlib import Path

from fastapi import HTTPException, UploadFile
from starlette.concurrency import run_in_threadpool

from tumar.evidence.ingest import add_path
from tumar.evidence.store import EvidenceStore, ItemInfo
from tumar.evidence.users import User
from tumar.interfaces.web.site import Site
from tumar.interfaces.web.uploads import safe_name
from tumar.interfaces.web.workspace.state import Workspace

__all__ = ["CASE_UPLOAD_SUFFIXES", "MAX_CASE_UPLOAD", "add_case_upload", "save_case_upload"]

MAX_CASE_UPLOAD = 50 * 1024 * 1024
CASE_UPLOAD_SUFFIXES = (
    ".txt", ".json", ".zip",  # chat exports
    ".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif",  # screenshots and photos
    ".mp4", ".mov", ".ogg", ".opus", ".m4a", ".mp3",  # videos and voice messages
    ".pdf",  # documents
)  # fmt: skip
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",),
    ".ogg": (b"OggS",),
    ".opus": (b"OggS",),
}


async def save_case_upload(upload: UploadFile, folder: Path) -> Path:
    """Copy an upload into ``folder`` after checking its type and size; 413/415 otherwise."""
    name = safe_name(upload.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in CASE_UPLOAD_SUFFIXES:
        raise HTTPException(
            415,
            f"file: {suffix or 'no extension'} is not accepted; upload chat exports, screenshots, photos, "
            "videos, voice messages or PDF files",
        )
    target = folder / name
    size = 0
    head = b""
    with target.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            if not head:
                head = chunk[:16]
            size += len(chunk)
            if size > MAX_CASE_UPLOAD:
                raise HTTPException(413, f"file: larger than {MAX_CASE_UPLOAD // (1 << 20)} MB")
            out.write(chunk)
    if size == 0:
        raise HTTPException(422, "file: the file is empty")
    magic = _MAGIC.get(suffix)
    if magic and not head.startswith(magic):
        raise HTTPException(415, f"file: the content is not a {suffix} file")
    return target


async def add_case_upload(
    site: Site, ws: Workspace, store: EvidenceStore, case_id: str, upload: UploadFile, user: User, lang: str
) -> list[ItemInfo]:
    """Save the upload, then analyse and store it as evidence of the case (in a worker thread)."""
    with tempfile.TemporaryDirectory(prefix="tumar-case-") as tmp:
        path = await save_case_upload(upload, Path(tmp))
        return await run_in_threadpool(_add_path, site, ws, store, case_id, path, user, lang)


def _add_path(
    site: Site, ws: Workspace, store: EvidenceStore, case_id: str, path: Path, user: User, lang: str
) -> list[ItemInfo]:
    analyzer = site.analyzer()
    with site.lock, ws.lock:
        return add_path(store, case_id, path, actor=user.username, analyzer=analyzer, explain_lang=lang)
