"""PDQ, Meta's perceptual image hash, of a luma image and of any crop of it; the only module that uses ``pdqhash``.

PDQ (the hash StopNCII uses) turns an image into 256 bits: luma, downsampled to 64×64, a 16×16 block of DCT
coefficients, each bit "above the median or not", plus a quality score 0–100 (how much gradient the image has;
below 50 the hash is unreliable). Two copies of one picture differ in few bits; Meta's operating point calls
a Hamming distance of 31 or less a match.

Tumar follows the reference except for the downsampling step: the 64×64 luma is an exact area average over
the region, read off an integral image, where the reference runs two passes of Jarosz box filters. An area
average works for a crop at any fractional offset, so a crop costs microseconds instead of a re-hash of the
whole picture, and it makes every hash (originals, crops, screenshots found in a channel) come from the same
downsampler. The DCT, the median threshold, the quality and the eight dihedral hashes are the reference code
(``pdqhash``) run on that 64×64 luma. The result differs from the reference on the full image by a few bits
(``benchmarks/images.py`` prints by how many); :func:`reference_hash` runs the reference for comparisons.

Bits are stored as 32 bytes, most significant bit first, so ``PdqHash.hex`` is the 64-digit hex string that
Meta's tools and ThreatExchange print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pdqhash

__all__ = [
    "DIHEDRAL_VIEWS",
    "GOOD_QUALITY",
    "MATCH_DISTANCE",
    "Crop",
    "LumaImage",
    "PdqHash",
    "hamming",
    "luma_from_rgb",
    "reference_hash",
]

MATCH_DISTANCE = 31  # Meta's documented operating point for PDQ (of 256 bits)
GOOD_QUALITY = 50  # Meta: hashes with quality below 50 are too flat to trust
HASH_BYTES = 32
SIDE = 64

# What the target file is, relative to the picture it matches, for each hash ``pdqhash.compute_dihedral`` returns
# (it transforms the target; the transform that brings it back to the original names what was done to it).
DIHEDRAL_VIEWS = (
    "as-is",
    "rotated-90-clockwise",
    "rotated-180",
    "rotated-90-counterclockwise",
    "flipped-upside-down",
    "mirrored",
    "transposed",
    "anti-transposed",
)

Crop = tuple[float, float, float, float]
"""A region as fractions of the width and height: (left, top, right, bottom), 0 ≤ left < right ≤ 1."""

WHOLE: Crop = (0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True, slots=True)
class PdqHash:
    """256 PDQ bits (32 bytes, most significant first) and the PDQ quality 0–100."""

    bits: bytes
    quality: int

    def __post_init__(self) -> None:
        if len(self.bits) != HASH_BYTES:
            raise ValueError(f"a PDQ hash has {HASH_BYTES} bytes, not {len(self.bits)}")

    @property
    def hex(self) -> str:
        return self.bits.hex()

    @classmethod
    def from_hex(cls, text: str, quality: int) -> PdqHash:
        """Parse 64 hex digits; raises ValueError if they are not."""
        if len(text) != 2 * HASH_BYTES:
            raise ValueError(f"expected {2 * HASH_BYTES} hex digits, got {len(text)}")
        return cls(bytes.fromhex(text), quality)


def hamming(a: PdqHash | bytes, b: PdqHash | bytes) -> int:
    """Number of differing bits between two hashes."""
    x = a.bits if isinstance(a, PdqHash) else a
    y = b.bits if isinstance(b, PdqHash) else b
    return (int.from_bytes(x, "big") ^ int.from_bytes(y, "big")).bit_count()


def luma_from_rgb(rgb: np.ndarray) -> np.ndarray:
    """PDQ's luma (0.299 R + 0.587 G + 0.114 B) as float32, from an H×W×3 uint8 array."""
    channels = rgb.astype(np.float32)
    return (
        channels[..., 0] * np.float32(0.299)
        + channels[..., 1] * np.float32(0.587)
        + channels[..., 2] * np.float32(0.114)
    )


def _pack(vector: np.ndarray) -> bytes:
    # pdqhash returns the bits most significant first, the order of Meta's hex strings
    return np.packbits(vector.astype(np.uint8)).tobytes()


def _as_gray_rgb(luma: np.ndarray) -> np.ndarray:
    """Luma (…×64×64 floats) as the grey RGB uint8 arrays pdqhash takes (its luma of grey is the grey)."""
    gray = np.clip(np.rint(luma), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=-1))


