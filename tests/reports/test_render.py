from __future__ import annotations

import re
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfReader

from tests.reports.sample import KAZAKH_MESSAGE, KYRGYZ_MESSAGE, long_report, sample_report
from tumar.errors import InputError, TumarError, UnknownFormError, UnsupportedLanguageError
from tumar.i18n import t
from tumar.knowledge.booklet import law_line
from tumar.reports import (
    EvidenceRow,
    NoteRow,
    ReportData,
    ReportFinding,
    ReportMessage,
    render_html,
    render_pdf,
    write_report,
)
from tumar.reports import strings as s
from tumar.reports.pdf import FONT_DIR, FONT_FILES, LocalFileFetcher, to_pdf
from tumar.reports.view import HASH_PREFIX, SHARED_KEYS, build_view, form_counts

LANGS = ("ky", "ru", "kk", "en")


def _h2s(html: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", html)


def _e(text: str) -> str:
    return str(escape(text))


@pytest.fixture(scope="module", params=LANGS)
def lang_html(request: pytest.FixtureRequest) -> tuple[str, ReportData, str]:
    lang = request.param
    data = sample_report(lang)
    return lang, data, render_html(data, lang)


# --- HTML: structure and content --------------------------------------------------------------------------


def test_sections_are_in_order_with_localized_headings(lang_html):
    lang, _, html = lang_html
    assert f'<html lang="{lang}">' in html
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == _e(s.text("report_title", lang))
    assert _h2s(html) == [
        _e(x)
        for x in (
            s.text("summary", lang),
            s.text("patterns", lang),
            s.text("timeline", lang),
            s.text("forms_section", lang),
            t("laws", lang),
            s.text("evidence", lang),
            s.text("custody", lang),
            s.text("notes", lang),
            s.text("next_steps", lang),
            t("help", lang),
        )
    ]


def test_title_block_and_notice(lang_html):
    lang, data, html = lang_html
    assert data.case_id in html
    assert _e(data.title) in html
    assert "2026-03-12 10:11:00 UTC" in html  # generated
    assert "2026-03-12 09:10:00 UTC" in html  # opened
    assert _e(s.text("notice", lang)) in html
    assert _e(t("urgent_note", lang)) in html  # the sample case is urgent


def test_summary_numbers_forms_and_abuser(lang_html, kb):
    lang, data, html = lang_html
    summary = html[html.index('id="summary"') : html.index('id="patterns"')]
    assert "<td>1284</td>" in summary
    assert "<td>10</td>" in summary
    assert "2026-02-20 — 2026-03-11" in summary
    assert _e(s.text("urgent_yes", lang)) in summary
    assert "<td>Бекзат</td>" in summary
    assert _e(data.description) in summary
    for form_id, count in form_counts(data):
        row = f'<tr><td>{_e(kb.form(form_id).t(lang).name)}</td><td class="num">{count}</td></tr>'
        assert row in summary


def test_patterns_timeline_full_text_and_findings(lang_html, kb):
    lang, data, html = lang_html
    for pattern in data.patterns:
        assert _e(pattern.description) in html
    timeline = html[html.index('id="timeline"') : html.index('id="forms"')]
    assert timeline.count('<article class="message') == len(data.messages)
    for message in data.messages:
        assert _e(message.text) in timeline  # whole text, newlines kept (pre-wrap)
        assert message.date.strftime("%Y-%m-%d %H:%M:%S") in timeline
        for finding in message.findings:
            assert _e(finding.explanation) in timeline
            assert f"{finding.confidence:.0%}" in timeline
            assert _e(kb.form(finding.form).t(lang).name) in timeline
    assert timeline.count('class="message is-urgent"') == sum(m.urgent for m in data.messages) == 3


def test_forms_have_glossary_name_and_definition(lang_html, kb):
    lang, data, html = lang_html
    section = html[html.index('id="forms"') : html.index('id="laws"')]
    for form_id in data.forms:
        text = kb.form(form_id).t(lang)
        assert f"<h3>{_e(text.name)}</h3>" in section
        assert _e(text.definition) in section


def test_laws_by_country_from_the_knowledge_base(lang_html, kb):
    lang, data, html = lang_html
    section = html[html.index('id="laws"') : html.index('id="evidence"')]
    assert _e(t("legal_disclaimer", lang)) in section
    kg_start = section.index(f"<h3>{_e(t('country_KG', lang))}</h3>")
    kz_start = section.index(f"<h3>{_e(t('country_KZ', lang))}</h3>")
    verify = 0
    for country, (start, end) in {"KG": (kg_start, kz_start), "KZ": (kz_start, len(section))}.items():
        laws = {law.id: law for f in data.forms for law in kb.laws_for(f, country)}
        assert laws, country
        for law in laws.values():
            assert _e(law_line(law, lang)) in section[start:end], law.id
            assert law.article is None or _e(law.article) in section[start:end]
        verify += sum(law.verify_with_lawyer for law in laws.values())
    assert verify >= 1  # the sample's forms include a glossary-only KG entry
    assert section.count('<li class="verify">') == verify
    assert section.count(_e(t("verify_with_lawyer", lang))) == verify


def test_evidence_hashes_in_full_and_custody_rows(lang_html):
    lang, data, html = lang_html
    evidence = html[html.index('id="evidence"') : html.index('id="custody"')]
    for item in data.evidence:
        assert f'<span class="mono hash">{item.sha256}</span>' in evidence
        assert _e(item.name) in evidence and _e(item.source) in evidence
    assert "2\u00a0841\u00a0337" in evidence or "2,841,337" in evidence
    custody = html[html.index('id="custody"') : html.index('id="notes"')]
    assert custody.count("<tr>") == len(data.custody) + 1  # + header
    for row in data.custody:
        assert f'<td class="num">{row.seq}</td>' in custody
        assert f'<td class="mono hash">{row.hash[:HASH_PREFIX]}</td>' in custody
        assert f'<td class="mono hash">{row.prev_hash[:HASH_PREFIX]}</td>' in custody
        assert row.at.strftime("%Y-%m-%d %H:%M:%S") in custody
    assert _e(s.text("action_item_added", lang)) in custody
    assert _e(s.text("custody_ok", lang)) in custody
    assert _e(s.text("custody_broken", lang)) not in custody


def test_notes_next_steps_and_help_contacts(lang_html, kb):
    lang, data, html = lang_html
    for note in data.notes:
        assert _e(note.text) in html
    steps = html[html.index('id="next-steps"') : html.index('id="help"')]
    general = kb.sections["what_to_do"]
    assert _e(general.title.get(lang)) in steps
    for point in general.points.get(lang):
        assert _e(point) in steps
    for form_id in data.forms:
        for step in kb.form(form_id).t(lang).what_to_do:
            assert _e(step) in steps
    help_section = html[html.index('id="help"') :]
    for country in ("KG", "KZ"):
        for service in kb.help_for(country):
            assert _e(service.name.get(lang)) in help_section
            if service.contact:
                assert f"<strong>{_e(service.contact)}</strong>" in help_section
    assert _e(s.text("no_contact", lang)) in help_section  # the KB has services without a contact


def test_page_footer_counts_pages_in_the_report_language(lang_html):
    lang, _, html = lang_html
    footer = re.search(r"@bottom-center \{ content: (.*?); \}", html).group(1)
    expected = {
        "ky": '"Бет " counter(page) " / " counter(pages)',
        "ru": '"Страница " counter(page) " из " counter(pages)',
        "kk": '"Бет " counter(page) " / " counter(pages)',
        "en": '"Page " counter(page) " of " counter(pages)',
    }
    assert footer == expected[lang]


def test_html_loads_nothing_from_outside(lang_html):
    _, _, html = lang_html
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    assert not [tag for tag in tags if re.search(r"\b(src|href|srcset|action|data)\s*=", tag)]
    assert not [tag for tag in tags if re.match(r"<(script|link|img|iframe|object|embed|base)\b", tag)]
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "<style>" in html and "string(case-id)" in style  # the CSS is inline


# --- HTML: escaping and variants ------------------------------------------------------------------------------


def test_user_text_is_escaped_everywhere():
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    data = sample_report("ru")
    message = replace(data.messages[0], text=f"смотри {evil}", chat=f"чат {evil}", sender=f"Б {evil}")
    data = replace(
        data,
        title=f"Дело {evil}",
        description=evil,
        messages=(message, *data.messages[1:]),
        notes=(NoteRow(datetime(2026, 3, 12, tzinfo=UTC), f"автор {evil}", evil),),
        evidence=(replace(data.evidence[0], name=evil, source=evil),),
        extra={"Платформа": evil},
    )
    html = render_html(data, "ru")
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") == 10
    assert '<tr><th scope="row">Платформа</th>' in html


def test_broken_chain_and_not_urgent_case():
    data = replace(
        sample_report("en"),
        custody_verified=False,
        urgent=False,
        messages=tuple(replace(m, urgent=False) for m in sample_report("en").messages),
    )
    html = render_html(data, "en")
    assert s.text("custody_broken", "en") in html and 'class="chain-broken"' in html
    assert t("urgent_note", "en") not in html
    assert s.text("urgent_no", "en") in html


@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_case_still_renders(lang, kb):
    data = ReportData(
        case_id="KZ-2026-0001",
        title="Жаңа іс",
        created_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        generated_at=datetime(2026, 1, 5, 8, 1, tzinfo=UTC),
        countries=("KZ",),
    )
    html = render_html(data, lang)
    for key in (
        "no_patterns",
        "no_messages",
        "no_forms",
        "no_evidence",
        "no_custody",
        "no_notes",
        "not_identified",
    ):
        assert _e(s.text(key, lang)) in html, key
    assert _e(t("country_KG", lang)) not in html  # only the countries asked for
    for service in kb.help_for("KZ"):
        assert _e(service.name.get(lang)) in html


def test_form_counts_follow_case_order_then_frequency():
    data = sample_report("en")
    assert form_counts(data) == [
        ("sextortion", 3),
        ("cyberstalking", 3),
        ("online_harassment", 3),
        ("doxxing", 2),
        ("slut_shaming", 2),
        ("digital_control", 1),
    ]
    extra = ReportMessage(
        "EV-0005",
        "1",
        "Instagram",
        datetime(2026, 3, 12),
        None,
        "…",
        (ReportFinding("impersonation", 0.7, "x"),),
    )
    counted = form_counts(replace(data, forms=("doxxing",), messages=(*data.messages, extra)))
    assert counted[0] == ("doxxing", 2)
    assert counted[-1] == ("impersonation", 1)
    assert [f for f, _ in counted[1:4]] == ["cyberstalking", "online_harassment", "sextortion"]


def test_times_utc_and_local(kb):
    almaty = timezone(timedelta(hours=5))
    data = sample_report("en")
    message = replace(data.messages[0], date=datetime(2026, 3, 2, 23, 14, 5, tzinfo=almaty), sender=None)
    evidence = replace(data.evidence[0], acquired_at=datetime(2026, 3, 12, 14, 14, 2, tzinfo=almaty))
    view = build_view(replace(data, messages=(message,), evidence=(evidence,)), "en", kb)
    assert view.messages[0].date == "2026-03-02 23:14:05 UTC+05:00"
    assert view.messages[0].sender == s.text("unknown_sender", "en")
    assert view.evidence[0].acquired_at == "2026-03-12 09:14:02"
    assert view.evidence[0].size == "2,841,337\u00a0bytes"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"countries": ("KG", "UZ")}, InputError),
        ({"forms": ("sextorsion",)}, UnknownFormError),
    ],
)
def test_bad_data_raises_clear_errors(change, error):
    with pytest.raises(error):
        render_html(replace(sample_report("ru"), **change), "ru")


