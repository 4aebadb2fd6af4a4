"""Putting evidence into a case: chat exports (with their media and analysis), files, screenshots, pasted text.

A chat export is stored three ways in one transaction: the original file as the user gave it (hashed), each
media file of the export as its own item (hashed), and the parsed messages with what the analyzer found. If the
export turns out to be malformed half-way, the transaction rolls back and the case is as it was.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tumar.analysis.analyzer import Analyzer
from tumar.chats.model import ChatMessage
from tumar.errors import ImportFormatError, InputError, IntegrityError
from tumar.evidence.store import EvidenceStore, ItemInfo
from tumar.languages import LANGUAGES

__all__ = [
    "CHAT_SUFFIXES",
    "add_image_match",
    "add_path",
    "add_text",
    "form_ids",
    "item_json",
    "message_to_json",
]

log = logging.getLogger(__name__)

CHAT_SUFFIXES = {".json", ".zip", ".txt"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif", ".bmp"}
MESSAGE_BATCH = 500


def message_to_json(m: ChatMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "chat": m.chat,
        "chat_id": m.chat_id,
        "date": m.date.isoformat() if m.date else None,
        "from": m.sender,
        "from_id": m.sender_id,
        "text": m.text,
        "kind": m.kind,
        "action": m.action,
        "edited": m.edited.isoformat() if m.edited else None,
        "forwarded_from": m.forwarded_from,
        "reply_to": m.reply_to,
        "media": [[r.path, r.kind, r.present] for r in m.media],
        "source": m.source,
    }


def form_ids(analysis: dict[str, Any]) -> list[str]:
    """The form ids of a stored analysis: a conversation's ``forms`` or a single message's ``findings``."""
    if "forms" in analysis:
        return [f["form"] if isinstance(f, dict) else str(f) for f in analysis["forms"]]
    return [f["form"] for f in analysis.get("findings", [])]


def item_json(item: ItemInfo) -> dict[str, Any]:
    """An item as the CLI and the API show it: ids, hash, size, times, and what the analysis found."""
    analysis = item.summary.get("analysis") or {}
    return {
        **item.identity(),
        "messages": item.messages,
        "forms": form_ids(analysis),
        "urgent": bool(analysis.get("urgent")),
    }


def _main_file(path: Path) -> Path:
    """The file that holds the chat inside an export folder (Telegram's result.json or WhatsApp's .txt)."""
    if path.is_file():
        return path
    for candidate in [path / "result.json", *sorted(path.glob("*.txt"))]:
        if candidate.is_file():
            return candidate
    raise ImportFormatError("no result.json or chat .txt in this folder", source=str(path))


def add_path(
    store: EvidenceStore,
    case_id: str,
    path: str | Path,
    *,
    actor: str,
    kind: str | None = None,
    analyzer: Analyzer | None = None,
    explain_lang: str = "en",
    owner: str | None = None,
) -> list[ItemInfo]:
    """Add a file or export folder. ``kind`` None guesses: chat exports become chats, others files/screenshots."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if kind is None:
        kind = _guess_kind(path)
    if kind == "chat":
        return add_chat(
            store, case_id, path, actor=actor, analyzer=analyzer, explain_lang=explain_lang, owner=owner
        )
    if path.is_dir():
        raise InputError(f"{path}: a folder can only be added as a chat export (--kind chat)")
    with path.open("rb") as fh:
        return [
            store.add_stream(case_id, fh, name=path.name, actor=actor, kind=kind, source=str(path.resolve()))
        ]


def _guess_kind(path: Path) -> str:
    if path.is_dir():
        return "chat"
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "screenshot" if "screenshot" in path.name.lower() or "скрин" in path.name.lower() else "file"
    if suffix in CHAT_SUFFIXES:
        from tumar.chats.importers import open_export

        try:
            with open_export(path) as export:
                return "chat" if export.platform in ("telegram", "whatsapp") else "file"
        except ImportFormatError:
            return "file"
    return "file"