class LumaImage:
    """A luma image prepared once (an integral image) so that any crop of it is hashed in microseconds."""

    __slots__ = ("_integral", "height", "width")

    def __init__(self, luma: np.ndarray) -> None:
        if luma.ndim != 2 or luma.shape[0] < 1 or luma.shape[1] < 1:
            raise ValueError(f"expected a non-empty 2-D luma array, got shape {luma.shape}")
        self.height, self.width = (int(n) for n in luma.shape)
        integral = np.zeros((self.height + 1, self.width + 1), dtype=np.float64)
        np.cumsum(np.cumsum(luma, axis=0, dtype=np.float64), axis=1, out=integral[1:, 1:])
        self._integral = integral

    @classmethod
    def from_rgb(cls, rgb: np.ndarray) -> LumaImage:
        return cls(luma_from_rgb(rgb))

    def resample(self, width: int, height: int, crop: Crop = WHOLE) -> np.ndarray:
        """The area average of ``crop`` on a ``height``×``width`` grid (float64), fractional edges included."""
        return self.resample_many(width, height, [crop])[0]

    def resample_many(self, width: int, height: int, crops: Sequence[Crop]) -> np.ndarray:
        """:meth:`resample` for many crops at once: an array of shape (len(crops), height, width).

        The integral image is read bilinearly at each grid corner (exact: it is linear within a pixel). Crops
        that share their top and bottom (a crop grid) share the interpolation of rows, done once per pair.
        """
        box = np.asarray(crops, dtype=np.float64).reshape(-1, 4)
        out = np.empty((box.shape[0], height, width))
        x0, fx = _grid(box[:, 0] * self.width, box[:, 2] * self.width, width, self.width)
        y0, fy = _grid(box[:, 1] * self.height, box[:, 3] * self.height, height, self.height)
        column_width = np.diff(x0 + fx, axis=1)  # (n, width)
        row_height = np.diff(y0 + fy, axis=1)  # (n, height)
        groups: dict[tuple[float, float], list[int]] = {}
        for n, (_, top, _, bottom) in enumerate(box.tolist()):
            groups.setdefault((top, bottom), []).append(n)
        s = self._integral
        for members in groups.values():
            first = members[0]
            weight = fy[first][:, None]
            rows = s[y0[first]] * (1 - weight) + s[y0[first] + 1] * weight  # (height + 1, W + 1)
            cols, wx = x0[members], fx[members]  # (g, width + 1)
            corners = rows[:, cols] * (1 - wx) + rows[:, cols + 1] * wx  # (height + 1, g, width + 1)
            sums = corners[1:, :, 1:] - corners[:-1, :, 1:] - corners[1:, :, :-1] + corners[:-1, :, :-1]
            area = row_height[first][:, None, None] * column_width[members][None, :, :]
            cells = np.divide(sums, area, out=np.zeros_like(sums), where=area > 0)
            out[members] = cells.transpose(1, 0, 2)
        return out

    def hash(self, crop: Crop = WHOLE) -> PdqHash:
        """The PDQ hash of ``crop`` (the whole image by default)."""
        return self.hash_many([crop])[0]

    def hash_many(self, crops: Sequence[Crop]) -> list[PdqHash]:
        """The PDQ hashes of many crops (one vectorised downsampling for all of them)."""
        out = []
        for gray in _as_gray_rgb(self.resample_many(SIDE, SIDE, crops)):
            vector, quality = pdqhash.compute(gray)
            out.append(PdqHash(_pack(vector), int(quality)))
        return out

    def hash_dihedral(self, crop: Crop = WHOLE) -> tuple[PdqHash, ...]:
        """The eight hashes of ``crop`` rotated and flipped, in the order of :data:`DIHEDRAL_VIEWS`."""
        vectors, quality = pdqhash.compute_dihedral(_as_gray_rgb(self.resample(SIDE, SIDE, crop)))
        return tuple(PdqHash(_pack(v), int(quality)) for v in vectors)


def _grid(start: np.ndarray, end: np.ndarray, cells: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """For each (start, end) pair, ``cells`` + 1 positions split into pixel indices and fractions in [0, 1]."""
    steps = np.linspace(0.0, 1.0, cells + 1)
    positions = np.clip(start[:, None] + (end - start)[:, None] * steps[None, :], 0.0, float(size))
    index = np.minimum(np.floor(positions).astype(np.int64), size - 1)
    return index, positions - index


def reference_hash(rgb: np.ndarray) -> PdqHash:
    """Meta's reference PDQ (Jarosz downsampling of the full image), for comparison with :class:`LumaImage`."""
    vector, quality = pdqhash.compute(np.ascontiguousarray(rgb, dtype=np.uint8))
    return PdqHash(_pack(vector), int(quality))
