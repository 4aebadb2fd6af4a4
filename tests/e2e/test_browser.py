"""The public web app in a real browser (Chromium): checking messages, language, quick exit, the self-check
and its printed plan, phone size, keyboard, contrast, Content-Security-Policy and no request off the machine."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Visit, _visit
from tumar.i18n import t
from tumar.knowledge.loader import load_knowledge_base
from tumar.knowledge.selfcheck import load_selfcheck

KB = load_knowledge_base()
BEFORE = "data:text/html,<title>before</title><p>a page before Tumar</p>"
THREAT_KY = "Эртең 5000 сом алып келбесең видеоңду баарына таратам, билип кой"
WHATSAPP = (
    "12.01.2026, 21:40 - Айгуль: Азамат, мага мындан ары жазба\n"
    "12.01.2026, 21:41 - Азамат: сен кайдасың? тез жооп бер\n"
    "12.01.2026, 21:42 - Азамат: жооп бербесең сүрөттөрүңдү баарына жиберем\n"
)


def history_length(page: Page) -> int:
    return int(page.evaluate("history.length"))


def check_message(visit: Visit, text: str, lang: str = "ky") -> None:
    """Open "check a message", send ``text`` and wait for the result; the visit stays one history entry."""
    visit.go(f"/check?lang={lang}")
    entries = history_length(visit.page)
    visit.page.fill("#text", text)
    visit.page.click("form.stack button[type=submit] >> nth=0")
    visit.page.wait_for_selector("#result")
    assert history_length(visit.page) == entries


# ---- check a message ---------------------------------------------------------------------------------------
def test_check_a_kyrgyz_message(visit):
    check_message(visit, THREAT_KY)
    page = visit.page
    finding = page.locator('.finding[data-form="sextortion"]')
    expect(finding).to_be_visible()
    expect(finding.locator("h3")).to_have_text(KB.form("sextortion").t("ky").name)
    explanation = finding.locator(".explanation").inner_text()
    assert explanation.startswith(KB.form("sextortion").t("ky").name) and len(explanation) > 80
    expect(page.locator(".urgent-note")).to_have_text(t("urgent_note", "ky"))
    assert page.evaluate("document.activeElement.id") == "result-title"  # focus moves to the result
    assert page.url.endswith("/check?lang=ky")


@pytest.fixture(scope="module")
def real_server() -> Iterator[LiveServer]:
    from tumar.interfaces.web import create_app

    live = LiveServer(create_app()).start()  # the default analyzer: embedding model and classifier
    yield live
    live.stop()


@pytest.fixture
def real_visit(browser, real_server) -> Iterator[Visit]:
    yield from _visit(browser, real_server.url, viewport={"width": 1280, "height": 900})


def test_check_a_kyrgyz_message_with_the_default_analyzer(real_visit):
    check_message(real_visit, THREAT_KY)
    finding = real_visit.page.locator('.finding[data-form="sextortion"]')
    expect(finding).to_be_visible()
    assert "видеоңду баарына таратам" in finding.locator(".explanation").inner_text()


def test_upload_a_chat_export(visit):
    visit.go("/check?lang=ru")
    page = visit.page
    entries = history_length(page)
    page.set_input_files(
        "#file",
        files=[
            {"name": "WhatsApp Chat with Азамат.txt", "mimeType": "text/plain", "buffer": WHATSAPP.encode()}
        ],
    )
    page.click("text=" + t("upload_button", "ru"))
    page.wait_for_selector("#chat-result")
    flagged = page.locator(".chat-message blockquote")
    expect(flagged.first).to_have_text("жооп бербесең сүрөттөрүңдү баарына жиберем")
    expect(page.locator("#chat-analyzed")).to_have_text("3")
    assert history_length(page) == entries


def test_upload_too_large_is_stopped_in_the_browser(visit):
    visit.go("/check?lang=en")
    page = visit.page
    page.evaluate("document.getElementById('file').setAttribute('data-max-bytes', '10')")
    page.set_input_files(
        "#file", files=[{"name": "chat.txt", "mimeType": "text/plain", "buffer": WHATSAPP.encode()}]
    )
    sent = len(visit.requests)
    page.click("text=" + t("upload_button", "en"))
    expect(page.locator("#file-error")).to_have_text(t("error_413", "en"))
    assert len(visit.requests) == sent


# ---- language ----------------------------------------------------------------------------------------------
def test_switch_language_to_kazakh(visit):
    visit.go("/?lang=ky")
    page = visit.page
    entries = history_length(page)
    page.click('.langs a[hreflang="kk"]')
    page.wait_for_url("**/?lang=kk")
    assert page.evaluate("document.documentElement.lang") == "kk"
    expect(page.locator("main h1")).to_have_text(t("booklet_title", "kk"))
    expect(page.locator("#quick-exit")).to_have_text(t("quick_exit", "kk"))
    expect(page.locator(".main-nav")).to_contain_text(t("nav_glossary", "kk"))
    assert history_length(page) == entries


# ---- quick exit --------------------------------------------------------------------------------------------
def _browse_then_exit(visit: Visit, leave) -> None:
    page = visit.page
    page.goto(BEFORE)
    visit.go("/check?lang=ru")
    entries = history_length(page)
    page.click(".main-nav >> text=" + t("nav_glossary", "ru"))
    page.wait_for_url("**/glossary?lang=ru")
    page.click(".main-nav >> text=" + t("nav_check", "ru"))
    page.wait_for_url("**/check?lang=ru")
    page.fill("#text", "Скинь пароль от инсты, я проверю с кем ты переписываешься")
    page.click("form.stack button[type=submit] >> nth=0")
    page.wait_for_selector("#result")
    assert history_length(page) == entries  # Tumar stays a single entry after the page before
    leave(page)
    page.wait_for_url("**/recipes?lang=ru")
    recipe_title = "Боорсоки — домашний рецепт"
    expect(page).to_have_title(recipe_title)
    assert "Tumar" not in page.inner_text("body")
    page.go_back()
    assert page.url.startswith("data:"), page.url  # Back leads to the page before Tumar, not into it
    page.go_forward()
    expect(page).to_have_title(recipe_title)


def test_quick_exit_button(visit):
    _browse_then_exit(visit, lambda page: page.click("#quick-exit"))


def test_quick_exit_escape_twice(visit):
    def escape_twice(page: Page) -> None:
        page.focus("#text")  # even while typing
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")

    _browse_then_exit(visit, escape_twice)


def test_one_escape_does_not_exit(visit):
    visit.go("/help?lang=en")
    visit.page.keyboard.press("Escape")
    visit.page.wait_for_timeout(900)
    visit.page.keyboard.press("Escape")
    visit.page.wait_for_timeout(300)
    assert visit.page.url.endswith("/help?lang=en")


# ---- self-check and the printable plan ---------------------------------------------------------------------
def test_selfcheck_to_printable_safety_plan(visit):
    from pypdf import PdfReader

    visit.go("/check-yourself?lang=en")
    page = visit.page
    for qid in ("reads_chats", "demands_passwords", "threatens_to_share"):
        page.check(f"#q-{qid}")
    page.click("text=" + t("selfcheck_button", "en"))
    page.wait_for_selector("#plan")
    expect(page.locator("#level-title")).to_have_text(load_selfcheck().level_text("urgent").title.en)
    expect(page.locator(".forms li").first).to_contain_text(KB.form("digital_control").t("en").name)
    expect(page.locator(".hygiene li")).to_have_count(len(KB.sections["digital_hygiene"].points.en) + 3)

    note = "Gulnara-apa, +996 555 010 203"
    page.fill("#mine-person", note)
    page.fill("#mine-place", "my aunt's flat in Karakol")
    assert not any(note.encode() in (r.post_data_buffer or b"") or note in r.url for r in visit.requests), (
        "the private notes were sent"
    )

    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("button[data-print]")
    assert page.evaluate("window.__printed") is True

    page.emulate_media(media="print")
    for hidden in ("#quick-exit", "header.site", "footer.site", "button[data-print]"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#plan")).to_be_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pdf.pages))  # ligatures → letters
    squeezed = "".join(text.split())
    for expected in (t("safety_plan", "en"), note, KB.help_services[0].name.en):
        assert "".join(expected.split()) in squeezed, expected
    assert "Quick exit" not in text


# ---- phone, keyboard, contrast -----------------------------------------------------------------------------
PHONE_PAGES = [
    "/?lang=kk",
    "/check?lang=ky",
    "/check-yourself?lang=kk",
    "/glossary?lang=kk",
    "/glossary/image_based_sexual_abuse?lang=kk",
    "/help?lang=ru",
    "/api/docs?lang=en",
    "/nowhere?lang=ky",
    "/recipes?lang=kk",
]


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_phone_sized_screen_has_no_horizontal_scroll(phone, path):
    phone.go(path)
    assert no_horizontal_scroll(phone.page)
    if path.startswith("/nowhere"):  # the browser reports the 404 of the page itself, and only that
        assert phone.console_errors == [
            "Failed to load resource: the server responded with a status of 404 (Not Found)"
        ]
        phone.expect_console_errors = True


def test_phone_results_fit_and_quick_exit_stays_in_reach(phone):
    check_message(phone, THREAT_KY)
    page = phone.page
    assert no_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None and 0 <= box["y"] < 10 and box["width"] >= 300 and box["height"] >= 44
    phone.go("/check-yourself?lang=kk")
    page.check("#q-knows_whereabouts")
    page.click("text=" + t("selfcheck_button", "kk"))
    page.wait_for_selector("#plan")
    assert no_horizontal_scroll(page)


def test_tab_reaches_the_quick_exit_first_with_a_visible_focus(visit):
    visit.go("/check?lang=en")
    page = visit.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    expect(page.locator(".skip")).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    visit.go("/glossary?lang=en")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recipes?lang=en")


CONTRAST = """() => {
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126*r + 0.7152*g + 0.0722*b; };
  const bg = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
      if (!/rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0) continue;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + '.' + el.className + ': ' + ratio.toFixed(2));
  }
  return bad;
}"""


@pytest.mark.parametrize(
    "path", ["/?lang=ky", "/check-yourself?lang=en", "/api/docs", "/glossary/doxxing?lang=ru"]
)
def test_text_contrast_is_at_least_4_5(visit, path):
    visit.go(path)
    assert visit.page.evaluate(CONTRAST) == []


def test_result_pages_contrast(visit):
    check_message(visit, THREAT_KY)
    assert visit.page.evaluate(CONTRAST) == []
    visit.page.keyboard.press("Tab")  # focus styles keep contrast too
    assert visit.page.evaluate(CONTRAST) == []


# ---- Content-Security-Policy and the network ---------------------------------------------------------------
WATCH_CSP = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"""


