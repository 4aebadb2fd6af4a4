"""The lexicon files load, cover every form in every language, and their cues fire where they should."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import REPO
from tumar.analysis.doc import Doc
from tumar.knowledge.models import ALL_FORM_IDS
from tumar.recognizers.lexicon import (
    LexiconRecognizer,
    _compile,
    _lower_unescaped,
    find_signals,
    lexicons_for,
    load_lexicon,
    prepared_pattern,
    scan,
    subject_first,
)

LEXICONS = REPO / "src" / "tumar" / "recognizers" / "data" / "lexicons"


@pytest.mark.parametrize("lang", ["ky", "kk", "ru", "en"])
def test_every_form_has_cues(lang):
    lexicon = load_lexicon(lang)
    assert set(lexicon.cues.by_label) == set(ALL_FORM_IDS)
    assert lexicon.urgent.by_label and lexicon.context.by_label


def test_lowering_keeps_escapes():
    assert _lower_unescaped(r"Өлтүр(\w+\W+){0,5}\S\D\B") == r"өлтүр(\w+\W+){0,5}\S\D\B"


CUES = [
    ("сенин номериңди бардык группага чыгарам", "doxxing"),
    ("seni oltyrom", None),
    ("акча которбосоң видеоңду бардыгына жиберем", "sextortion"),
    ("ya tvoi nudes vsem skinu", "revenge_porn"),
    ("скинь нюдсы или я тебя брошу", "coerced_sexting"),
    ("I am going to post your nudes everywhere", "image_based_sexual_abuse"),
]


@pytest.mark.parametrize(("text", "form"), CUES)
def test_cue_examples(text, form):
    doc = Doc(text)
    cues = LexiconRecognizer().analyze(doc)
    if form:
        assert form in {c.form for c in cues}
    for cue in cues:
        assert 0 <= cue.start < cue.end <= len(text)


@pytest.mark.parametrize("text", ["seni oltyrom", "я тебя убью, сука", "өлтүрөм сени", "i want to die"])
def test_urgent_signals(text):
    assert find_signals(Doc(text), "urgent")


@pytest.mark.parametrize(
    "text",
    ["а" * 100_000, "слово " * 3_000, "!!! " * 25_000, "x" * 100_000, "(" * 100_000],
    ids=["one-long-word", "many-words", "punctuation", "latin-run", "brackets"],
)
def test_pathological_input_is_analysed(text):
    doc = Doc(text)
    assert LexiconRecognizer().analyze(doc) == []
    assert len(doc.folded) == len(text)


def test_spans_of_transliterated_words_cover_the_whole_word():
    doc = Doc("ok seni oltyrom")
    i = doc.cyr.index("олтыром")
    assert doc.text[slice(*doc.cyr_span(i, i + 7))] == "oltyrom"


def test_windows_find_cues_late_in_long_texts():
    text = "салам " * 2000 + "сенин номериңди бардык группага чыгарам"
    cues = LexiconRecognizer().analyze(Doc(text))
    assert any(c.form == "doxxing" and c.start > 11_000 for c in cues)


NEAR = r"(?:(?<!\w)(?=.{0,250}(фот\w*|видео))(?:(скину|солью)\s+всем)|(?=(фот\w*|видео)).{0,250}?(?<!\w)(?:(скину|солью)\s+всем))"
NEAR_TEXTS = [
    "твои фото скину всем",
    "скину всем твои фото",
    "скину всем, а видео потом",
    "скину всем",  # no photo word near: no match
    "фото\nскину всем",  # "." does not cross lines: no match
    "фото" + " x" * 200 + " скину всем",  # too far apart
    "видео видео скину всем скину всем фото",
]


def test_subject_first_rewrites_near_patterns_without_changing_matches():
    faster = subject_first(NEAR)
    assert faster != NEAR and faster.count("(?:(скину|солью)\\s+всем)") == 3
    for text in NEAR_TEXTS:
        spans = [m.span() for m in re.finditer(NEAR, text)]
        assert [m.span() for m in re.finditer(faster, text)] == spans, text


@pytest.mark.parametrize("raw", [r"(?<!\w)(?:убью)", r"(?<!\w)(?=.{0,250}(x)", r"(?<!\w)(?=.{0,250}(x))y"])
def test_subject_first_leaves_other_patterns_alone(raw):
    assert subject_first(raw) == raw


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_near_patterns_of_the_lexicons_match_as_written(lang):
    """The loader's rewrite keeps every match of the lexicon's own "near" patterns on real messages."""
    data = yaml.safe_load((LEXICONS / f"{lang}.yaml").read_text(encoding="utf-8"))
    raws = [item["re"] for item in (*data["cues"], *data["urgent"]) if "(?=.{0,250}" in item["re"]]
    assert raws
    texts = [
        json.loads(line)["text"]
        for path in sorted((REPO / "training" / "corpus").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()[::9]
        if line.strip()
    ]
    views = [load_lexicon(lang).view(Doc(text)) for text in texts]
    for raw in raws:
        as_written, loaded = re.compile(prepared_pattern(raw)), _compile(raw, lang)
        assert loaded.pattern != as_written.pattern
        for view in views:
            assert [m.span() for m in loaded.finditer(view)] == [m.span() for m in as_written.finditer(view)]


SCAN_TEXTS = [
    "сенин номериңди бардык группага чыгарам",
    "я тебя убью, сука, шучу конечно 😂",
    "жарыялабайм, коркпо. бирок видеоңду бүгүн кечинде бардыгына жиберем",
    "I won't post it. jk, your nudes go to your whole class tonight unless you pay",
    "По данным МВД, задержан мужчина, который угрожал убить бывшую жену",
    "ya tvoi nudes vsem skinu segodnya",
    "салам " * 400 + "сенин номериңди бардык группага чыгарам, өлтүрөм сени",
]


@pytest.mark.parametrize("text", SCAN_TEXTS, ids=lambda t: t[:25])
def test_scan_finds_what_the_full_listings_find(text):
    """One pass gives every cue, every negation and each urgency and context kind of the full listings."""
    doc = Doc(text)
    found = scan(doc)
    assert found.cues == LexiconRecognizer().analyze(doc)
    urgent, context = find_signals(doc, "urgent"), find_signals(doc, "context")
    assert {s.kind for s in found.urgent} == {s.kind for s in urgent}
    assert len(found.urgent) == len({s.kind for s in urgent})
    assert {s.kind for s in found.context} == {s.kind for s in context}
    negations = [s for s in context if s.kind == "negation"]
    assert [s for s in found.context if s.kind == "negation"] == negations
    if "won't" in text:
        assert negations


@pytest.mark.parametrize(
    ("text", "joke"),
    [
        ("if you eat my cake I'll kill you 😂", True),
        ("Not joking this time, I will kill you", False),
        ("я не шучу, найду и убью", False),
        ("шучу конечно, убью если торт съешь", True),
        ("тамашалап жаткан жокмун, сени өлтүрөм", False),
        ("азил емес, олтиремин", False),
    ],
)
def test_a_negated_joke_is_no_joke(text, joke):
    assert any(s.kind == "joke" for s in find_signals(Doc(text), "context")) is joke


@pytest.mark.parametrize(
    ("text", "lang", "langs"),
    [
        ("Ata-anan kete salysymen maganan zhaz, men kelip alyp ketem", "ky", ["ky", "kk", "ru", "en"]),
        ("ата-анаң кете салысымен жаз", "kk", ["kk", "ky", "ru"]),
        ("сүрөттөрүңдү чыгарам", "ky", ["ky", "ru"]),  # ө, ү: Kyrgyz for sure (ң is in both)
        ("ақша аудар", "kk", ["kk", "ru"]),
        ("I'll post it", "en", ["en", "ru"]),
    ],
)
def test_plain_typed_kyrgyz_and_kazakh_get_both_lexicons(text, lang, langs):
    doc = Doc(text)
    doc.language = lang
    assert [lexicon.lang for lexicon in lexicons_for(doc)] == langs


@pytest.mark.parametrize(
    "text", ["Я не вижу смысла дальше жить, честно", "she says she wants to disappear forever"]
)
def test_self_harm_variants(text):
    assert "self_harm" in {s.kind for s in find_signals(Doc(text), "urgent")}
