"""Telegram Desktop JSON exports: every field, both shapes, zips, media, errors with positions, path safety."""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from tests.chats.conftest import FIXTURES, read_messages
from tumar.chats.importers import TelegramExport, open_export
from tumar.chats.model import ChatMessage, MediaRef
from tumar.errors import ImportFormatError

SINGLE = FIXTURES / "telegram_single"
ACCOUNT = FIXTURES / "telegram_account"
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
PHOTO = "photos/photo_1@02-01-2026_21-22-10.jpg"

BEKZAT = ("Бекзат", "user5123456789")
AIPERI = ("Айпери Касымова", "user6234567890")

# id, kind, (sender, sender_id), text, action, edited, forwarded_from, reply_to
SINGLE_ROWS = [
    (
        "101",
        "message",
        BEKZAT,
        "Айпери, эмне үчүн жооп бербейсиң? я же вижу что ты онлайн",
        None,
        None,
        None,
        None,
    ),
    ("102", "message", AIPERI, "Бекзат, биз бүттүк. Пожалуйста, не пиши мне больше", None, None, None, None),
    (
        "103",
        "message",
        BEKZAT,
        "Ты пожалеешь. Бардык сүрөттөрүң менде, помнишь? Вот группа куда скину: тут",
        None,
        datetime(2026, 1, 2, 21, 20, 44),
        None,
        None,
    ),
    ("104", "message", BEKZAT, "Таанып жатасыңбы? 😏", None, None, None, None),
    ("105", "message", BEKZAT, "", None, None, None, None),
    ("106", "service", BEKZAT, "", "phone_call", None, None, None),
    (
        "107",
        "message",
        BEKZAT,
        "@aiperi_k05 ушул кызды тааныгандар жазгыла #ош #слив",
        None,
        None,
        "Ош сплетни 18+",
        None,
    ),
    ("108", "message", AIPERI, "Өчүр муну азыр! Я напишу заявление в милицию", None, None, None, "104"),
    (
        "109",
        "message",
        BEKZAT,
        "пиши) а я пока маме твоей отправлю, номер же +996 700 123 456 правильно? и на kasymova.g@mail.kg тоже все видео 🔥",
        None,
        None,
        None,
        None,
    ),
    ("110", "message", BEKZAT, "", None, None, None, None),
    ("111", "service", AIPERI, "", "pin_message", None, None, None),
    ("112", "service", BEKZAT, "", "phone_call", None, None, None),
]

SINGLE_MEDIA = {
    "104": (MediaRef(PHOTO, "photo", True),),
    "105": (MediaRef("", "voice", False),),
    "110": (
        MediaRef("stickers/sticker.webp", "sticker", False),
        MediaRef("stickers/sticker.webp_thumb.jpg", "thumbnail", False),
    ),
}

SINGLE_EXTRA = {
    "103": {"links": "https://t.me/+FAKEinviteQx7"},
    "104": {"width": "8", "height": "8"},
    "105": {
        "media_type": "voice_message",
        "mime_type": "audio/ogg",
        "duration_seconds": "23",
        "file_note": NOT_INCLUDED,
    },
    "106": {"discard_reason": "missed"},
    "110": {"media_type": "sticker", "sticker_emoji": "😈", "width": "512", "height": "512"},
    "111": {"message_id": "103"},
    "112": {"duration_seconds": "4", "discard_reason": "hangup"},
}


@pytest.fixture(scope="module")
def single() -> dict[str, ChatMessage]:
    return {m.id: m for m in read_messages(SINGLE)}


@pytest.fixture(scope="module")
def account() -> list[ChatMessage]:
    return read_messages(ACCOUNT)


@pytest.mark.parametrize(
    ("ident", "kind", "who", "text", "action", "edited", "forwarded", "reply_to"),
    SINGLE_ROWS,
    ids=[r[0] for r in SINGLE_ROWS],
)
def test_single_chat_fields(single, ident, kind, who, text, action, edited, forwarded, reply_to):
    message = single[ident]
    assert (message.kind, message.sender, message.sender_id) == (kind, *who)
    assert message.text == text
    assert message.action == action
    assert message.edited == edited
    assert message.forwarded_from == forwarded
    assert message.reply_to == reply_to
    assert message.media == SINGLE_MEDIA.get(ident, ())
    assert message.extra == SINGLE_EXTRA.get(ident, {})
    assert (message.chat, message.chat_id) == ("Бекзат", "5123456789")


def test_single_chat_order_dates_and_sources():
    messages = read_messages(SINGLE)
    assert [m.id for m in messages] == [str(i) for i in range(101, 113)]
    assert messages[0].date == datetime(2026, 1, 2, 21, 14, 7)
    assert messages[-1].date == datetime(2026, 1, 3, 0, 12, 49)
    assert [m.source for m in messages[:2]] == ["result.json, message 1", "result.json, message 2"]
    assert all(m.date is not None and m.date.tzinfo is None for m in messages)


