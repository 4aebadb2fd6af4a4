"""The analyzer engine with a fake embedder and a tiny model: batching, repeats, order, bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tumar.analysis.analyzer import MAX_CHARS, Analyzer
from tumar.embeddings.fake import FakeEmbedder
from tumar.recognizers.classifier import FEATURE_NAMES, OUTPUTS, ClassifierModel, train_mlp

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))

from ngram_fit import fit_ngram_model

TRAIN = [
    ("сенин номериңди бардык группага чыгарам", {"doxxing"}),
    ("вот её номер, звоните ей все", {"doxxing"}),
    ("here is her address, go visit her", {"doxxing"}),
    ("скинь фото или всем расскажу", {"sextortion"}),
    ("pay me or your video goes online", {"sextortion", "urgent"}),
    ("салам, кандайсын?", set()),
    ("купи хлеба пожалуйста", set()),
    ("see you at the match tomorrow", set()),
]


@pytest.fixture(scope="module")
def analyzer():
    from tumar.analysis.analyzer import prepare

    embedder = FakeEmbedder()
    x = np.hstack(
        [embedder.embed([t for t, _ in TRAIN]), np.stack([prepare(t).features() for t, _ in TRAIN])]
    )
    y = np.array(
        [
            [1.0 if o in labels | ({"abusive"} if labels else set()) else 0.0 for o in OUTPUTS]
            for _, labels in TRAIN
        ],
        dtype=np.float32,
    )
    weights = np.ones(len(TRAIN), np.float32)
    params = train_mlp(x, y, weights, hidden=32, epochs=200, seed=1)
    views = [prepare(t).doc.cyr for t, _ in TRAIN]
    model = ClassifierModel(
        *params,
        thresholds=np.full(len(OUTPUTS), 0.5, np.float32),
        embedder="fake",
        meta={"outputs": list(OUTPUTS), "features": list(FEATURE_NAMES)},
        ngram=fit_ngram_model(views, y, weights, min_df=1, c=50.0),
        blend=0.5,
    )
    return Analyzer(embedder=embedder, model=model)


def test_learns_its_training_examples(analyzer):
    assert "doxxing" in analyzer.analyze("сенин номериңди бардык группага чыгарам").forms
    assert analyzer.analyze("салам, кандайсын?").forms == ()


def test_batch_keeps_ids_and_order_and_embeds_repeats_once(analyzer):
    embedder = analyzer.embedder
    before = embedder.calls
    items = [
        (i, text, None) for i, text in enumerate(["a b c", "скинь фото или всем расскажу", "a b c", "x y"])
    ]
    results = analyzer.analyze_batch(items)
    assert [r.id for r in results] == [0, 1, 2, 3]
    assert results[0].to_json() | {"id": 2} == results[2].to_json()
    assert embedder.calls == before + 1


def test_json_contract(analyzer):
    data = analyzer.analyze("вот её номер +996 555 12 34 56, звоните ей все", id="m1").to_json()
    assert set(data) == {"id", "language", "urgent", "severity", "findings", "pii"}
    assert data["id"] == "m1"
    assert data["severity"] in ("none", "low", "medium", "high", "urgent")
    assert {"type": "phone", "text": "+996 555 12 34 56", "start": 13, "end": 30} in data["pii"]
    for f in data["findings"]:
        assert set(f) == {"form", "confidence", "spans", "cues", "explanation"}
        assert 0 <= f["confidence"] <= 1 and f["explanation"]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02\xff", "🙂🙂🙂", "1234567"])
def test_odd_input_is_analysed_without_error(analyzer, text):
    result = analyzer.analyze(text)
    assert result.language == "unknown"
    assert result.findings == ()


def test_huge_text_is_cut_not_refused():
    analyzer = Analyzer(fast=True, max_chars=5_000)
    result = analyzer.analyze("сенин номериңди бардык группага чыгарам " * 30_000)
    assert "doxxing" in result.forms
    assert all(end <= 5_000 for f in result.findings for _, end in f.spans)
    assert MAX_CHARS == 100_000


def test_explanations_in_the_requested_language(analyzer, kb):
    result = analyzer.analyze("сенин номериңди бардык группага чыгарам", explain_lang="kk")
    finding = next(f for f in result.findings if f.form == "doxxing")
    assert kb.form("doxxing").t("kk").definition in finding.explanation


def test_fast_mode_needs_no_model():
    fast = Analyzer(fast=True)
    result = fast.analyze("сенин номериңди бардык группага чыгарам")
    assert "doxxing" in result.forms
    assert fast.embedder is None and fast.model is None


def test_parent_forms_follow_the_taxonomy():
    result = Analyzer(fast=True).analyze("он скинул мне фото своего члена, я не просила")
    if "unsolicited_explicit_image" in result.forms:
        assert {"cyberflashing", "image_based_sexual_abuse"} <= set(result.forms)


def constant_model(urgent: float, abusive: float, floor: float) -> ClassifierModel:
    """A model whose outputs are the same for every text: ``urgent`` and ``abusive`` probabilities, nothing else."""
    d = FakeEmbedder().dim + len(FEATURE_NAMES)
    logits = np.full(len(OUTPUTS), -20.0, np.float32)
    logits[OUTPUTS.index("urgent")] = np.log(urgent / (1 - urgent))
    logits[OUTPUTS.index("abusive")] = np.log(abusive / (1 - abusive))
    return ClassifierModel(
        np.zeros((d, 4), np.float32),
        np.zeros(4, np.float32),
        np.zeros((4, len(OUTPUTS)), np.float32),
        logits,
        thresholds=np.full(len(OUTPUTS), 0.5, np.float32),
        embedder="fake",
        meta={"outputs": list(OUTPUTS), "features": list(FEATURE_NAMES)},
        urgent_floor=floor,
    )


@pytest.mark.parametrize(
    ("abusive", "floor", "urgent"), [(0.3, 0.2, True), (0.3, 0.4, False), (0.9, 0.5, True)]
)
def test_the_urgency_output_needs_the_abusive_floor(abusive, floor, urgent):
    analyzer = Analyzer(embedder=FakeEmbedder(), model=constant_model(0.9, abusive, floor), cache_size=0)
    assert analyzer.analyze("эртең жолугабыз").urgent is urgent


def test_the_urgent_floor_survives_save_and_load(tmp_path):
    constant_model(0.9, 0.3, 0.42).save(tmp_path / "m.npz")
    assert ClassifierModel.load(tmp_path / "m.npz").urgent_floor == pytest.approx(0.42)
