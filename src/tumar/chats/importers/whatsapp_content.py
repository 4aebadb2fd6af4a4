"""What one WhatsApp message says once WhatsApp's own notes in it are read (:func:`interpret`).

Media-omitted placeholders (a known list, and any whole-message ``<...>``), attachments
(``IMG-20251231-WA0003.jpg (файл добавлен)``, iOS ``<attached: 00000012-PHOTO-....jpg>``), deleted-message
notes, the "edited" suffix of newer exports, and system lines (no sender, or an iOS line whose text starts with
a left-to-right mark and reads like a system note) which become ``kind="service"``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tumar.chats.model import MessageKind

__all__ = [
    "ATTACHED_NOTES",
    "DELETED_NOTES",
    "MARKS",
    "MARK_RE",
    "MEDIA_OMITTED",
    "Content",
    "attachment_name",
    "interpret",
    "media_kind",
]

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
MARK_RE = re.compile(f"[{MARKS}]")

MEDIA_OMITTED: tuple[str, ...] = (
    "<Media omitted>",
    "<Медиа отсутствуют>",
    "<Медиафайл отсутствует>",
    "<Без медиафайлов>",
    "<Медиафайлдар жоқ>",
    "<Медиа файлдар жоқ>",
    "<Медиафайл қосылмаған>",
    "<Медиа файлдар жок>",
    "<Медиафайлдар жок>",
    "<Медиа жок>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    "изображение отсутствует",
    "видео отсутствует",
    "аудио отсутствует",
    "стикер отсутствует",
    "GIF отсутствует",
    "документ отсутствует",
    "сурет жоқ",
    "бейне жоқ",
    "сүрөт жок",
    "видео жок",
)
"""Known media-omitted placeholders; any other whole-message ``<...>`` is taken as one too."""

DELETED_NOTES: tuple[str, ...] = (
    "This message was deleted",
    "You deleted this message",
    "Данное сообщение удалено",
    "Это сообщение удалено",
    "Сообщение удалено",
    "Вы удалили данное сообщение",
    "Вы удалили это сообщение",
    "Бұл хабар жойылды",
    "Бұл хабарлама жойылды",
    "Сіз бұл хабарды жойдыңыз",
    "Сіз бұл хабарламаны жойдыңыз",
    "Бул билдирүү өчүрүлдү",
    "Бул билдирүү өчүрүлгөн",
    "Бул кабар өчүрүлдү",
    "Сиз бул билдирүүнү өчүрдүңүз",
)
"""Notes WhatsApp leaves where a message was deleted (the whole message)."""

ATTACHED_NOTES: tuple[str, ...] = (
    "file attached",
    "файл добавлен",
    "файл прикреплен",
    "файл прикреплён",
    "файл тіркелді",
    "файл тіркелген",
    "файл қосылды",
    "файл тиркелди",
    "файл тиркелген",
    "файл кошулду",
)
"""Android's note after an attachment's file name: ``IMG-...jpg (file attached)``."""

_OMITTED = {MARK_RE.sub("", s).casefold() for s in MEDIA_OMITTED}
_DELETED = {s.casefold() for s in DELETED_NOTES}
_ATTACHED = {s.casefold() for s in ATTACHED_NOTES}
_ANY_PLACEHOLDER = re.compile(r"^<[^<>\n]{2,60}>$")
_IOS_OMITTED = re.compile(r"^\S+(?: \S+)? (?:omitted|отсутствует|отсутствуют|жоқ|жок)$", re.I)
_EDITED = re.compile(
    r"\s*<[^<>\n]{0,40}(?:edited|изменен|изменён|өзгертіл|өзгөртүл|түзөтүл)[^<>\n]{0,20}>$", re.I
)
_ANDROID_ATTACHMENT = re.compile(
    r"^(?P<name>[^\s/\\<>][^/\\<>]{0,200}?\.[A-Za-z0-9]{1,5}) \((?P<note>[^()]{2,40})\)$"
)
_IOS_ATTACHMENT = re.compile(r"^<(?P<note>[^:<>]{2,30}): (?P<name>[^<>/\\]{1,200}\.[A-Za-z0-9]{1,5})>$")
_WA_FILE_NAME = re.compile(
    r"^(?:(?:IMG|VID|AUD|PTT|STK|DOC|GIF)-\d{8}-WA\d{3,}"
    r"|\d{8}-(?:PHOTO|VIDEO|AUDIO|GIF|STICKER|DOCUMENT)-)",
    re.I,
)

# System notes: (action, pattern searched in the note). Used for lines without a sender and for iOS notes.
_SYSTEM: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (action, re.compile(pattern, re.I))
    for action, pattern in (
        (
            "missed_call",
            r"missed (?:voice |video )?call|пропущенный (?:аудио|видео)?звонок|қабылданбаған|жооп берилбеген",
        ),
        ("encryption_notice", r"end-to-end|шифр"),
        ("security_code_changed", r"security code|код безопасности|қауіпсіздік код|коопсуздук код"),
        (
            "create_group",
            r"created (?:the )?group|создал\S* группу|создали группу|топ құрды|топты құрды|топ түздү|топту түздү",
        ),
        ("remove_members", r"\bremoved\b|удалил\(а\)|удалили|шығарып таста|чыгарып салды|чыгарды"),
        ("add_members", r"\badded\b|добавил|қосты|кошту"),
        ("join", r"joined using|присоединил|қосылды|кошулду"),
        ("leave", r"\bleft\b|вышел|вышла|шықты|чыгып кетти|чыкты"),
        (
            "change_subject",
            r"changed the (?:subject|group name|group description)|изменил\S* (?:тему|название|описание)|атауын өзгертті|атын өзгөрттү",
        ),
        (
            "change_icon",
            r"changed this group's icon|изображение (?:этой )?группы|суретін өзгертті|сүрөтүн өзгөрттү",
        ),
        (
            "change_number",
            r"changed (?:their|your) phone number|changed to|сменил\S* номер|нөмірін өзгертті|номерин өзгөрттү",
        ),
        ("block", r"blocked this contact|заблокировали|бұғаттадыңыз|бөгөттөдүңүз"),
        ("unblock", r"unblocked this contact|разблокировали|бұғаттан шығардыңыз|бөгөттөн чыгардыңыз"),
        (
            "disappearing_messages",
            r"disappearing messages|исчезающие сообщения|жоғалатын хабар|жоголуучу билдирүү",
        ),
    )
)


@dataclass(frozen=True, slots=True)
class Content:
    """What one message says once WhatsApp's notes are read: kind, sender, text, media and notes."""

    kind: MessageKind
    sender: str | None
    text: str
    action: str | None = None
    media: tuple[tuple[str, str], ...] = ()  # (file name or "", kind); "" when the file was left out
    extra: dict[str, str] = field(default_factory=dict)


