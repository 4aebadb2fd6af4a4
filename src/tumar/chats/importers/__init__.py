"""Chat export importers: Telegram Desktop JSON, WhatsApp text exports and pasted chat text.

::

    with open_export("ChatExport_2026-01-02.zip") as export:
        for message in export.messages():   # streamed: one message in memory at a time
            ...

Every importer yields :class:`tumar.chats.model.ChatMessage`; every problem with the user's file is an
:class:`tumar.errors.ImportFormatError` naming the file and the position (line, or chat, message and byte).
"""

from __future__ import annotations

from tumar.chats.importers.detect import open_export
from tumar.chats.importers.plaintext import PlainTextExport, parse_pasted
from tumar.chats.importers.telegram import TelegramExport
from tumar.chats.importers.whatsapp import WhatsAppExport

__all__ = ["PlainTextExport", "TelegramExport", "WhatsAppExport", "open_export", "parse_pasted"]
