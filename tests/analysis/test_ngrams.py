"""The character n-gram model: n-grams, training/inference agreement, the blend, saving and loading."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tumar.analysis.analyzer import prepare
from tumar.analysis.doc import Doc
from tumar.recognizers.classifier import FEATURE_NAMES, OUTPUTS, ClassifierModel
from tumar.recognizers.ngrams import NgramModel, char_ngrams

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))

from ngram_fit import fit_ngram_model, tfidf_matrix

TEXTS = [
    ("сенин номериңди бардык группага чыгарам", 1),
    ("nomerindi gruppaga chygaram, kut", 1),
    ("вот её номер, звоните ей все", 1),
    ("адресин жана номерин каналга салып койдум", 1),
    ("салам, кандайсын? эртең жолугабызбы", 0),
    ("купи хлеба пожалуйста", 0),
    ("see you at the match tomorrow", 0),
    ("менин номерим 0555 12 34 56, килем сатылат", 0),
]


def test_ngrams_of_one_short_word():
    assert char_ngrams("ой") == {" о": 1, "ой": 1, "й ": 1, " ой": 1, "ой ": 1, " ой ": 1}


def test_repeats_are_counted_and_long_words_cut():
    assert char_ngrams("ха ха")[" ха "] == 2
    assert max(map(len, char_ngrams("x" * 5000))) == 5
    assert sum(char_ngrams("x" * 5000).values()) == sum(char_ngrams("x" * 40).values())


def test_latin_kyrgyz_shares_ngrams_with_cyrillic_through_the_cyrillic_view():
    latin = set(char_ngrams(Doc("seni korup turam").cyr))
    cyrillic = set(char_ngrams(Doc("сени көрүп турам").cyr))
    assert len(latin & cyrillic) / len(latin | cyrillic) > 0.8


@pytest.fixture(scope="module")
def fitted() -> tuple[NgramModel, list[str], np.ndarray]:
    views = [Doc(t).cyr for t, _ in TEXTS]
    y = np.array([[label, 1 - label] for _, label in TEXTS], dtype=np.float32)
    return fit_ngram_model(views, y, np.ones(len(TEXTS), np.float32), min_df=1, c=50.0), views, y


def test_training_and_inference_compute_the_same_vectors(fitted):
    model, views, _ = fitted
    matrix = tfidf_matrix(model, views)
    for i, view in enumerate(views):
        cols, vals = model.vector(view)
        row = np.zeros(len(model.vocabulary), np.float32)
        row[cols] = vals
        assert np.array_equal(matrix[i].toarray()[0], row)
        # … and the vector is the sublinear TF-IDF of the view's n-grams, L2-normalised
        counts = char_ngrams(view)
        expected = np.zeros(len(model.vocabulary), np.float64)
        for gram, n in counts.items():
            if gram in model.index:
                expected[model.index[gram]] = (1.0 + np.log(n)) * model.idf[model.index[gram]]
        assert np.allclose(row, expected / np.linalg.norm(expected), atol=1e-6)


def test_learns_its_examples_and_generalises_a_little(fitted):
    model, views, y = fitted
    probs = model.predict(views)
    assert ((probs[:, 0] >= 0.5) == (y[:, 0] > 0)).all()
    unseen = model.predict([Doc("номерин группага чыгарып жиберем").cyr, Doc("see you tomorrow").cyr])
    assert unseen[0, 0] > unseen[1, 0]


def test_unknown_text_gets_the_bias_alone(fitted):
    model, _, _ = fitted
    assert np.allclose(model.decision(["ʘʘʘʘ ʬʬʬ"]), model.decision([""]))
    assert np.allclose(model.decision([""])[0], model.bias)


def _blended(ngram: NgramModel, blend: float) -> ClassifierModel:
    rng = np.random.default_rng(3)
    d, k = 8 + len(FEATURE_NAMES), len(OUTPUTS)
    weights = np.zeros((len(ngram.vocabulary), k), np.float32)
    weights[:, 0] = ngram.weights[:, 0]
    return ClassifierModel(
        rng.normal(size=(d, 4)).astype(np.float32),
        np.zeros(4, np.float32),
        rng.normal(size=(4, k)).astype(np.float32),
        np.zeros(k, np.float32),
        thresholds=np.full(k, 0.5, np.float32),
        embedder="fake",
        meta={"outputs": list(OUTPUTS), "features": list(FEATURE_NAMES)},
        ngram=NgramModel(ngram.vocabulary, ngram.idf, weights, np.zeros(k, np.float32)),
        blend=blend,
    )


def test_blend_mixes_the_two_models_and_survives_saving(fitted, tmp_path):
    ngram, views, _ = fitted
    model = _blended(ngram, 0.25)
    x = np.random.default_rng(4).normal(size=(len(views), model.w1.shape[0])).astype(np.float32)
    alone = ClassifierModel(*(model.w1, model.b1, model.w2, model.b2), model.thresholds, "fake", model.meta)
    expected = 0.25 * alone.predict(x) + 0.75 * model.ngram.predict(views)
    assert np.allclose(model.predict(x, views), expected)
    with pytest.raises(ValueError, match="Cyrillic view"):
        model.predict(x)
    # The analyzer runs the n-gram model while the embedding model works and passes its probabilities in.
    assert np.allclose(model.predict(x, text_probs=model.text_probs(views)), expected)
    with pytest.raises(ValueError, match="one row of text probabilities"):
        model.predict(x, text_probs=model.text_probs(views[:1]))
    assert alone.text_probs(views) is None and not alone.reads_text
    model.save(tmp_path / "m.npz")
    loaded = ClassifierModel.load(tmp_path / "m.npz")
    assert loaded.blend == 0.25 and loaded.ngram is not None
    assert loaded.ngram.vocabulary == ngram.vocabulary
    assert np.allclose(loaded.predict(x, views), expected, atol=2e-3)


def test_rule_factors_follow_the_context_rules():
    plain = prepare("сенин номериңди бардык группага чыгарам")
    assert (plain.rule_factors() == 1.0).all()
    news = prepare("По данным МВД, задержан мужчина, который угрожал убить бывшую жену и выложил её номер")
    assert (news.rule_factors() < 1.0).all()