def add_chat(
    store: EvidenceStore,
    case_id: str,
    path: Path,
    *,
    actor: str,
    analyzer: Analyzer | None = None,
    explain_lang: str = "en",
    owner: str | None = None,
) -> list[ItemInfo]:
    from tumar.chats.conversation import analyze_conversation
    from tumar.chats.importers import open_export

    added: list[ItemInfo] = []
    main = _main_file(path)
    with open_export(path) as export, store.engine.begin() as conn:
        source = str(path.resolve())
        with main.open("rb") as fh:
            chat = store.add_stream(
                case_id,
                fh,
                name=main.name if path.is_file() else f"{path.name}/{main.name}",
                actor=actor,
                kind="chat",
                source=source,
                conn=conn,
            )
        added.append(chat)
        counter = {"n": 0}
        chats: dict[str, None] = {}
        period: list[str] = []
        pending: list[tuple[int, dict[str, Any]]] = []

        def stored() -> Iterator[ChatMessage]:
            for m in export.messages():
                counter["n"] += 1
                chats.setdefault(m.chat)
                if m.date:
                    iso = m.date.isoformat()
                    period[:] = [min(period[0], iso), max(period[1], iso)] if period else [iso, iso]
                pending.append((counter["n"], message_to_json(m)))
                if len(pending) >= MESSAGE_BATCH:
                    store.insert_messages(conn, chat.id, pending)
                    pending.clear()
                yield m

        summary: dict[str, Any] = {"platform": export.platform}
        if analyzer is not None:
            conversation = analyze_conversation(stored(), analyzer, explain_lang=explain_lang, owner=owner)
            abusive = conversation.abusive
            result = dataclasses.replace(conversation, messages=abusive).to_json(explain_lang)
            result["messages"] = [{**m.to_json(), "urgent": m.urgent} for m in abusive]
            for row, pattern in zip(result["patterns"], conversation.patterns, strict=True):
                row["descriptions"] = {lang: conversation.describe(pattern, lang) for lang in LANGUAGES}
            summary["analysis"] = result
        else:
            for _ in stored():
                pass
        store.insert_messages(conn, chat.id, pending)
        summary.update({"chats": list(chats), "message_count": counter["n"], "period": period or None})
        store.set_summary(conn, chat.id, summary, counter["n"])
        for media in export.media_paths():
            media_fh = export.open_media(media)
            if media_fh is None:
                continue
            with media_fh:
                added.append(
                    store.add_stream(
                        case_id,
                        media_fh,
                        name=media,
                        actor=actor,
                        kind="media",
                        source=f"{source}!{media}",
                        parent_id=chat.id,
                        conn=conn,
                    )
                )
        analysis = summary.get("analysis") or {}
        store.append_custody(
            conn,
            case_id,
            actor,
            "chat_imported",
            chat.id,
            {
                "messages": counter["n"],
                "media": len(added) - 1,
                "flagged": len(analysis.get("messages", [])),
                "forms": form_ids(analysis),
            },
        )
    log.info(
        "case %s: chat %s imported (%d messages, %d media)", case_id, chat.id, counter["n"], len(added) - 1
    )
    return [store.item(i.id) for i in added]


def add_text(
    store: EvidenceStore,
    case_id: str,
    text: str,
    *,
    actor: str,
    analyzer: Analyzer | None = None,
    explain_lang: str = "en",
    source: str = "pasted text",
) -> ItemInfo:
    """A single message the user pasted (e.g. a threat received by SMS), analysed and stored as an item."""
    if not text.strip():
        raise InputError("the message is empty")
    summary: dict[str, Any] = {}
    if analyzer is not None:
        summary["analysis"] = analyzer.analyze(text, explain_lang=explain_lang).to_json()
    return store.add_bytes(
        case_id,
        text.encode("utf-8"),
        name="message.txt",
        actor=actor,
        kind="message",
        source=source,
        summary=summary,
    )


def add_image_match(store: EvidenceStore, case_id: str, match: Any, *, actor: str) -> ItemInfo:
    """A found copy of a survivor's image (a :class:`tumar.images.matcher.Match`) as evidence: the file's bytes,
    where it was found, and which hash-list entry it matched at which distance."""
    summary = {"image_match": match.to_json()}
    name = match.file.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    with match.open() as fh, store.engine.begin() as conn:
        item = store.add_stream(
            case_id,
            fh,
            name=name,
            actor=actor,
            kind="image_match",
            source=match.file,
            summary=summary,
            conn=conn,
        )
        if item.sha256 != match.sha256:
            raise IntegrityError(f"{match.file}: the file changed after it was matched; match it again")
    return item
