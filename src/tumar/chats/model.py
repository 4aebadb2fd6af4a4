"""What every chat importer produces: a stream of :class:`ChatMessage` from an :class:`ChatExport`.

Importers stream: a message is parsed, yielded and forgotten, so a 200 MB export never sits in memory whole.
Dates are naive local times exactly as the export shows them (neither Telegram's ``date`` nor WhatsApp's
lines carry a time zone).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Literal, Protocol

__all__ = ["ChatExport", "ChatMessage", "MediaRef", "MessageKind", "Platform"]

MessageKind = Literal["message", "service"]
Platform = Literal["telegram", "whatsapp", "text"]


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A photo, video, voice note or file a message refers to, by its path inside the export."""

    path: str  # relative path as written in the export ("photos/photo_1@01-02-2026_10-00-00.jpg")
    kind: str  # photo | video | voice | audio | video_note | sticker | animation | file
    present: bool  # the file is in the export (Telegram writes "(File not included...)" otherwise)


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message (or service event such as a call or a pin) of one chat."""

    id: str  # stable within the chat: Telegram's message id, WhatsApp's "L<line>" of the first line
    chat: str  # the chat's name ("Azamat", "Группа 11Б")
    date: datetime | None  # None only for pasted text without times
    sender: str | None  # display name; None for service lines with no sender
    text: str  # plain text; Telegram entity lists are joined into one string
    kind: MessageKind = "message"
    sender_id: str | None = None
    chat_id: str | None = None
    action: str | None = None  # service messages: "phone_call", "pin_message", "invite_members", ...
    edited: datetime | None = None
    forwarded_from: str | None = None
    reply_to: str | None = None
    media: tuple[MediaRef, ...] = ()
    source: str = ""  # where in the export: "result.json, chat 2, message 17" or "_chat.txt, line 34"
    extra: dict[str, str] = field(default_factory=dict)  # e.g. call duration, poll question


class ChatExport(Protocol):
    """An opened export. Use as a context manager; ``messages()`` may be iterated once."""

    platform: Platform
    source: str  # the file the user gave

    def messages(self) -> Iterator[ChatMessage]: ...

    def open_media(self, path: str) -> BinaryIO | None:
        """The media file at ``path`` (as in :attr:`MediaRef.path`), or None if the export lacks it."""
        ...

    def media_paths(self) -> Iterator[str]:
        """Every media file the export contains (to import it with the chat)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> ChatExport: ...

    def __exit__(self, *exc: object) -> None: ...
