"""WhatsApp text exports: Android and iOS, ru/kk/ky/en, dates, notes, media, zips, encodings and errors."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest

from tests.chats.conftest import FIXTURES, read_messages
from tumar.chats.importers import WhatsAppExport, open_export
from tumar.chats.importers.whatsapp import interpret, match_header, split_sender
from tumar.chats.model import MediaRef
from tumar.errors import ImportFormatError

NNBSP = "\u202f"
LRM = "\u200e"

# (line id, date, kind, sender, text, action, media, extra) — one message per line
# fmt: off
ANDROID_RU = [
    ("L1", datetime(2025, 12, 31, 20, 2), "service", None, "Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата, даже WhatsApp, не может их прочитать или прослушать. Нажмите, чтобы узнать подробнее.", "encryption_notice", (), {}),
    ("L2", datetime(2025, 12, 31, 20, 2), "message", "Тимур", "Алина привет, с наступающим 🎄", None, (), {}),
    ("L3", datetime(2025, 12, 31, 20, 40), "message", "Алина", "Спасибо, и тебя", None, (), {}),
    ("L4", datetime(2025, 12, 31, 21, 38), "message", "Тимур", "видел тебя сегодня у общаги с каким то парнем.\nкто это?\nпочему ты мне не сказала", None, (), {}),
    ("L7", datetime(2025, 12, 31, 21, 41), "message", "Тимур", "это ты в синей куртке. я рядом стоял)", None, (MediaRef("IMG-20251231-WA0003.jpg", "photo", True),), {}),
    ("L9", datetime(2025, 12, 31, 21, 43), "message", "Алина", "Ты что, следишь за мной?? Удали это", None, (), {}),
    ("L10", datetime(2025, 12, 31, 21, 44), "message", "Тимур", "", None, (), {"deleted": "true", "note": "Данное сообщение удалено"}),
    ("L11", datetime(2025, 12, 31, 21, 50), "message", "Тимур", "", None, (MediaRef("", "file", False),), {"media_omitted": "<Медиа отсутствуют>"}),
    ("L12", datetime(2026, 1, 1, 0, 3), "message", "Тимур", "я знаю где ты живешь и во сколько выходишь. просто помни об этом", None, (), {"edited": "true"}),
    ("L13", datetime(2026, 1, 1, 0, 5), "service", None, "Ваш код безопасности для Тимур изменился. Нажмите, чтобы узнать подробнее.", "security_code_changed", (), {}),
    ("L14", datetime(2026, 1, 1, 0, 9), "service", None, "Вы заблокировали этот контакт. Нажмите, чтобы разблокировать.", "block", (), {}),
]

ANDROID_EN = [
    ("L1", datetime(2025, 12, 30, 22, 2), "service", None, "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.", "encryption_notice", (), {}),
    ("L2", datetime(2025, 12, 30, 22, 2), "message", "Daniyar", "hey Madina, saw ur story 🔥", None, (), {}),
    ("L3", datetime(2025, 12, 30, 22, 15), "message", "Madina", "thanks. who gave you my number?", None, (), {}),
    ("L4", datetime(2025, 12, 30, 22, 16), "message", "Daniyar", "doesnt matter)) ты же с Самала? I know ur building", None, (), {}),
    ("L5", datetime(2025, 12, 31, 1, 7), "message", "Daniyar", "why r u ignoring me\nanswer or I post the pics where everyone sees", None, (), {}),
    ("L7", datetime(2025, 12, 31, 1, 8), "message", "Daniyar", "", None, (MediaRef("", "file", False),), {"media_omitted": "<Media omitted>"}),
    ("L8", datetime(2025, 12, 31, 9, 41), "message", "Madina", "Stop. I'm screenshotting everything and going to the police", None, (), {}),
    ("L9", datetime(2025, 12, 31, 9, 43), "message", "Daniyar", "", None, (), {"deleted": "true", "note": "This message was deleted"}),
    ("L10", datetime(2026, 1, 2, 12, 5), "message", "Daniyar", "ok ok sorry. kechir. can we talk?", None, (), {}),
    ("L11", datetime(2026, 1, 2, 12, 30), "service", None, "You blocked this contact. Tap to unblock.", "block", (), {}),
]

IOS_KK = [
    ("L1", datetime(2025, 12, 31, 20, 0, 0), "service", None, "Хабарлар мен қоңыраулар өтпелі шифрлаумен қорғалған. Бұл чаттан тыс ешкім, тіпті WhatsApp та оларды оқи не тыңдай алмайды.", "encryption_notice", (), {"attributed_to": "Айжан"}),
    ("L2", datetime(2025, 12, 31, 21, 35, 12), "message", "Серік", "Айжан, неге жауап бермейсің", None, (), {}),
    ("L3", datetime(2025, 12, 31, 21, 36, 40), "message", "Айжан", "Серік, мен саған айттым ғой. Бізде бәрі бітті", None, (), {}),
    ("L4", datetime(2025, 12, 31, 21, 39, 2), "service", "Серік", "Қабылданбаған дауыстық қоңырау", "missed_call", (), {}),
    ("L5", datetime(2025, 12, 31, 21, 41, 5), "message", "Серік", "", None, (MediaRef("00000012-PHOTO-2025-12-31-21-41-05.jpg", "photo", True),), {}),
    ("L6", datetime(2025, 12, 31, 21, 41, 30), "message", "Серік", "мына суретті анаңа жіберейін бе?\nойлан жаксылап\n10 минут уакыт", None, (), {}),
    ("L9", datetime(2025, 12, 31, 21, 43, 17), "message", "Серік", "", None, (MediaRef("00000013-AUDIO-2025-12-31-21-43-17.opus", "voice", False),), {}),
    ("L10", datetime(2025, 12, 31, 21, 45), "message", "Серік", "", None, (), {"deleted": "true", "note": "Бұл хабар жойылды."}),
    ("L11", datetime(2025, 12, 31, 21, 47, 59), "message", "Серік", "", None, (MediaRef("", "photo", False),), {"media_omitted": "сурет жоқ"}),
    ("L12", datetime(2026, 1, 1, 9, 10, 3), "message", "Айжан", "Мен полицияға арыз жазамын. Хабарласпа маған", None, (), {}),
]

KYRGYZ = [
    ("L1", datetime(2025, 12, 31, 19, 20), "service", None, "Нурлан сизди кошту", "add_members", (), {}),
    ("L2", datetime(2025, 12, 31, 19, 21), "message", "Нурлан", "Кыздар саламатсыздарбы, жаңы жылыңар менен 🎉", None, (), {}),
    ("L3", datetime(2025, 12, 31, 22, 47), "message", "Бакыт", "караачы бул ким, 9Б дан эмеспи?? 😂", None, (), {}),
    ("L4", datetime(2025, 12, 31, 22, 47), "message", "Бакыт", "", None, (MediaRef("", "file", False),), {"media_omitted": "<Медиа файлдар жок>"}),
    ("L5", datetime(2025, 12, 31, 22, 49), "message", "Гүлзат", "Бакыт, муну өчүр. Бул Айданын сүрөтү, уруксатысыз таратууга болбойт", None, (), {}),
    ("L6", datetime(2025, 12, 31, 22, 50), "message", "Бакыт", "эмне болмок эле, баары эле көрүштү го\nномери да бар 0555 12 34 56 жазгыла ага 😂", None, (), {}),
    ("L8", datetime(2026, 1, 5, 8, 15), "message", "Гүлзат", "Бакытты топтон чыгарыңыздарчы, өтүнөм", None, (), {}),
    ("L9", datetime(2026, 1, 5, 8, 16), "message", "Бакыт", "", None, (), {"deleted": "true", "note": "Бул билдирүү өчүрүлдү"}),
    ("L10", datetime(2026, 1, 5, 9, 2), "service", None, "Нурлан Бакытты чыгарып салды", "remove_members", (), {}),
    ("L11", datetime(2026, 1, 5, 9, 3), "message", "Нурлан", "Кыздар, эч ким эч нерсе таратпайт. Айданын сүрөтүн ким жиберсе ошол да чыгат. тушундунорбу", None, (), {}),
]
# fmt: on

EXPORTS = [
    ("whatsapp_android_ru", "Тимур", "Чат WhatsApp с Тимур.txt", ANDROID_RU),
    ("whatsapp_android_en", "Daniyar", "WhatsApp Chat with Daniyar.txt", ANDROID_EN),
    ("whatsapp_ios_kk", "whatsapp_ios_kk", "_chat.txt", IOS_KK),
    ("whatsapp_ky", "11Б кыздар", "WhatsApp Chat with 11Б кыздар.txt", KYRGYZ),
]


def _rows(messages):
    return [(m.id, m.date, m.kind, m.sender, m.text, m.action, m.media, m.extra) for m in messages]


@pytest.mark.parametrize(("folder", "chat", "file_name", "expected"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_fixture_exports(folder, chat, file_name, expected):
    with open_export(FIXTURES / folder) as export:
        assert isinstance(export, WhatsAppExport) and export.platform == "whatsapp"
        messages = list(export.messages())
    assert _rows(messages) == expected
    assert {m.chat for m in messages} == {chat}
    assert all(m.source == f"{file_name}, line {m.id[1:]}" for m in messages)
    assert all(m.sender_id is None and m.chat_id is None for m in messages)


@pytest.mark.parametrize(("folder", "chat", "file_name", "expected"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_the_text_file_alone_reads_the_same(folder, chat, file_name, expected):
    messages = read_messages(FIXTURES / folder / file_name)
    if file_name == "_chat.txt":
        assert {m.chat for m in messages} == {"_chat"}
    assert _rows(messages) == expected


def test_raw_fixtures_hold_the_special_characters():
    en = (FIXTURES / "whatsapp_android_en" / "WhatsApp Chat with Daniyar.txt").read_bytes()
    assert en.startswith(b"\xef\xbb\xbf") and NNBSP.encode() in en and "\u00a0AM".encode() in en
    assert LRM.encode() in (FIXTURES / "whatsapp_ios_kk" / "_chat.txt").read_bytes()


# -- zips and media --------------------------------------------------------------------------------------------


def test_ios_zip_with_chat_and_media(make_zip):
    archive = make_zip("whatsapp_ios_kk", "WhatsApp Chat - Айжан.zip")
    with open_export(archive) as export:
        assert export.source == str(archive)
        messages = list(export.messages())
        assert _rows(messages) == IOS_KK
        assert {m.chat for m in messages} == {"Айжан"}
        assert list(export.media_paths()) == ["00000012-PHOTO-2025-12-31-21-41-05.jpg"]
        stream = export.open_media("00000012-PHOTO-2025-12-31-21-41-05.jpg")
        assert stream is not None
        with stream:
            assert (
                stream.read()
                == (FIXTURES / "whatsapp_ios_kk" / "00000012-PHOTO-2025-12-31-21-41-05.jpg").read_bytes()
            )
        assert export.open_media("00000013-AUDIO-2025-12-31-21-43-17.opus") is None
        with pytest.raises(ImportFormatError, match="points outside the export"):
            export.open_media("../_chat.txt")


def test_android_zip_in_a_subfolder(make_zip):
    archive = make_zip(
        "whatsapp_android_ru", "export.zip", prefix="WhatsApp/", extra={"WhatsApp/notes.pdf": b"%PDF"}
    )
    with open_export(archive) as export:
        messages = list(export.messages())
        assert messages[4].media == (MediaRef("IMG-20251231-WA0003.jpg", "photo", True),)
        assert {m.chat for m in messages} == {"Тимур"}
        assert list(export.media_paths()) == ["IMG-20251231-WA0003.jpg", "notes.pdf"]


def test_folder_lists_only_the_media_the_chat_names(copy_fixture):
    folder = copy_fixture("whatsapp_android_ru")
    (folder / "passport_scan.jpg").write_bytes(b"not part of the chat")
    with open_export(folder) as export:
        assert list(export.media_paths()) == ["IMG-20251231-WA0003.jpg"]


def test_missing_attachment_file_is_not_present(copy_fixture):
    folder = copy_fixture("whatsapp_android_ru")
    (folder / "IMG-20251231-WA0003.jpg").unlink()
    with open_export(folder) as export:
        assert next(m for m in export.messages() if m.id == "L7").media == (
            MediaRef("IMG-20251231-WA0003.jpg", "photo", False),
        )
        assert list(export.media_paths()) == []


# -- date formats and day/month order --------------------------------------------------------------------------

LINE_FORMATS = [
    ("31.12.2025, 21:41 - Айгерим: текст", datetime(2025, 12, 31, 21, 41)),
    (f"12/31/25, 9:41{NNBSP}PM - Aigerim: text", datetime(2025, 12, 31, 21, 41)),
    ("12/31/25, 9:41 PM - Aigerim: text", datetime(2025, 12, 31, 21, 41)),
    ("12/31/25, 9:41\u00a0pm - Aigerim: text", datetime(2025, 12, 31, 21, 41)),
    ("12/31/25, 12:05 AM - Aigerim: text", datetime(2025, 12, 31, 0, 5)),
    ("12/31/25, 12:05 p.m. - Aigerim: text", datetime(2025, 12, 31, 12, 5)),
    ("[31.12.25, 21:41:05] Айгерим: текст", datetime(2025, 12, 31, 21, 41, 5)),
    (f"{LRM}[31.12.25, 21:41:05] Айгерим: текст", datetime(2025, 12, 31, 21, 41, 5)),
    (f"[12/31/25, 9:41:05{NNBSP}PM] Aigerim: text", datetime(2025, 12, 31, 21, 41, 5)),
    ("31/12/2025, 21:41 - Айгерим: текст", datetime(2025, 12, 31, 21, 41)),
    ("2025-12-31 21:41 - Айгерим: текст", datetime(2025, 12, 31, 21, 41)),
    ("2025-12-31, 21:41 - Айгерим: текст", datetime(2025, 12, 31, 21, 41)),
    ("31.12.2025 21:41 – Айгерим: текст", datetime(2025, 12, 31, 21, 41)),
]


@pytest.mark.parametrize(("line", "date"), LINE_FORMATS)
def test_line_formats(tmp_path, line, date):
    path = tmp_path / "_chat.txt"
    path.write_text(line + "\nвторая строка\n", encoding="utf-8")
    [message] = read_messages(path)
    assert message.date == date
    assert message.sender in ("Айгерим", "Aigerim")
    assert message.text in ("текст\nвторая строка", "text\nвторая строка")


ORDER_CASES = [
    # the evidence comes late in the file: the first line is still read correctly
    (["01/02/26, 10:00 - A: x", "13/02/26, 10:00 - A: y"], datetime(2026, 2, 1, 10, 0)),
    (["01/02/26, 10:00 - A: x", "02/13/26, 10:00 - A: y"], datetime(2026, 1, 2, 10, 0)),
    # no evidence: dots are day first, slashes with AM/PM month first, other slashes day first
    (["01.02.26, 10:00 - A: x"], datetime(2026, 2, 1, 10, 0)),
    (["01/02/26, 10:00 AM - A: x"], datetime(2026, 1, 2, 10, 0)),
    (["01/02/2026, 10:00 - A: x"], datetime(2026, 2, 1, 10, 0)),
    # shapes are decided apart: dotted day-first evidence does not decide slashed dates
    (["01/02/26, 10:00 PM - A: x", "31.12.2025, 10:00 - A: y"], datetime(2026, 1, 2, 22, 0)),
]


@pytest.mark.parametrize(("lines", "first_date"), ORDER_CASES)
def test_day_or_month_first_is_decided_from_the_whole_file(tmp_path, lines, first_date):
    path = tmp_path / "WhatsApp Chat with A.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_messages(path)[0].date == first_date


def test_contradicting_dates_are_an_error(tmp_path):
    path = tmp_path / "_chat.txt"
    path.write_text("13/02/26, 10:00 - A: x\nok\n02/13/26, 10:00 - A: y\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        open_export(path)
    assert caught.value.position == "line 3"
    assert "day-first on line 1 but month-first on line 3" in str(caught.value)


# -- encodings and errors --------------------------------------------------------------------------------------


def test_binary_garbage():
    path = FIXTURES / "corrupt" / "whatsapp_garbage" / "_chat.txt"
    with pytest.raises(ImportFormatError) as caught:
        open_export(path.parent)
    assert caught.value.source == str(path)
    assert caught.value.position == "line 1"


BAD_FILES = [
    ("undecodable line", b"31.12.2025, 21:41 - A: ok\nok\n\xff\xfe broken\n", "line 3", "not UTF-8"),
    ("nul bytes", b"31.12.2025, 21:41 - A: ok\nx\x00y\n", "line 2", "binary data"),
    ("prose", "Это просто заметки.\nНичего больше\n".encode(), "line 1", "not a WhatsApp message line"),
    ("empty", b"", "empty", "no WhatsApp message line found"),
    ("blank lines", b"\n\n  \n", "lines 1–3", "no WhatsApp message line found"),
    ("impossible date", b"31.12.2025, 21:41 - A: ok\n31.02.2025, 21:41 - A: x\n", "line 2", "not a date"),
    ("impossible time", b"31.12.2025, 25:41 - A: ok\n", "line 1", "not a date and time"),
    ("utf-16", "31.12.2025, 21:41 - A: ok\n".encode("utf-16"), "line 1", ""),
]


@pytest.mark.parametrize(("case", "data", "position", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files(tmp_path, case, data, position, message):
    path = tmp_path / "WhatsApp Chat with X.txt"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as caught:
        read_messages(path)
    assert caught.value.position == position
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_very_long_line_is_refused(tmp_path):
    path = tmp_path / "_chat.txt"
    path.write_bytes(b"31.12.2025, 21:41 - A: " + b"x" * (1 << 20) + b"\n")
    with pytest.raises(ImportFormatError, match="longer than 1 MiB") as caught:
        open_export(path)
    assert caught.value.position == "line 1"


def test_crlf_and_bom(tmp_path):
    path = tmp_path / "_chat.txt"
    path.write_bytes(b"\xef\xbb\xbf31.12.2025, 21:41 - A: one\r\ntwo\r\n31.12.2025, 21:42 - B: three\r\n")
    assert [(m.sender, m.text) for m in read_messages(path)] == [("A", "one\ntwo"), ("B", "three")]


def test_bad_zip(tmp_path):
    path = tmp_path / "WhatsApp Chat - X.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ImportFormatError, match="not a readable zip") as caught:
        open_export(path)
    assert caught.value.source == str(path)


def test_zip_without_a_chat(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("IMG-20251231-WA0003.jpg", b"x")
    with pytest.raises(ImportFormatError, match=r"holds no Telegram result\.json and no WhatsApp chat"):
        open_export(path)


# -- WhatsApp's own notes, one case per line -------------------------------------------------------------------

# (sender, text) → (kind, sender, text, action, media, extra) — one case per line
# fmt: off
NOTES = [
    (("A", "<Медиафайлдар жоқ>"), ("message", "A", "", None, (("", "file"),), {"media_omitted": "<Медиафайлдар жоқ>"})),
    (("A", "<какой-то новый плейсхолдер>"), ("message", "A", "", None, (("", "file"),), {"media_omitted": "<какой-то новый плейсхолдер>"})),
    (("A", f"{LRM}video omitted"), ("message", "A", "", None, (("", "video"),), {"media_omitted": "video omitted"})),
    (("A", f"{LRM}изображение отсутствует"), ("message", "A", "", None, (("", "photo"),), {"media_omitted": "изображение отсутствует"})),
    (("A", "IMG-20251231-WA0003.jpg (file attached)"), ("message", "A", "", None, (("IMG-20251231-WA0003.jpg", "photo"),), {})),
    (("A", "PTT-20251231-WA0007.opus (файл добавлен)"), ("message", "A", "", None, (("PTT-20251231-WA0007.opus", "voice"),), {})),
    (("A", "Арыз.pdf (файл тіркелді)\nоқып шық"), ("message", "A", "оқып шық", None, (("Арыз.pdf", "file"),), {})),
    (("A", "VID-20251231-WA0001.mp4 (тиркелди)"), ("message", "A", "", None, (("VID-20251231-WA0001.mp4", "video"),), {})),
    (("A", "отчет.pdf (черновик)"), ("message", "A", "отчет.pdf (черновик)", None, (), {})),
    (("A", f"{LRM}<attached: 00000020-STICKER-2025-12-31-21-41-05.webp>"), ("message", "A", "", None, (("00000020-STICKER-2025-12-31-21-41-05.webp", "sticker"),), {})),
    (("A", f"{LRM}<прикреплено: 00000021-GIF-2025-12-31-21-41-05.mp4>"), ("message", "A", "", None, (("00000021-GIF-2025-12-31-21-41-05.mp4", "animation"),), {})),
    (("A", "You deleted this message"), ("message", "A", "", None, (), {"deleted": "true", "note": "You deleted this message"})),
    (("A", "Сіз бұл хабарды жойдыңыз"), ("message", "A", "", None, (), {"deleted": "true", "note": "Сіз бұл хабарды жойдыңыз"})),
    (("A", "ну и ладно <This message was edited>"), ("message", "A", "ну и ладно", None, (), {"edited": "true"})),
    (("A", "жарайды <Бұл хабар өзгертілді>"), ("message", "A", "жарайды", None, (), {"edited": "true"})),
    (("A", "<b>не плейсхолдер</b> просто текст"), ("message", "A", "<b>не плейсхолдер</b> просто текст", None, (), {})),
    ((None, "Азамат добавил(а) Айгерим"), ("service", None, "Азамат добавил(а) Айгерим", "add_members", (), {})),
    ((None, 'Азамат создал(а) группу "11Б"'), ("service", None, 'Азамат создал(а) группу "11Б"', "create_group", (), {})),
    ((None, "Aigerim left"), ("service", None, "Aigerim left", "leave", (), {})),
    ((None, "Бекзат топ құрды"), ("service", None, "Бекзат топ құрды", "create_group", (), {})),
    ((None, "Your security code with Aigerim changed. Tap to learn more."), ("service", None, "Your security code with Aigerim changed. Tap to learn more.", "security_code_changed", (), {})),
    ((None, "Something new WhatsApp writes"), ("service", None, "Something new WhatsApp writes", None, (), {})),
    (("Айжан", f"{LRM}Missed video call"), ("service", "Айжан", "Missed video call", "missed_call", (), {})),
    (("11Б", f"{LRM}Азамат added Айгерим"), ("service", None, "Азамат added Айгерим", "add_members", (), {"attributed_to": "11Б"})),
    (("A", "I added you to the list"), ("message", "A", "I added you to the list", None, (), {})),
]
# fmt: on


@pytest.mark.parametrize(("given", "expected"), NOTES, ids=[n[0][1][:30] for n in NOTES])
def test_notes(given, expected):
    content = interpret(*given)
    assert (
        content.kind,
        content.sender,
        content.text,
        content.action,
        content.media,
        content.extra,
    ) == expected


SENDERS = [
    ("Айгерим: текст", ("Айгерим", "текст")),
    ("\u202a+996 700 123 456\u202c: салам", ("+996 700 123 456", "салам")),
    ("~\u202fAigerim: hi", ("Aigerim", "hi")),
    ("Айгерим:", ("Айгерим", "")),
    ("Айгерим: время: 10:00", ("Айгерим", "время: 10:00")),
    (
        'Азамат изменил(а) тему с "Класс" на "Класс: 11Б"',
        (None, 'Азамат изменил(а) тему с "Класс" на "Класс: 11Б"'),
    ),
    ("Нурлан сизди кошту", (None, "Нурлан сизди кошту")),
]


@pytest.mark.parametrize(("rest", "expected"), SENDERS)
def test_split_sender(rest, expected):
    assert split_sender(rest) == expected


@pytest.mark.parametrize(
    "line",
    [
        "просто текст",
        "31.12.2025 текст",
        "[21:41] Name: text",
        "31.12/2025, 21:41 - A: b",
        "31.12.2025, 21:41 A: b",
    ],
)
def test_continuation_lines_are_not_headers(line):
    assert match_header(line) is None