def test_unsupported_language():
    with pytest.raises(UnsupportedLanguageError):
        render_html(sample_report("ru"), "uz")


def test_strings_are_complete_and_do_not_shadow_shared_words():
    for key in s.KEYS:
        for lang in LANGS:
            assert s.text(key, lang).strip(), (key, lang)
    assert not set(SHARED_KEYS) & set(s.KEYS)
    for lang in LANGS:
        assert "{page}" in s.text("page_label", lang) and "{pages}" in s.text("page_label", lang)


# --- PDF ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=LANGS)
def lang_pdf(request: pytest.FixtureRequest) -> tuple[str, ReportData, PdfReader]:
    lang = request.param
    data = sample_report(lang)
    raw = render_pdf(data, lang)
    assert raw.startswith(b"%PDF-")
    return lang, data, PdfReader(BytesIO(raw))


def _pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_text_keeps_kyrgyz_and_kazakh_letters(lang_pdf):
    lang, data, reader = lang_pdf
    text = _pdf_text(reader)
    for letter in "ңөүәғқұһі":
        assert letter in text, letter
    for word in ("Сүрөттөрүңдү", "көрсөтөм", "кеттиң", "Гауһар", "Бекзатқа", "ұят", "ғой", "жіберем"):
        assert word in text, word
    assert s.text("report_title", lang) in text
    assert data.case_id in text
    for item in data.evidence:
        assert item.sha256 in text  # a full hash fits one line
    assert KYRGYZ_MESSAGE.split()[0] in text and KAZAKH_MESSAGE.split()[0] in text