def test_photo_is_read_from_the_folder():
    with open_export(SINGLE) as export:
        assert export.platform == "telegram"
        assert list(export.media_paths()) == [PHOTO]
        stream = export.open_media(PHOTO)
        assert stream is not None
        with stream, Image.open(stream) as image:
            assert image.format == "JPEG" and image.size == (8, 8)
        assert export.open_media("photos/absent.jpg") is None


def test_messages_can_be_read_twice():
    with open_export(SINGLE) as export:
        first = [m.id for m in export.messages()]
        assert [m.id for m in export.messages()] == first


# -- full-account export -------------------------------------------------------------------------------------


def test_account_export_reads_every_chat_and_left_chat_in_order(account):
    chats = [(m.chat, m.chat_id) for m in account]
    assert list(dict.fromkeys(chats)) == [
        ("Ержан", "7445566778"),
        ("Әсем", "7009988776"),
        ("ҚазҰУ 2 курс 🎓", "4900012345"),
        ("Барахолка Алматы", "1500012345"),
    ]
    assert len(account) == 18  # contacts, frequent contacts and personal information are not messages
    assert account[0].source == "result.json, chat 1, message 1"
    assert account[-1].source == "result.json, chat 4, message 2"


def test_account_export_kazakh_chat(account):
    asem = [m for m in account if m.chat == "Әсем"]
    assert [m.id for m in asem] == ["3301", "3302", "3303", "3304"]
    assert asem[0].text == "Дана, калайсын? сенің суретің бір телеграм каналда жүр, кордин бе?"
    assert asem[1].media == (MediaRef("", "photo", False),)
    assert asem[1].extra["photo_note"] == NOT_INCLUDED
    assert asem[2].reply_to == "3301"
    assert asem[3].text == "Міне: https://t.me/almaty_kyzdary_fake шағым жіберейік бәріміз"


def test_account_export_media_service_and_poll(account):
    by_id = {m.id: m for m in account}
    video = by_id["2204"]
    assert video.media == (
        MediaRef("", "video", False),
        MediaRef("chats/chat_001/video_files/IMG_4471.MOV_thumb.jpg", "thumbnail", True),
    )
    assert video.extra["file_note"].startswith("(File exceeds maximum size")
    assert by_id["2206"].edited == datetime(2026, 1, 6, 0, 16, 2)
    assert by_id["2206"].extra == {"links": "https://2gis.kz/almaty/geo/0000000000000000"}
    group = by_id["4401"]
    assert (group.kind, group.action, group.sender) == ("service", "create_group", "Марат Б.")
    assert group.extra == {"title": "ҚазҰУ 2 курс", "members": "Дана Сейткали, Жанель"}
    assert by_id["4403"].extra == {"inviter": "Марат Б."}
    assert by_id["4406"].extra == {
        "poll.question": "Шағым жазамыз ба?",
        "poll.closed": "false",
        "poll.total_voters": "3",
        "poll.answers": "Иә | Жоқ",
    }
    assert by_id["902"].action == "remove_members"


def test_account_media_paths():
    with open_export(ACCOUNT) as export:
        assert list(export.media_paths()) == ["chats/chat_001/video_files/IMG_4471.MOV_thumb.jpg"]


@pytest.mark.parametrize("name", ["telegram_single", "telegram_account"])
def test_keys_in_any_order_give_the_same_messages(tmp_path, name):
    """A tool that re-sorted the keys puts "messages" before "name": the chat's name is read ahead."""
    source = FIXTURES / name / "result.json"
    sorted_copy = tmp_path / "result.json"
    sorted_copy.write_text(
        json.dumps(json.loads(source.read_text("utf-8")), ensure_ascii=False, sort_keys=True), "utf-8"
    )
    original = read_messages(source)
    resorted = read_messages(sorted_copy)
    assert [(m.chat, m.chat_id, m.id, m.text) for m in resorted] == [
        (m.chat, m.chat_id, m.id, m.text) for m in original
    ]


def test_bom_and_other_file_name(tmp_path):
    copy = tmp_path / "export.json"
    copy.write_bytes(b"\xef\xbb\xbf" + (SINGLE / "result.json").read_bytes())
    assert [m.id for m in read_messages(copy)] == [str(i) for i in range(101, 113)]


