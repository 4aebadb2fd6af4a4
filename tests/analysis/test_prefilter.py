"""The literal prefilter: what each pattern needs, and that it never drops a pattern that matches."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import REPO
from tumar.analysis.doc import Doc
from tumar.recognizers.lexicon import LEXICON_LANGUAGES, load_lexicon
from tumar.recognizers.prefilter import Prefilter, required_sets

REQUIRED = [
    (r"убью|прибью", [{"убью", "прибью"}]),
    (r"(ты|тебе|тебя)\s+дура", [{"дура"}, {"ты", "тебе", "тебя"}]),  # a shared prefix spelled out again
    (r"pics?\b.{0,9}leak", [{"leak"}, {"pic", "pics"}]),  # optional letters and \b spelled through
    (
        r"все,? что ты (мне )?присылала",
        [
            {
                "все, что ты присылала",
                "все что ты мне присылала",
                "все, что ты мне присылала",
                "все что ты присылала",
            }
        ],
    ),
    (r"(?=.{0,50}фото)(?:скину|солью)", [{"скину", "солью"}, {"фото"}]),  # a look-ahead must be there too
    (r"(?:a\w+b|c\w+d)", []),  # one-letter pieces are no requirement
    (r"(?i)секрет", []),  # case-insensitive: nothing derived
    # an alternation of branches with two needs each: one need from each branch, joined
    (
        r"(?:видео\w*\s+скину|фото\w*\s+солью)",
        [{"скину", "солью"}, {"видео", "солью"}, {"скину", "фото"}, {"видео", "фото"}],
    ),
]


@pytest.mark.parametrize(("pattern", "expected"), REQUIRED, ids=[p for p, _ in REQUIRED])
def test_required_sets(pattern, expected):
    assert sorted(map(sorted, required_sets(re.compile(pattern)))) == sorted(map(sorted, expected))


def test_a_pattern_is_a_candidate_only_when_every_need_is_met():
    patterns = [
        re.compile(r"(ты|тебе)\s+дура"),
        re.compile(r"скину"),
        re.compile(r"(?i)x"),
        re.compile("фото"),
    ]
    prefilter = Prefilter(patterns)
    assert prefilter.candidates("ты дура") == [0, 2]
    assert prefilter.candidates("дура") == [2]  # "ты" missing
    assert prefilter.candidates("ты тебе дура, скину фото") == [0, 1, 2, 3]
    assert prefilter.candidates("") == [2]
    assert Prefilter([]).candidates("anything") == []


def _sample_texts() -> list[str]:
    """Every 7th corpus message, the golden texts and a few odd ones."""
    texts = []
    for path in sorted((REPO / "training" / "corpus").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines[::7] if line.strip()]
    golden = (REPO / "tests" / "golden" / "analyzer.tsv").read_text(encoding="utf-8").splitlines()
    texts += [line.split("\t")[3] for line in golden if line.strip() and not line.startswith("#")]
    return [*texts, "", "ok seni oltyrom", "3.14здец", "I'll post your nudes tonight at 9pm"]


@pytest.mark.parametrize("lang", LEXICON_LANGUAGES)
def test_no_lexicon_pattern_that_matches_is_filtered_out(lang):
    lexicon = load_lexicon(lang)
    patterns = [*lexicon.cues.patterns, *lexicon.urgent.patterns, *lexicon.context.patterns]
    prefilter = Prefilter([p.regex for p in patterns])
    matched = 0
    for text in _sample_texts():
        view = lexicon.view(Doc(text))
        candidates = set(prefilter.candidates(view))
        for i, pattern in enumerate(patterns):
            if pattern.regex.search(view):
                matched += 1
                assert i in candidates, (pattern.source, text)
    assert matched > 100  # the sample does exercise the patterns