def test_csp_blocks_an_inline_script(visit):
    page = visit.page
    page.add_init_script(WATCH_CSP)
    visit.go("/check?lang=en")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';
        document.head.appendChild(s);
        const st = document.createElement('style'); st.textContent = 'body{display:none}';
        document.head.appendChild(st); }"""
    )
    page.wait_for_function("window.__violations.length >= 2")
    assert page.evaluate("window.__ran") is None
    assert set(page.evaluate("window.__violations")) == {"script-src-elem", "style-src-elem"}
    expect(page.locator("main")).to_be_visible()
    assert visit.console_errors and all("Content Security Policy" in m for m in visit.console_errors)
    visit.expect_console_errors = True


def test_no_csp_violation_and_no_outside_request_anywhere(visit):
    page = visit.page
    page.add_init_script(WATCH_CSP)
    for path in (
        "/?lang=ru",
        "/glossary?lang=en&q=doxxing",
        "/help?lang=kk",
        "/api/docs",
        "/check-yourself?lang=ky",
    ):
        visit.go(path)
        assert page.evaluate("window.__violations") == [], path
    check_message(visit, THREAT_KY)
    assert page.evaluate("window.__violations") == []
    page.click("#quick-exit")
    page.wait_for_url("**/recipes?lang=ky")
    assert page.evaluate("window.__violations") == []
    hosts = {r.url.split("/")[2] for r in visit.requests if r.url.startswith("http")}
    assert hosts == {visit.base.split("/")[2]}
    assert len(visit.requests) >= 15
    assert visit.outside_requests() == []
