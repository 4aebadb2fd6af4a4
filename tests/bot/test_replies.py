"""Splitting long answers under Telegram's limit without breaking markup, and escaping."""

from __future__ import annotations

import re

import pytest

from tests.bot.conftest import assert_telegram_html
from tumar.interfaces.bot.replies import MAX_MESSAGE, Button, Reply, esc, split_html, telegram_length


def _text(html: str) -> str:
    """The visible characters, without tags and whitespace (what splitting must keep, in order)."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_short_text_is_one_part_unchanged():
    assert split_html("<b>Салам</b> &amp; бардыгы") == ["<b>Салам</b> &amp; бардыгы"]


def test_nothing_to_send_gives_no_part():
    assert split_html("") == []
    assert split_html("<b> </b>\n\n") == []


def test_long_answer_is_cut_at_blank_lines_and_keeps_every_character():
    blocks = [f"<b>Бөлүм {i}</b>\n" + "сөз " * 150 for i in range(40)]
    html = "\n\n".join(blocks)
    parts = split_html(html)
    assert len(parts) > 1
    for part in parts:
        assert_telegram_html(part)
        assert part.startswith("<b>Бөлүм")  # each part begins at a block, not mid-sentence
    assert _text("".join(parts)) == _text(html)


def test_a_tag_open_at_a_cut_is_closed_and_reopened():
    html = "<b>" + "абв " * 2000 + "</b>"
    parts = split_html(html, 1000)
    assert len(parts) >= 8
    for part in parts:
        assert telegram_length(part) <= 1000
        assert part.startswith("<b>") and part.endswith("</b>")
        assert_telegram_html(part)
    assert _text("".join(parts)) == _text(html)


def test_entities_are_never_cut():
    html = "&amp;&lt;" * 3000
    parts = split_html(html, 500)
    assert all(re.fullmatch(r"(&amp;|&lt;)+", p) for p in parts)
    assert "".join(parts) == html


def test_a_word_longer_than_a_message_is_cut_where_it_must_be():
    html = "<i>" + "ж" * 10_000 + "</i>"
    parts = split_html(html)
    assert len(parts) == 3
    assert all(telegram_length(p) <= MAX_MESSAGE and p.startswith("<i>") for p in parts)
    assert _text("".join(parts)) == _text(html)


def test_length_is_counted_in_utf16_units_as_telegram_does():
    html = "🙂 " * 3000  # each emoji is two UTF-16 units
    parts = split_html(html)
    assert len(parts) == 3
    assert all(telegram_length(p) <= MAX_MESSAGE for p in parts)
    assert telegram_length("🙂") == 2


def test_a_limit_without_room_for_markup_is_refused():
    with pytest.raises(ValueError, match="at least"):
        split_html("text", 10)


def test_escaping_leaves_no_markup():
    assert esc("<b>Айпери</b> & <script>") == "&lt;b&gt;Айпери&lt;/b&gt; &amp; &lt;script&gt;"


def test_button_data_is_limited_to_64_bytes():
    Button("ok", "sc:" + "q" * 61)
    with pytest.raises(ValueError, match="64 bytes"):
        Button("too long", "form:" + "ы" * 40)


def test_reply_parts_use_the_splitter():
    reply = Reply("\n\n".join("<b>x</b> " + "y" * 3000 for _ in range(3)))
    assert reply.parts() == split_html(reply.html)
    assert len(reply.parts()) == 3
