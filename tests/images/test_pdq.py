"""PDQ hashing: exact area averages for any crop, Meta's hex format, orientations, quality."""

from __future__ import annotations

import numpy as np
import pdqhash
import pytest
from PIL import Image

from tests.images.pictures import photo
from tumar.images import LumaImage, PdqHash, hamming
from tumar.images.pdq import DIHEDRAL_VIEWS, GOOD_QUALITY, luma_from_rgb, reference_hash


def test_resample_is_an_exact_area_average() -> None:
    rng = np.random.default_rng(5)
    luma = rng.uniform(0, 255, (128, 256))
    image = LumaImage(luma)
    blocks = luma.reshape(64, 2, 64, 4).mean(axis=(1, 3))
    assert np.allclose(image.resample(64, 64), blocks)
    # a crop given as fractions: the middle half is rows 32..96 and columns 64..192
    middle = luma[32:96, 64:192].reshape(64, 1, 64, 2).mean(axis=(1, 3))
    assert np.allclose(image.resample(64, 64, (0.25, 0.25, 0.75, 0.75)), middle)
    # half-pixel edges weigh the edge pixels by half
    row = LumaImage(np.array([[0.0, 100.0, 200.0]]))
    assert np.allclose(row.resample(1, 1, (1 / 6, 0, 5 / 6, 1)), [[(0 * 0.5 + 100 + 200 * 0.5) / 2]])


def test_many_crops_at_once_equal_one_by_one() -> None:
    image = LumaImage(np.asarray(photo(3).convert("L")))
    crops = [
        (0.0, 0.0, 1.0, 1.0),
        (0.05, 0.0, 0.95, 1.0),
        (0.1, 0.1, 1.0, 1.0),
        (0.0125, 0.0375, 0.9125, 0.9375),
    ]
    assert image.hash_many(crops) == [image.hash(c) for c in crops]


@pytest.mark.parametrize("seed", range(6))
def test_close_to_meta_reference_and_same_hex_convention(seed: int) -> None:
    rgb = np.asarray(photo(seed))
    ours = LumaImage(luma_from_rgb(rgb)).hash()
    reference = reference_hash(rgb)
    assert hamming(ours, reference) <= 24  # only the downsampler differs
    # ThreatExchange's hex: the bit vector read as one binary number, 64 lowercase hex digits
    vector, quality = pdqhash.compute(rgb)
    assert reference.hex == f"{int(''.join(str(int(b)) for b in vector), 2):064x}"
    assert reference.quality == quality


@pytest.mark.parametrize(
    ("transpose", "view"),
    [
        (None, "as-is"),
        (Image.Transpose.FLIP_LEFT_RIGHT, "mirrored"),
        (Image.Transpose.FLIP_TOP_BOTTOM, "flipped-upside-down"),
        (Image.Transpose.ROTATE_90, "rotated-90-counterclockwise"),
        (Image.Transpose.ROTATE_180, "rotated-180"),
        (Image.Transpose.ROTATE_270, "rotated-90-clockwise"),
        (Image.Transpose.TRANSPOSE, "transposed"),
        (Image.Transpose.TRANSVERSE, "anti-transposed"),
    ],
)
def test_dihedral_hashes_name_the_turn(transpose: Image.Transpose | None, view: str) -> None:
    picture = photo(2)
    original = LumaImage(np.asarray(picture.convert("L"))).hash()
    turned = picture.transpose(transpose) if transpose is not None else picture
    hashes = LumaImage(np.asarray(turned.convert("L"))).hash_dihedral()
    distances = [hamming(h, original) for h in hashes]
    assert distances.index(min(distances)) == DIHEDRAL_VIEWS.index(view)
    assert min(distances) <= 2
    assert sorted(distances)[1] > 60  # the other turns are unrelated hashes


def test_quality_separates_plain_from_detailed() -> None:
    flat = LumaImage(np.full((300, 400), 128.0)).hash()
    gradient = LumaImage(np.tile(np.linspace(0, 255, 400), (300, 1))).hash()
    detailed = LumaImage(np.asarray(photo(0).convert("L"))).hash()
    assert flat.quality < GOOD_QUALITY and gradient.quality < GOOD_QUALITY
    assert detailed.quality >= GOOD_QUALITY


def test_hash_value_checks() -> None:
    h = PdqHash.from_hex("0f" * 32, 77)
    assert (h.hex, h.quality, hamming(h, PdqHash(bytes(32), 0))) == ("0f" * 32, 77, 128)
    with pytest.raises(ValueError, match="64 hex digits"):
        PdqHash.from_hex("abc", 1)
    with pytest.raises(ValueError, match="32 bytes"):
        PdqHash(b"\x00" * 31, 1)
    with pytest.raises(ValueError, match="2-D"):
        LumaImage(np.zeros((0, 3)))