def test_chat_without_name_is_named_by_type_or_id(tmp_path):
    path = tmp_path / "result.json"
    message = {
        "id": 1,
        "type": "message",
        "date": "2026-01-01T10:00:00",
        "from": "Я",
        "from_id": "user1",
        "text": "x",
    }
    path.write_text(json.dumps({"type": "saved_messages", "id": 99, "messages": [message]}), "utf-8")
    assert read_messages(path)[0].chat == "Saved Messages"
    path.write_text(
        json.dumps({"name": None, "type": "personal_chat", "id": 42, "messages": [message]}), "utf-8"
    )
    assert read_messages(path)[0].chat == "chat 42"


# -- zips ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "ChatExport_2026-01-03/"])
def test_zip_export(make_zip, prefix):
    archive = make_zip("telegram_single", "ChatExport.zip", prefix=prefix)
    with open_export(archive) as export:
        assert isinstance(export, TelegramExport)
        assert export.source == str(archive)
        messages = list(export.messages())
        assert [m.id for m in messages] == [str(i) for i in range(101, 113)]
        assert {m.id: m.media for m in messages if m.media} == SINGLE_MEDIA
        assert list(export.media_paths()) == [PHOTO]
        stream = export.open_media(PHOTO)
        assert stream is not None
        with stream:
            assert stream.read() == (SINGLE / PHOTO).read_bytes()


def test_account_zip_keeps_nested_media(make_zip):
    archive = make_zip("telegram_account", "DataExport.zip", prefix="DataExport_2026-01-07/")
    by_id = {m.id: m for m in read_messages(archive)}
    assert by_id["2204"].media[1] == MediaRef(
        "chats/chat_001/video_files/IMG_4471.MOV_thumb.jpg", "thumbnail", True
    )


# -- errors name the file and the position ---------------------------------------------------------------------


def test_truncated_file():
    path = FIXTURES / "corrupt" / "truncated_result.json"
    with pytest.raises(ImportFormatError) as caught:
        read_messages(path)
    error = caught.value
    assert error.source == str(path)
    size = path.stat().st_size
    assert error.position == f"message 5, byte {size} (end of file: the file is cut short)"
    assert "truncated_result.json, message 5, byte" in str(error)


def test_truncated_account_export_names_the_chat(tmp_path):
    data = (ACCOUNT / "result.json").read_bytes()
    cut = data.index(b'"id": 3303')
    path = tmp_path / "result.json"
    path.write_bytes(data[:cut])
    with pytest.raises(ImportFormatError, match=r"chat 2, message 3, byte \d+ \(end of file"):
        read_messages(path)


def test_messages_before_a_truncation_are_yielded():
    export = open_export(FIXTURES / "corrupt" / "truncated_result.json")
    seen = []
    with export, pytest.raises(ImportFormatError):
        for message in export.messages():
            seen.append(message.id)
    assert seen == ["101", "102", "103", "104"]


def test_missing_date():
    path = FIXTURES / "corrupt" / "missing_date_result.json"
    with pytest.raises(ImportFormatError) as caught:
        read_messages(path)
    assert caught.value.position == f"message 3 (id 203), field 'date', before byte {path.stat().st_size}"
    assert str(caught.value).endswith("the message has no date")


def test_syntax_error_is_located_to_64_bytes(tmp_path):
    data = (ACCOUNT / "result.json").read_bytes()
    offset = data.index('"Жоқ... қай канал?'.encode())
    broken = data[:offset] + b"\x01" + data[offset + 1 :]
    path = tmp_path / "result.json"
    path.write_bytes(broken)
    with pytest.raises(ImportFormatError) as caught:
        read_messages(path)
    error = caught.value
    assert "malformed JSON" in str(error)
    assert error.position.startswith("chat 2, message 3, bytes ")
    low, high = (int(x) for x in error.position.rsplit(" ", 1)[1].split("–"))
    assert low <= offset < high and high - low <= 64 * 2
    assert "Жоқ" not in str(error)  # ijson quotes the file; the error must not carry message text


def _single(messages: list[dict]) -> bytes:
    return json.dumps({"name": "X", "type": "personal_chat", "id": 1, "messages": messages}).encode()


GOOD = {
    "id": 1,
    "type": "message",
    "date": "2026-01-01T10:00:00",
    "from": "X",
    "from_id": "user1",
    "text": "ok",
}