def media_kind(name: str) -> str:
    """photo, video, voice, audio, sticker, animation or file, from WhatsApp's file naming and extension."""
    upper = name.upper()
    ext = posixpath.splitext(name)[1].lower()
    if upper.startswith("PTT-") or ext == ".opus":
        return "voice"
    if upper.startswith("STK-") or "-STICKER-" in upper or ext == ".webp":
        return "sticker"
    if "-GIF-" in upper or upper.startswith("GIF-") or ext == ".gif":
        return "animation"
    if upper.startswith("IMG-") or "-PHOTO-" in upper or ext in {".jpg", ".jpeg", ".png", ".heic"}:
        return "photo"
    if upper.startswith("VID-") or "-VIDEO-" in upper or ext in {".mp4", ".mov", ".3gp", ".mkv", ".avi"}:
        return "video"
    if (
        upper.startswith("AUD-")
        or "-AUDIO-" in upper
        or ext in {".m4a", ".mp3", ".aac", ".ogg", ".wav", ".amr"}
    ):
        return "audio"
    return "file"


def attachment_name(first_line: str, exists: Callable[[str], bool] | None = None) -> str | None:
    """The attached file's name if ``first_line`` announces an attachment."""
    line = _strip_marks(first_line)
    match = _IOS_ATTACHMENT.match(line)
    if match is not None:
        return match["name"]
    match = _ANDROID_ATTACHMENT.match(line)
    if match is not None:
        name = match["name"]
        known = match["note"].strip().casefold() in _ATTACHED or _WA_FILE_NAME.match(name) is not None
        if known or (exists is not None and exists(name)):
            return name
    return None


def interpret(sender: str | None, text: str, exists: Callable[[str], bool] | None = None) -> Content:
    """Read WhatsApp's own notes in a message: system lines, deletions, edits, placeholders, attachments."""
    plain = _strip_marks(text)
    if sender is None:
        return Content("service", None, plain, action=_system_action(plain))
    if plain.rstrip(".").casefold() in _DELETED:
        return Content("message", sender, "", extra={"deleted": "true", "note": plain})
    if _marked(text) and "\n" not in plain:
        action = _system_action(plain)
        if action == "missed_call":
            return Content("service", sender, plain, action=action)
        if action is not None:
            return Content("service", None, plain, action=action, extra={"attributed_to": sender})
    extra: dict[str, str] = {}
    edited = _EDITED.search(text)
    if edited is not None:
        extra["edited"] = "true"
        text = text[: edited.start()]
        plain = _strip_marks(text)
    first, _, caption = text.partition("\n")
    name = attachment_name(first, exists)
    if name is not None:
        return Content("message", sender, caption.strip("\n"), media=((name, media_kind(name)),), extra=extra)
    if "\n" not in plain and (
        plain.casefold() in _OMITTED
        or _ANY_PLACEHOLDER.match(plain)
        or (_marked(text) and _IOS_OMITTED.match(plain))
    ):
        extra["media_omitted"] = plain
        return Content("message", sender, "", media=(("", _placeholder_kind(plain)),), extra=extra)
    return Content("message", sender, text.strip("\n"), extra=extra)


def _marked(text: str) -> bool:
    """iOS starts its own notes (system lines, placeholders, attachments) with a left-to-right mark."""
    return bool(text) and text[0] in MARKS


def _strip_marks(text: str) -> str:
    return text.strip(MARKS + " \t").strip()


def _system_action(note: str) -> str | None:
    for action, pattern in _SYSTEM:
        if pattern.search(note):
            return action
    return None


def _placeholder_kind(note: str) -> str:
    lower = note.casefold()
    for kind, words in (
        ("photo", ("image", "photo", "изображ", "фото", "сурет", "сүрөт")),
        ("video", ("video", "видео", "бейне")),
        ("voice", ("voice", "голос", "дауыс")),
        ("audio", ("audio", "аудио")),
        ("sticker", ("sticker", "стикер")),
        ("animation", ("gif",)),
    ):
        if any(word in lower for word in words):
            return kind
    return "file"
