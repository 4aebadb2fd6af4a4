"""Pasted chat text: Telegram Desktop's copy format, bracketed times, "Name: text", WhatsApp lines, paragraphs."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.chats.conftest import read_messages
from tumar.chats.importers import PlainTextExport, open_export, parse_pasted
from tumar.errors import ImportFormatError

TELEGRAM_COPY = """Азамат, [02.01.2026 10:41]
ты где?
почему трубку не берешь

Айгерим, [02.01.2026 10:45]
Я на работе. Не звони мне

Азамат, [02.01.2026 10:46]
[Фото]

Азамат, [02.01.2026 10:47]
кечинде үйүңө барам
"""


def _rows(messages):
    return [(m.id, m.date, m.sender, m.text) for m in messages]


def test_telegram_desktop_copy_format():
    messages = parse_pasted(TELEGRAM_COPY)
    assert _rows(messages) == [
        ("L1", datetime(2026, 1, 2, 10, 41), "Азамат", "ты где?\nпочему трубку не берешь"),
        ("L5", datetime(2026, 1, 2, 10, 45), "Айгерим", "Я на работе. Не звони мне"),
        ("L8", datetime(2026, 1, 2, 10, 46), "Азамат", "[Фото]"),
        ("L11", datetime(2026, 1, 2, 10, 47), "Азамат", "кечинде үйүңө барам"),
    ]
    assert all(m.chat == "pasted" and m.kind == "message" for m in messages)
    assert [m.source for m in messages[:2]] == ["pasted text, line 1", "pasted text, line 5"]


def test_telegram_copy_in_english_locale_is_month_first():
    text = "Daniyar, [1/2/2026 10:41 PM]\nhey\n\nMadina, [1/13/2026 9:05 AM]\nstop\n"
    assert _rows(parse_pasted(text)) == [
        ("L1", datetime(2026, 1, 2, 22, 41), "Daniyar", "hey"),
        ("L4", datetime(2026, 1, 13, 9, 5), "Madina", "stop"),
    ]


def test_quoted_name_lines_inside_telegram_messages_stay_text():
    text = "Айгерим, [02.01.2026 10:41]\nон написал:\nАзамат: я тебя найду\n"
    [message] = parse_pasted(text)
    assert message.text == "он написал:\nАзамат: я тебя найду"


def test_bracketed_times_and_dates():
    text = "[02.01.2026 10:41] Азамат: салам\n[10:45] Айгерим: кет\nбул экинчи сап\n[10:50] Азамат: ок\n"
    messages = parse_pasted(text, source="скрин.txt", chat="Азамат")
    assert _rows(messages) == [
        ("L1", datetime(2026, 1, 2, 10, 41), "Азамат", "салам"),
        ("L2", datetime(2026, 1, 2, 10, 45), "Айгерим", "кет\nбул экинчи сап"),
        ("L4", datetime(2026, 1, 2, 10, 50), "Азамат", "ок"),
    ]
    assert messages[1].extra == {"time": "10:45"}
    assert messages[0].source == "скрин.txt, line 1"
    assert {m.chat for m in messages} == {"Азамат"}


def test_time_without_any_date():
    messages = parse_pasted("[10:41] Азамат: ты где\n[10:42] Азамат: ответь")
    assert [(m.date, m.sender, m.text, m.extra) for m in messages] == [
        (None, "Азамат", "ты где", {"time": "10:41"}),
        (None, "Азамат", "ответь", {"time": "10:42"}),
    ]


def test_name_colon_lines():
    text = "Азамат: ты где\nАйгерим: дома\nне пиши мне больше\nАзамат: ладно\n"
    assert _rows(parse_pasted(text)) == [
        ("L1", None, "Азамат", "ты где"),
        ("L2", None, "Айгерим", "дома\nне пиши мне больше"),
        ("L4", None, "Азамат", "ладно"),
    ]


PARAGRAPH_CASES = [
    # a sentence with a colon is not a sender
    ("Смотри: он опять пишет", [("L1", None, None, "Смотри: он опять пишет")]),
    (
        "Он пишет мне каждую ночь.\nГрозится выложить фото.\n\n\nЧто мне делать?",
        [
            ("L1", None, None, "Он пишет мне каждую ночь.\nГрозится выложить фото."),
            ("L5", None, None, "Что мне делать?"),
        ],
    ),
    # colon lines that are a minority of the text do not make a chat
    (
        "Вот что было.\nОн сказал много всего.\nПотом ушёл.\nВнимание: это важно\nИтог: я боюсь\nКонец.",
        [
            (
                "L1",
                None,
                None,
                "Вот что было.\nОн сказал много всего.\nПотом ушёл.\nВнимание: это важно\nИтог: я боюсь\nКонец.",
            )
        ],
    ),
    ("", []),
    ("\n \n", []),
]


@pytest.mark.parametrize(("text", "expected"), PARAGRAPH_CASES)
def test_paragraphs(text, expected):
    messages = parse_pasted(text)
    assert _rows(messages) == expected
    assert all(m.kind == "message" and m.sender is None for m in messages)


def test_pasted_whatsapp_lines_keep_whatsapp_notes():
    text = (
        "31.12.2025, 20:02 - Сообщения и звонки защищены сквозным шифрованием.\n"
        "31.12.2025, 21:41 - Тимур: я видел тебя\n"
        "у общаги\n"
        "31.12.2025, 21:44 - Тимур: Данное сообщение удалено\n"
        "31.12.2025, 21:45 - Тимур: IMG-20251231-WA0003.jpg (файл добавлен)\n"
    )
    messages = parse_pasted(text)
    assert [(m.kind, m.sender, m.text, m.action) for m in messages] == [
        ("service", None, "Сообщения и звонки защищены сквозным шифрованием.", "encryption_notice"),
        ("message", "Тимур", "я видел тебя\nу общаги", None),
        ("message", "Тимур", "", None),
        ("message", "Тимур", "", None),
    ]
    assert messages[2].extra["deleted"] == "true"
    assert messages[3].media[0].path == "IMG-20251231-WA0003.jpg" and not messages[3].media[0].present


def test_text_before_the_first_header_is_kept():
    text = "скрины из чата:\n\nАзамат, [02.01.2026 10:41]\nты где?"
    assert _rows(parse_pasted(text)) == [
        ("L1", None, None, "скрины из чата:"),
        ("L3", datetime(2026, 1, 2, 10, 41), "Азамат", "ты где?"),
    ]


def test_bad_date_in_pasted_text():
    with pytest.raises(ImportFormatError) as caught:
        parse_pasted("ok\n[31.02.2026 10:41] Азамат: салам", source="вставка")
    assert (caught.value.source, caught.value.position) == ("вставка", "line 2")


def test_plain_text_file(tmp_path):
    path = tmp_path / "заметки.txt"
    path.write_text("\ufeff" + TELEGRAM_COPY, encoding="utf-8")
    with open_export(path) as export:
        assert isinstance(export, PlainTextExport) and export.platform == "text"
        messages = list(export.messages())
        assert list(export.media_paths()) == [] and export.open_media("x.jpg") is None
    assert [m.sender for m in messages] == ["Азамат", "Айгерим", "Азамат", "Азамат"]
    assert {m.chat for m in messages} == {"заметки"}
    assert messages[1].source == "заметки.txt, line 5"


def test_binary_text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Азамат: салам\n".encode() + b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ImportFormatError) as caught:
        read_messages(path)
    assert caught.value.position == "line 2"
