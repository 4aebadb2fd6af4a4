"""The multi-index hash table returns exactly what a brute-force scan returns."""

from __future__ import annotations

import numpy as np
import pytest

from tumar.images import HashIndex


def _flip(rng: np.random.Generator, row: np.ndarray, bits: int) -> np.ndarray:
    out = row.copy()
    for b in rng.choice(256, bits, replace=False):
        out[b // 8] ^= np.uint8(1 << (7 - b % 8))
    return out


def _brute(table: np.ndarray, query: np.ndarray, radius: int) -> list[tuple[int, int]]:
    distance = np.unpackbits(table ^ query, axis=1).sum(axis=1)
    rows = np.flatnonzero(distance <= radius)
    return sorted(((int(r), int(distance[r])) for r in rows), key=lambda p: (p[1], p[0]))


@pytest.fixture(scope="module")
def table() -> np.ndarray:
    rng = np.random.default_rng(20240308)
    base = rng.integers(0, 256, (3000, 32), dtype=np.uint8)
    # clusters of near neighbours at every distance up to 60, as crop variants and re-encodings make
    planted = np.stack([_flip(rng, base[i % 50], d) for i, d in enumerate(rng.integers(0, 61, 2000))])
    return np.concatenate([base, planted, base[:20]])  # and exact duplicates


@pytest.mark.parametrize("radius", [0, 3, 15, 16, 31, 32, 47, 48, 60])
def test_index_equals_brute_force(table: np.ndarray, radius: int) -> None:
    rng = np.random.default_rng(radius)
    index = HashIndex(table)
    queries = np.stack(
        [_flip(rng, table[int(rng.integers(len(table)))], int(rng.integers(0, 40))) for _ in range(120)]
        + [rng.integers(0, 256, 32, dtype=np.uint8) for _ in range(30)]
    )
    batch = index.search_many(queries, radius)
    for query, found in zip(queries, batch, strict=True):
        assert found == _brute(table, query, radius)
        assert index.search(query.tobytes(), radius) == found


def test_exact_and_nearest(table: np.ndarray) -> None:
    index = HashIndex(table)
    assert len(index) == len(table)
    duplicates = [row for row, _ in _brute(table, table[7], 0)]
    assert 5007 in duplicates  # the row's exact copy
    assert index.exact(table[7].tobytes()).tolist() == duplicates
    assert index.nearest(table[7].tobytes(), 31) == (7, 0)
    rng = np.random.default_rng(1)
    for _ in range(20):
        query = _flip(rng, table[int(rng.integers(len(table)))], int(rng.integers(1, 30)))
        expected = _brute(table, query, 31)
        assert index.nearest(query, 31) == expected[0]
        assert index.exact(query.tobytes()).tolist() == [r for r, d in expected if d == 0]
    lonely = rng.integers(0, 256, 32, dtype=np.uint8)
    assert index.nearest(lonely, 10) is None


def test_empty_index_and_bad_input() -> None:
    index = HashIndex([])
    assert len(index) == 0
    assert index.search(bytes(32), 31) == []
    assert index.nearest(bytes(32), 31) is None
    with pytest.raises(ValueError, match="N×32"):
        HashIndex(np.zeros((3, 16), dtype=np.uint8))
    with pytest.raises(ValueError, match="max_distance"):
        index.search(bytes(32), -1)