def test_pdf_embeds_only_dejavu(lang_pdf):
    _, _, reader = lang_pdf
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = descriptor["/FontFile2"].get_object().get_data()
    assert len(fonts) >= 2  # regular and bold (and mono for hashes)
    for name, data in fonts.items():
        assert "DejaVu" in name, name
        assert "DejaVu".encode("utf-16-be") in data, name  # the embedded file's own name table


def test_pdf_fonts_come_from_the_declared_files(monkeypatch):
    fetched: list[str] = []
    original = LocalFileFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LocalFileFetcher, "fetch", spy)
    to_pdf("<p>Гауһар <b>ұят</b> <span class='mono'>0f</span></p>")
    assert sorted(fetched) == sorted((FONT_DIR / name).as_uri() for _, _, name in FONT_FILES)


def test_pdf_pages_are_numbered(lang_pdf):
    lang, _, reader = lang_pdf
    n = len(reader.pages)
    assert n > 1
    last = reader.pages[-1].extract_text()
    assert s.text("page_label", lang).format(page=n, pages=n) in last


def test_long_case_runs_over_many_pages():
    reader = PdfReader(BytesIO(render_pdf(long_report("ky", n=60), "ky")))
    assert len(reader.pages) > 10


def test_missing_fonts_give_a_clear_error(tmp_path: Path):
    with pytest.raises(TumarError, match="fonts-dejavu-core"):
        render_pdf(sample_report("ru"), "ru", font_dir=tmp_path)
    (tmp_path / "DejaVuSans.ttf").write_bytes((FONT_DIR / "DejaVuSans.ttf").read_bytes())
    with pytest.raises(TumarError, match=r"DejaVuSans-Bold\.ttf is missing"):
        render_pdf(sample_report("ru"), "ru", font_dir=tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/style.css",
        "https://fonts.googleapis.com/css2?family=Roboto",
        "ftp://example.org/font.ttf",
        "data:text/css,body{color:red}",
        "file:///etc/passwd",
        "file:///usr/share/fonts/truetype/dejavu/../../../../etc/passwd",
        "file://example.org/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
)
def test_fetcher_refuses_anything_but_local_fonts(url):
    with pytest.raises(PermissionError):
        LocalFileFetcher((FONT_DIR,)).fetch(url)


