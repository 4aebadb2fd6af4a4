"""Chat import speed and memory: generates a Telegram Desktop export of N messages (a realistic mix of short and
long texts in ru/ky/kk/en, entity lists, media, replies, edits, forwards and service messages from several
senders), then streams it through ``open_export(...).messages()`` and prints messages/s, MB/s, the tracemalloc
peak and the process's maximum RSS. Prints numbers; asserts nothing.

Usage: python benchmarks/chat_import.py [--n 100000] [--seed 7] [--account] [--keep DIR]

``generate_telegram_export(path, n, seed)`` is reusable: it writes ``path/result.json`` (plus one tiny photo)
message by message, never holding the export in memory.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tumar.chats.importers import open_export  # noqa: E402

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"

SENDERS: tuple[tuple[str, str], ...] = (
    ("Айпери", "user6234567890"),
    ("Бекзат", "user5123456789"),
    ("Әсем", "user7009988776"),
    ("Ержан", "user7445566778"),
    ("Madina", "user7111222333"),
    ("Нурлан Ж.", "user5999888777"),
)

PHRASES: dict[str, tuple[str, ...]] = {
    "ru": (
        "ты где сейчас",
        "почему не отвечаешь?",
        "я видел тебя у подъезда",
        "скинь пароль от инсты, мне просто проверить",
        "если не ответишь, все узнают",
        "Пожалуйста, не пиши мне больше",
        "я напишу заявление в милицию",
        "ладно, давай завтра поговорим спокойно",
        "мама спрашивала про тебя",
        "удали эти фотки, я прошу",
    ),
    "ky": (
        "эмне үчүн жооп бербейсиң",
        "кайдасың азыр",
        "сүрөттөрүң менде, унутпа",
        "биз бүттүк, жазба мага",
        "апаңа жиберейинби?",
        "эртең сабакка барасыңбы",
        "тушундунбу же жокпу",
        "мен сени көрдүм кечээ",
    ),
    "kk": (
        "неге жауап бермейсің",
        "қайдасың қазір",
        "суретің каналда жүр, көрдің бе",
        "маған хабарласпа",
        "полицияға арыз жазамын",
        "калайсын, бәрі жаксы ма",
        "ертең кездесейік",
    ),
    "en": (
        "where are you right now",
        "why r u ignoring me",
        "answer or everyone sees the pics",
        "please stop texting me",
        "I'm screenshotting everything",
        "ok sorry, can we talk?",
    ),
}

ENTITY_TYPES = ("bold", "italic", "mention", "hashtag", "phone", "email", "spoiler", "link")


def generate_telegram_export(path: Path, n: int = 100_000, seed: int = 7, *, account: bool = False) -> Path:
    """Write a Telegram Desktop export of ``n`` messages into the folder ``path``; return its result.json.

    ``account=True`` writes a full-account export (personal information, contacts, four chats, a left chat);
    otherwise one personal chat. Deterministic for a given seed.
    """
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    photos = path / ("chats/chat_001/photos" if account else "photos")
    photos.mkdir(parents=True, exist_ok=True)
    photo_path = photos / "photo_1@02-01-2026_21-22-10.jpg"
    photo_path.write_bytes(_tiny_jpeg())
    photo_rel = photo_path.relative_to(path).as_posix()
    result = path / "result.json"
    with result.open("w", encoding="utf-8") as out:
        if account:
            out.write('{\n "about": "Here is the data you requested.",\n')
            out.write(
                ' "personal_information": {"user_id": 6234567890, "first_name": "Айпери", "phone_number": "+996 555 00 11 22"},\n'
            )
            out.write(' "contacts": {"about": "Contacts.", "list": [\n')
            out.write(
                ",\n".join(
                    json.dumps(
                        {
                            "user_id": 7000000000 + i,
                            "first_name": f"Контакт {i}",
                            "phone_number": f"+7 700 {i:07d}",
                        }
                    )
                    for i in range(200)
                )
            )
            out.write("\n ]},\n")
            chats = _split(n, 4, rng)
            out.write(' "chats": {"about": "Chats.", "list": [\n')
            first = 1
            for index, count in enumerate(chats):
                if index:
                    out.write(",\n")
                _write_chat(out, rng, f"Чат {index + 1}", 4_000_000_000 + index, first, count, photo_rel)
                first += count
            out.write('\n ]},\n "left_chats": {"about": "Left.", "list": [\n')
            _write_chat(out, rng, "Барахолка", 1_500_012_345, first, 3, photo_rel)
            out.write("\n ]}\n}\n")
        else:
            out.write("{\n")
            _write_chat_body(out, rng, "Бекзат", 5_123_456_789, 1, n, photo_rel, indent="")
            out.write("}\n")
    return result


def _split(n: int, parts: int, rng: random.Random) -> list[int]:
    weights = [rng.random() + 0.5 for _ in range(parts)]
    counts = [int(n * w / sum(weights)) for w in weights]
    counts[0] += n - sum(counts)
    return counts


def _write_chat(
    out: TextIO, rng: random.Random, name: str, ident: int, first: int, count: int, photo: str
) -> None:
    out.write("  {\n")
    _write_chat_body(out, rng, name, ident, first, count, photo, indent="  ")
    out.write("  }")


def _write_chat_body(
    out: TextIO, rng: random.Random, name: str, ident: int, first: int, count: int, photo: str, *, indent: str
) -> None:
    out.write(f'{indent} "name": {json.dumps(name, ensure_ascii=False)},\n')
    out.write(f'{indent} "type": "personal_chat",\n{indent} "id": {ident},\n{indent} "messages": [\n')
    for offset, message in enumerate(_messages(rng, first, count, photo)):
        if offset:
            out.write(",\n")
        body = json.dumps(message, ensure_ascii=False, indent=1)
        out.write("\n".join(f"{indent}  {line}" for line in body.splitlines()))
    out.write(f"\n{indent} ]\n")


def _messages(rng: random.Random, first: int, count: int, photo: str) -> Iterator[dict[str, Any]]:
    moment = datetime(2025, 6, 1, 9, 0, 0)
    for ident in range(first, first + count):
        moment += timedelta(seconds=rng.randint(5, 900))
        sender, sender_id = rng.choice(SENDERS)
        stamp = moment.isoformat()
        roll = rng.random()
        if roll < 0.05:
            action = rng.choice(("phone_call", "phone_call", "pin_message", "invite_members"))
            message: dict[str, Any] = {
                "id": ident,
                "type": "service",
                "date": stamp,
                "date_unixtime": str(int(moment.timestamp())),
                "actor": sender,
                "actor_id": sender_id,
                "action": action,
            }
            if action == "phone_call":
                message["discard_reason"] = rng.choice(("missed", "hangup", "busy"))
                if message["discard_reason"] == "hangup":
                    message["duration_seconds"] = rng.randint(1, 600)
            elif action == "pin_message":
                message["message_id"] = max(first, ident - rng.randint(1, 20))
            else:
                message["members"] = [rng.choice(SENDERS)[0]]
            message["text"] = ""
            message["text_entities"] = []
            yield message
            continue
        message = {
            "id": ident,
            "type": "message",
            "date": stamp,
            "date_unixtime": str(int(moment.timestamp())),
            "from": sender,
            "from_id": sender_id,
        }
        if rng.random() < 0.05:
            edited = moment + timedelta(seconds=rng.randint(5, 120))
            message["edited"] = edited.isoformat()
            message["edited_unixtime"] = str(int(edited.timestamp()))
        if rng.random() < 0.10 and ident > first:
            message["reply_to_message_id"] = ident - rng.randint(1, min(30, ident - first))
        if rng.random() < 0.03:
            message["forwarded_from"] = rng.choice(("Ош сплетни 18+", "Алматы новости", "Aigerim K."))
        media = rng.random()
        if media < 0.04:
            message["photo"] = photo if rng.random() < 0.5 else NOT_INCLUDED
            message["width"], message["height"] = 1280, 960
        elif media < 0.07:
            message["file"] = NOT_INCLUDED
            message["media_type"] = "voice_message"
            message["mime_type"] = "audio/ogg"
            message["duration_seconds"] = rng.randint(1, 90)
        text = _text(rng)
        if rng.random() < 0.15:
            parts: list[Any] = [text + " "]
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(ENTITY_TYPES)
                parts.append({"type": kind, "text": _entity_text(rng, kind)})
                parts.append(" ")
            if rng.random() < 0.3:
                parts.append(
                    {"type": "text_link", "text": "тут", "href": f"https://t.me/+fake{rng.randint(1, 99999)}"}
                )
            message["text"] = parts
            message["text_entities"] = [
                p if isinstance(p, dict) else {"type": "plain", "text": p} for p in parts
            ]
        else:
            message["text"] = text
            message["text_entities"] = [{"type": "plain", "text": text}] if text else []
        yield message


def _text(rng: random.Random) -> str:
    language = rng.choices(("ru", "ky", "kk", "en"), weights=(4, 3, 2, 1))[0]
    phrases = PHRASES[language]
    if rng.random() < 0.8:
        return rng.choice(phrases)
    return ". ".join(rng.choice(phrases) for _ in range(rng.randint(3, 25)))


def _entity_text(rng: random.Random, kind: str) -> str:
    return {
        "mention": "@aiperi_k05",
        "hashtag": "#слив",
        "phone": "+996 700 123 456",
        "email": "kasymova.g@mail.kg",
        "link": "https://t.me/almaty_kyzdary_fake",
    }.get(kind, rng.choice(PHRASES["ru"]))


def _tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (180, 120, 90)).save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


def _stream(path: Path) -> tuple[int, float]:
    start = time.perf_counter()
    count = 0
    with open_export(path) as export:
        for _message in export.messages():
            count += 1
    return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--account", action="store_true", help="a full-account export (several chats, contacts)"
    )
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tumar-bench-") as tmp:
        folder = args.keep or Path(tmp) / "ChatExport"
        start = time.perf_counter()
        result = generate_telegram_export(folder, args.n, args.seed, account=args.account)
        size_mb = result.stat().st_size / 1e6
        kind = "full-account" if args.account else "single-chat"
        print(f"== Tumar chat import: {kind} Telegram export, {args.n:,} messages, {size_mb:.1f} MB")
        print(f"generated in {time.perf_counter() - start:.1f} s")

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        count, seconds = _stream(folder)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"streamed {count:,} messages in {seconds:.2f} s: {count / seconds:,.0f} messages/s, {size_mb / seconds:.1f} MB/s"
        )
        print(
            f"ru_maxrss: {rss_after / 1024:.1f} MB for the process (was {rss_before / 1024:.1f} MB before the import)"
        )

        gc.collect()
        tracemalloc.start()
        count, traced_seconds = _stream(folder)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"tracemalloc peak while streaming: {peak / 1e6:.2f} MB ({100 * peak / (size_mb * 1e6):.2f}% of the file); "
            f"run under tracemalloc took {traced_seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
