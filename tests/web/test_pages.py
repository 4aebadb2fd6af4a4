"""The public pages: quick exit, the self-check and its printable plan, "check a message", errors, i18n."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from tests.web.conftest import csrf_token
from tumar.i18n import keys, t
from tumar.knowledge.models import LANGUAGES
from tumar.knowledge.selfcheck import load_selfcheck

PAGES = ("/", "/check", "/check-yourself", "/glossary", "/glossary/doxxing", "/help", "/api/docs")


class Outline(HTMLParser):
    """Focusable elements in document order, and every input/textarea with whether it sits in a <form>."""

    def __init__(self) -> None:
        super().__init__()
        self.focusable: list[dict[str, str | None]] = []
        self.fields: list[tuple[dict[str, str | None], bool]] = []
        self.labels: set[str] = set()
        self._forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs) | {"tag": tag}
        if tag == "form":
            self._forms += 1
        if tag == "label" and a.get("for"):
            self.labels.add(str(a["for"]))
        if (
            (tag == "a" and a.get("href"))
            or tag in ("button", "textarea", "select")
            or (tag == "input" and a.get("type") != "hidden")
        ):
            self.focusable.append(a)
        if tag in ("input", "textarea", "select") and a.get("type") != "hidden":
            self.fields.append((a, self._forms > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._forms -= 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_starts_with_the_quick_exit_and_labels_every_field(client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    page = outline(response.text)
    first, second = page.focusable[:2]
    assert (first["id"], first["href"]) == ("quick-exit", f"/recipes?lang={lang}")
    assert second["href"] == "#main"
    assert f">{escape(t('quick_exit', lang))}</a>" in response.text
    unlabeled = [f for f, _ in page.fields if f.get("id") not in page.labels]
    assert not unlabeled
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', response.text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_links_keep_the_page(client, lang):
    html = client.get(f"/check-yourself?lang={lang}").text
    for code in LANGUAGES:
        assert f'href="/check-yourself?lang={code}" hreflang="{code}"' in html
    assert f'hreflang="{lang}" lang="{lang}" aria-current="true"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_neutral_page_says_nothing_about_tumar(client, lang):
    response = client.get(f"/recipes?lang={lang}")
    assert response.status_code == 200
    assert response.headers["clear-site-data"] == '"cache"'
    html = response.text.lower()
    assert "tumar" not in html and "quick-exit" not in html and "<script" not in html
    assert f'<html lang="{lang}">' in html


# ---- self-check --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_selfcheck_page_asks_every_question(client, lang):
    html = client.get(f"/check-yourself?lang={lang}").text
    for q in load_selfcheck().questions:
        assert f'name="yes" value="{q.id}"' in html
        assert str(escape(q.text.get(lang))) in html


def _plan(client, lang: str, yes: list[str], country: str = "") -> str:
    token = csrf_token(client, f"/check-yourself?lang={lang}")
    response = client.post(
        f"/check-yourself?lang={lang}", data={"yes": yes, "country": country, "csrf_token": token}
    )
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_selfcheck_result_is_a_printable_plan(client, kb, lang):
    html = _plan(client, lang, ["threatens_to_share", "reads_chats"])
    sc = load_selfcheck()
    assert str(escape(sc.level_text("urgent").title.get(lang))) in html
    assert 'class="result level-urgent"' in html
    for h in kb.help_services:
        assert str(escape(h.name.get(lang))) in html
    for point in kb.sections["digital_hygiene"].points.get(lang):
        assert str(escape(point)) in html
    assert str(escape(kb.form("sextortion").t(lang).what_to_do[0])) in html
    assert '<button type="button" data-print>' in html


def test_own_notes_in_the_plan_are_never_sent(client):
    page = outline(_plan(client, "en", ["checks_phone"]))
    mine = [(f, in_form) for f, in_form in page.fields if str(f.get("id", "")).startswith("mine-")]
    assert {f["id"] for f, _ in mine} == {"mine-person", "mine-place", "mine-word", "mine-numbers"}
    for field, in_form in mine:
        assert not in_form, field  # outside every form: there is nothing to submit them with
        assert "name" not in field and field.get("autocomplete") == "off"


def test_plan_help_narrowed_to_the_chosen_country(client, kb):
    html = _plan(client, "ru", ["reads_chats"], country="KZ")
    assert kb.help_for("KZ")[0].name.ru in html
    assert kb.help_for("KG")[-1].name.ru not in html


def test_no_answer_gives_the_none_level(client):
    html = _plan(client, "ky", [])
    assert 'class="result level-none"' in html


def test_unknown_question_is_a_clear_error(client):
    token = csrf_token(client, "/check-yourself")
    response = client.post("/check-yourself", data={"yes": "nope", "csrf_token": token})
    assert response.status_code == 400
    assert "yes=nope" in response.json()["error"]


# ---- check a message ---------------------------------------------------------------------------------------
def _check(client, text: str, lang: str = "ky") -> str:
    token = csrf_token(client, f"/check?lang={lang}")
    response = client.post(f"/check?lang={lang}", data={"text": text, "csrf_token": token})
    assert response.status_code == 200
    return response.text


def test_one_message_shows_findings_laws_and_help(client, kb):
    html = _check(client, "Эгер акча бербесең, интим сүрөттөрүңдү бардык туугандарыңа жиберем")
    result = html.split('id="result"', 1)[1]
    assert 'data-form="sextortion"' in result
    assert 'class="explanation"' in result
    assert str(escape(kb.form("sextortion").t("ky").what_to_do[0])) in result
    assert "<summary>" + t("laws", "ky") + "</summary>" in result
    assert str(escape(kb.help_for("KG")[0].name.ky)) in result


def test_pasted_chat_is_analysed_as_a_conversation(client):
    chat = "Азамат: сен кайдасың?\nАйгуль: мага жазба\nАзамат: жооп бербесең сүрөттөрүңдү баарына жиберем\n"
    html = _check(client, chat)
    assert 'id="chat-result"' in html and 'id="result"' not in html
    assert "сүрөттөрүңдү баарына жиберем</blockquote>" in html


def test_plain_text_with_a_colon_is_one_message(client):
    html = _check(client, "Смотри: он опять пишет мне каждую ночь", "ru")
    assert 'id="result"' in html and 'id="chat-result"' not in html


def test_text_over_the_limit_is_refused(client):
    token = csrf_token(client)
    response = client.post("/check", data={"text": "а" * 20_001, "csrf_token": token})
    assert response.status_code == 422
    assert "text" in response.json()["error"]


@pytest.mark.parametrize(
    ("status", "path", "key"), [(404, "/nowhere", "error_404"), (404, "/glossary/doxing", "error_404")]
)
@pytest.mark.parametrize("lang", ["ky", "en"])
def test_errors_are_pages_for_browsers_and_json_otherwise(client, status, path, key, lang):
    page = client.get(f"{path}?lang={lang}", headers={"accept": "text/html"})
    assert page.status_code == status and str(escape(t(key, lang))) in page.text
    assert 'id="quick-exit"' in page.text
    plain = client.get(f"{path}?lang={lang}")
    assert plain.status_code == status and "error" in plain.json()


def test_glossary_groups_filter(client, kb):
    html = client.get("/glossary?lang=en&group=devices").text
    listed = re.findall(r'<dt><a href="/glossary/([a-z_]+)\?', html)
    assert sorted(listed) == sorted(f.id for f in kb.forms_in_group("devices"))
    assert len(re.findall(r"<dt>", client.get("/glossary?lang=en&group=bogus").text)) == 27


# ---- interface strings -------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", keys())
def test_every_interface_string_in_every_language(key):
    texts = [t(key, lang) for lang in LANGUAGES]
    assert all(text.strip() for text in texts)
    assert len({tuple(sorted(re.findall(r"{\w+}", text))) for text in texts}) == 1  # same placeholders