def test_fetcher_reads_a_font_under_its_root():
    response = LocalFileFetcher((FONT_DIR,)).fetch((FONT_DIR / "DejaVuSans.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


@pytest.mark.parametrize(
    "html",
    [
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>x</p>',
        '<p>x</p><img src="https://example.org/pixel.png">',
        "<style>@import url(http://127.0.0.1:9/a.css);</style><p>x</p>",
    ],
)
def test_rendering_never_touches_the_network(html, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(TumarError, match="does not load"):
        to_pdf(html)


# --- writing files, imports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "magic"), [("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF-")])
def test_write_report(tmp_path: Path, fmt: str, magic: bytes):
    path = write_report(sample_report("kk"), "kk", fmt, tmp_path / f"report.{fmt}")
    assert path.read_bytes().startswith(magic)


@pytest.mark.parametrize(
    ("fmt", "where", "message"),
    [("docx", "report.docx", "unknown report format"), ("html", "missing/report.html", "does not exist")],
)
def test_write_report_refuses_bad_requests(tmp_path: Path, fmt: str, where: str, message: str):
    with pytest.raises(InputError, match=message):
        write_report(sample_report("en"), "en", fmt, tmp_path / where)


def test_importing_reports_does_not_load_weasyprint():
    code = "import sys, tumar.reports; assert 'weasyprint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_evidence_row_kinds_are_localized(kb):
    row = EvidenceRow(
        "EV-9", "image_match", "a.jpg", "ab" * 32, 1, datetime(2026, 1, 1, tzinfo=UTC), "web upload"
    )
    other = replace(row, item_id="EV-10", kind="hologram")
    view = build_view(replace(sample_report("ky"), evidence=(row, other)), "ky", kb)
    assert [e.kind for e in view.evidence] == [s.text("kind_image_match", "ky"), "hologram"]
