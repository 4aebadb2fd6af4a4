"""Finding every stored PDQ hash within a Hamming distance of a query without comparing it with all of them.

Multi-index hashing (Norouzi, Punjani & Fleet, 2012). The 256 bits are cut into 16 chunks of 16 bits. If two
hashes differ in at most r bits, at least one chunk differs in at most ⌊r/16⌋ bits (otherwise the 16 chunks
would hold 16·(⌊r/16⌋ + 1) > r differences). So for r = 31 (PDQ's threshold) it is enough to look, in each
chunk's table, at the query's chunk value and the 16 values one bit away: 16 × 17 = 272 table reads, each
returning the ~N/65,536 stored hashes with that chunk value. Those candidates are checked with an exact
popcount of the XOR, so the result equals a brute-force scan (a test checks it on random hashes). Why not 32
chunks of 8 bits, where r ≤ 31 forces an exact chunk match: each of its 32 reads returns ~N/256 candidates,
~500 times more to check. For r ≥ 48 (three flips per chunk) the probes outnumber the savings and the index
scans all hashes.

Exact matches take a shortcut: the first 64 bits, sorted, are binary-searched (:meth:`HashIndex.exact`), and
:meth:`HashIndex.nearest` stops there when it finds one. Each chunk table is a counting-sort layout (an offset
array of 65,537 entries and the ids in chunk order): with the hashes and the exact-match keys, about 112 bytes
per stored hash plus 8 MB of offsets (~120 MB for a million hashes).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

__all__ = ["HashIndex"]

CHUNKS = 16
CHUNK_BITS = 16
MAX_INDEXED_FLIPS = 2  # ⌊r/16⌋ above this: a linear scan is cheaper than the probes
BATCH = 256  # queries checked together in search_many


def _flip_masks(flips: int) -> np.ndarray:
    masks = [0]
    for k in range(1, flips + 1):
        masks += [sum(1 << b for b in bits) for bits in combinations(range(CHUNK_BITS), k)]
    return np.array(masks, dtype=np.int64)


class HashIndex:
    """An immutable index over N hashes of 32 bytes; results are row numbers into the hashes given."""

    def __init__(self, hashes: np.ndarray | Sequence[bytes]) -> None:
        if isinstance(hashes, np.ndarray):
            table = np.ascontiguousarray(hashes, dtype=np.uint8)
        else:
            table = (
                np.frombuffer(b"".join(hashes), dtype=np.uint8).reshape(-1, 32)
                if hashes
                else np.zeros((0, 32), np.uint8)
            )
        if table.ndim != 2 or table.shape[1] != 32:
            raise ValueError(f"expected an N×32 array of hash bytes, got shape {table.shape}")
        self._words = table.view(np.uint64)  # (N, 4), for popcounts (byte order is irrelevant to them)
        chunks = table.view(">u2").astype(np.int64)  # (N, 16) chunk values, most significant first
        n = table.shape[0]
        self._offsets = np.zeros((CHUNKS, (1 << CHUNK_BITS) + 1), dtype=np.int64)
        self._ids = np.zeros((CHUNKS, n), dtype=np.int64 if n > 2**31 - 1 else np.int32)
        for j in range(CHUNKS):
            self._ids[j] = np.argsort(chunks[:, j], kind="stable")
            np.cumsum(np.bincount(chunks[:, j], minlength=1 << CHUNK_BITS), out=self._offsets[j, 1:])
        first = (
            np.ascontiguousarray(table[:, :8]).view(">u8").ravel().astype(np.uint64)
        )  # native order: fast search
        self._exact_order = np.argsort(first, kind="stable")
        self._exact_keys = first[self._exact_order]

    def __len__(self) -> int:
        return int(self._words.shape[0])

    @staticmethod
    def _query_rows(query: bytes | np.ndarray) -> np.ndarray:
        row = (
            np.frombuffer(query, dtype=np.uint8)
            if isinstance(query, bytes | bytearray)
            else np.asarray(query)
        )
        return np.ascontiguousarray(row, dtype=np.uint8).reshape(-1, 32)

    def exact(self, query: bytes) -> np.ndarray:
        """Rows whose hash equals ``query`` exactly (binary search on the first 64 bits, then a full check)."""
        row = self._query_rows(query)
        key = np.uint64(np.ascontiguousarray(row[:1, :8]).view(">u8")[0, 0])
        lo = np.searchsorted(self._exact_keys, key, side="left")
        hi = np.searchsorted(self._exact_keys, key, side="right")
        rows = self._exact_order[lo:hi]
        same = (self._words[rows] == row.view(np.uint64)).all(axis=1)
        return np.sort(rows[same])

    def distances(self, query: bytes | np.ndarray) -> np.ndarray:
        """Hamming distance from ``query`` to every stored hash (the brute-force scan)."""
        words = self._query_rows(query).view(np.uint64)
        return np.bitwise_count(self._words ^ words).sum(axis=1, dtype=np.int64)

    def search(self, query: bytes | np.ndarray, max_distance: int) -> list[tuple[int, int]]:
        """All (row, distance) with distance ≤ ``max_distance``, nearest first (ties by row)."""
        return self.search_many(self._query_rows(query), max_distance)[0]

    def nearest(self, query: bytes | np.ndarray, max_distance: int) -> tuple[int, int] | None:
        """The nearest (row, distance) within ``max_distance``, or None; an exact match ends the search early."""
        row = self._query_rows(query)
        exact = self.exact(row.tobytes())
        if exact.size:
            return int(exact[0]), 0
        found = self.search_many(row, max_distance)[0]
        return found[0] if found else None

    def search_many(self, queries: np.ndarray, max_distance: int) -> list[list[tuple[int, int]]]:
        """:meth:`search` for each row of a Q×32 uint8 array, probing the tables for a batch at once."""
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, 32)
        if max_distance < 0:
            raise ValueError("max_distance must be ≥ 0")
        out: list[list[tuple[int, int]]] = []
        for start in range(0, queries.shape[0], BATCH):
            out += self._search_batch(queries[start : start + BATCH], max_distance)
        return out

    def _search_batch(self, queries: np.ndarray, max_distance: int) -> list[list[tuple[int, int]]]:
        q = queries.shape[0]
        if len(self) == 0:
            return [[] for _ in range(q)]
        flips = max_distance // CHUNKS
        if flips > MAX_INDEXED_FLIPS:
            return [self._scan(row, max_distance) for row in queries]
        masks = _flip_masks(flips)
        values = queries.view(">u2").astype(np.int64)  # (Q, 16)
        keys = values[:, :, None] ^ masks[None, None, :]  # (Q, 16, P)
        chunk = np.arange(CHUNKS)[None, :, None]
        starts = self._offsets[chunk, keys].ravel()
        ends = self._offsets[chunk, keys + 1].ravel()
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return [[] for _ in range(q)]
        # flatten the ranges: the position of every candidate in its chunk's id array
        run_start = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = run_start + np.arange(total)
        chunk_of = np.repeat(np.broadcast_to(chunk, keys.shape).ravel(), lengths)
        query_of = np.repeat(np.repeat(np.arange(q), CHUNKS * masks.size), lengths)
        rows = self._ids[chunk_of, positions].astype(np.int64)
        distance = np.bitwise_count(self._words[rows] ^ queries.view(np.uint64)[query_of]).sum(
            axis=1, dtype=np.int64
        )
        keep = distance <= max_distance
        # a row found through several chunks is reported once; sort by query, distance, row
        found = np.unique(np.stack([query_of[keep], distance[keep], rows[keep]], axis=1), axis=0)
        results: list[list[tuple[int, int]]] = [[] for _ in range(q)]
        for i, d, r in found.tolist():
            results[i].append((r, d))
        return results

    def _scan(self, query: np.ndarray, max_distance: int) -> list[tuple[int, int]]:
        distance = self.distances(query)
        rows = np.flatnonzero(distance <= max_distance)
        order = np.lexsort((rows, distance[rows]))
        return [(int(rows[i]), int(distance[rows[i]])) for i in order]
