"""A whole chat checked for the web: an uploaded export or chat text pasted into "check a message".

The export is opened from a temporary copy (see :mod:`.uploads`) and read to the end inside the caller's
``with`` block; only the result leaves it. Messages go through the site's analyzer batch by batch, so other
visitors are not kept waiting for a long chat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from tumar.chats.conversation import ConversationAnalysis, ConversationMessage, analyze_conversation
from tumar.chats.importers import open_export
from tumar.chats.model import ChatMessage
from tumar.errors import ImportFormatError
from tumar.interfaces.web.site import Site
from tumar.interfaces.web.uploads import safe_name, save_upload

__all__ = ["MAX_SHOWN", "ChatCheck", "check_export", "check_pasted", "check_upload", "looks_like_chat"]

MAX_SHOWN = 200  # abusive messages listed on the page; the summary counts them all
_BATCH = 64


@dataclass(frozen=True)
class ChatCheck:
    """What the page and the API show for one chat."""

    source: str  # the file name as the user gave it, or "pasted text"
    platform: str  # telegram | whatsapp | text
    total: int  # entries in the chat, service lines included
    analysis: ConversationAnalysis
    language: str

    @property
    def abusive(self) -> tuple[ConversationMessage, ...]:
        return self.analysis.abusive

    @property
    def shown(self) -> tuple[ConversationMessage, ...]:
        return self.abusive[:MAX_SHOWN]

    def to_json(self) -> dict[str, Any]:
        full = self.analysis.to_json(self.language)
        return {
            "source": self.source,
            "platform": self.platform,
            "chat": self.analysis.chat,
            "messages": self.total,
            "analyzed": self.analysis.analyzed,
            "summary": {key: full[key] for key in ("forms", "urgent", "abuser", "patterns")},
            "abusive_messages": [m.to_json() for m in self.abusive],
        }


def _analyze(site: Site, messages: Iterable[ChatMessage], lang: str) -> ConversationAnalysis:
    return analyze_conversation(
        messages, site.analyzer(), explain_lang=lang, batch_size=_BATCH, lock=site.lock
    )


def check_export(site: Site, path: Path, lang: str, *, shown_name: str) -> ChatCheck:
    """Open and analyse the export at ``path``; error messages name ``shown_name``, not the temporary path."""
    try:
        with open_export(path) as export:
            platform = export.platform
            counted: list[int] = [0]

            def counting(messages: Iterable[ChatMessage]) -> Iterable[ChatMessage]:
                for message in messages:
                    counted[0] += 1
                    yield message

            analysis = _analyze(site, counting(export.messages()), lang)
    except ImportFormatError as exc:
        where = f"{exc.source}, {exc.position}" if exc.position else exc.source
        text = str(exc)
        reason = text[len(where) + 2 :] if text.startswith(where + ": ") else text
        folder = str(path.parent) + "/"
        raise ImportFormatError(
            reason.replace(folder, ""), source=shown_name, position=exc.position.replace(folder, "")
        ) from None
    return ChatCheck(shown_name, platform, counted[0], analysis, lang)


def looks_like_chat(messages: list[ChatMessage]) -> bool:
    """Pasted text is a chat when it splits into two or more messages and someone is named as a sender."""
    return len(messages) >= 2 and any(m.sender for m in messages)


def check_pasted(site: Site, messages: list[ChatMessage], lang: str) -> ChatCheck:
    return ChatCheck("pasted text", "text", len(messages), _analyze(site, messages, lang), lang)


async def check_upload(site: Site, upload: UploadFile, lang: str) -> ChatCheck:
    """Copy the upload to a temporary directory, analyse it and delete the directory, whatever happens."""
    shown = safe_name(upload.filename)
    with TemporaryDirectory(prefix="tumar-upload-") as folder:
        path = await save_upload(upload, Path(folder))
        return await run_in_threadpool(check_export, site, path, lang, shown_name=shown)