BAD_DOCUMENTS = [
    ("empty file", b"", "the file is empty"),
    ("only spaces", b" \n ", "the file is empty"),
    ("array", b"[1, 2]", "not a Telegram export: the JSON is not an object"),
    ("no messages", b'{"name": "X", "about": "y"}', "neither 'messages' nor 'chats'"),
    ("no id", _single([GOOD, {**GOOD, "id": None}]), "message 2, field 'id'"),
    ("bad date", _single([{**GOOD, "date": "вчера"}]), "message 1 (id 1), field 'date'"),
    ("bad edited", _single([{**GOOD, "edited": 5}]), "message 1 (id 1), field 'edited'"),
    ("text is a number", _single([{**GOOD, "text": 5}]), "field 'text'"),
    ("entity is a number", _single([{**GOOD, "text": ["a", 5]}]), "field 'text'"),
    ("photo is a number", _single([{**GOOD, "photo": 5}]), "field 'photo'"),
    ("message not an object", _single([GOOD, "hello"]), "message 2, before byte"),
    (
        "trailing garbage",
        _single([GOOD]) + b" xx",
        "after the end of the export's JSON, bytes 128–172: malformed JSON",
    ),
    (
        "chat not an object",
        json.dumps({"chats": {"list": [{"name": "A", "messages": [GOOD]}, 7]}}).encode(),
        "chat 2, before byte",
    ),
]


@pytest.mark.parametrize(("case", "data", "expected"), BAD_DOCUMENTS, ids=[c[0] for c in BAD_DOCUMENTS])
def test_malformed_documents(tmp_path, case, data, expected):
    path = tmp_path / "result.json"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as caught:
        read_messages(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(str(path))


# -- path safety -----------------------------------------------------------------------------------------------


def _export_with_paths(folder: Path, paths: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    messages = [{**GOOD, "id": i + 1, "photo": p} for i, p in enumerate(paths)]
    (folder / "result.json").write_bytes(_single(messages))
    return folder


def test_paths_leaving_the_export_are_never_present_nor_opened(tmp_path, caplog):
    (tmp_path / "secret.jpg").write_bytes(b"outside")
    export_dir = _export_with_paths(
        tmp_path / "ChatExport", ["../secret.jpg", str(tmp_path / "secret.jpg"), "photos/../../secret.jpg"]
    )
    with caplog.at_level(logging.WARNING), open_export(export_dir) as export:
        assert [m.media[0].present for m in export.messages()] == [False, False, False]
        for path in (
            "../secret.jpg",
            str(tmp_path / "secret.jpg"),
            "photos/../../secret.jpg",
            "C:\\x.jpg",
            "",
        ):
            with pytest.raises(ImportFormatError, match="points outside the export"):
                export.open_media(path)
    assert "leaves the export" in caplog.text and "secret" not in caplog.text


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_out_of_the_export_is_rejected(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"outside")
    export_dir = _export_with_paths(tmp_path / "ChatExport", ["photos/link.jpg"])
    (export_dir / "photos").mkdir()
    (export_dir / "photos" / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    with open_export(export_dir) as export:
        assert next(iter(export.messages())).media[0].present is False
        assert list(export.media_paths()) == []
        with pytest.raises(ImportFormatError, match="points outside the export"):
            export.open_media("photos/link.jpg")


def test_zip_members_escaping_the_archive_are_ignored(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "result.json",
            _single([{**GOOD, "photo": "../evil.jpg"}, {**GOOD, "id": 2, "photo": "photos/ok.jpg"}]),
        )
        zf.writestr("../evil.jpg", b"x")
        zf.writestr("photos/ok.jpg", b"y")
        zf.writestr("/abs.jpg", b"z")
    with open_export(archive) as export:
        assert [m.media[0].present for m in export.messages()] == [False, True]
        assert list(export.media_paths()) == ["photos/ok.jpg"]
        with pytest.raises(ImportFormatError):
            export.open_media("../evil.jpg")
        stream = export.open_media("photos/ok.jpg")
        assert stream is not None and stream.read() == b"y"
        stream.close()


# -- privacy ---------------------------------------------------------------------------------------------------


def test_logs_carry_no_message_text(caplog):
    with caplog.at_level(logging.DEBUG, logger="tumar"):
        messages = read_messages(ACCOUNT)
    assert messages and caplog.records
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert not any(m.text and m.text in logged for m in messages)
    assert "Ержан" not in logged


def test_photo_bytes_are_a_valid_image():
    data = (SINGLE / PHOTO).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        image.verify()


def test_text_entities_are_used_when_text_is_absent(tmp_path):
    path = tmp_path / "result.json"
    entities = [
        {"type": "plain", "text": "салам "},
        {"type": "text_link", "text": "мында", "href": "https://x.kg/a"},
    ]
    message = {k: v for k, v in GOOD.items() if k != "text"} | {"text_entities": entities}
    path.write_bytes(_single([message]))
    [read] = read_messages(path)
    assert (read.text, read.extra) == ("салам мында", {"links": "https://x.kg/a"})


def test_empty_result_json_in_a_folder_fails_when_read(tmp_path):
    (tmp_path / "result.json").write_bytes(b"")
    with open_export(tmp_path) as export, pytest.raises(ImportFormatError) as caught:
        list(export.messages())
    assert caught.value.position == "byte 0 (end of file: the file is cut short)"
