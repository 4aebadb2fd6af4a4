"""Which crops are hashed: the crop grid of her pictures, and the picture inside a found screenshot."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.images.pictures import caption, photo, screenshot
from tumar.images import LumaImage
from tumar.images.variants import CROP_KEEPS, aspect_crops, content_crops, crop_grid, variant_crops


def test_crop_grid_covers_every_small_crop_within_its_tolerance() -> None:
    grid = crop_grid()
    assert len(grid) == 15 * 15 - 1 and (0.0, 0.0, 1.0, 1.0) not in grid
    assert all(0 <= left < right <= 1 and 0 <= top < bottom <= 1 for left, top, right, bottom in grid)
    rng = np.random.default_rng(3)
    windows = {(c[0], c[2]) for c in grid} | {(0.0, 1.0)}
    for _ in range(500):  # any crop keeping 90–100 % of a side is near some window of the grid
        keep = rng.uniform(min(CROP_KEEPS), 1.0)
        start = rng.uniform(0, 1 - keep)
        nearest = min(max(abs(a - start), abs(b - start - keep)) for a, b in windows)
        assert nearest <= 0.0251


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((400, 300), [(0.125, 0.0, 0.875, 1.0), (0.0, 0.125, 1.0, 0.875)]),  # 4:3 cropped to 1:1 and to 16:9
        (
            (300, 300),
            [(0.1, 0.0, 0.9, 1.0), (0.0, 0.1, 1.0, 0.9), (0.21875, 0.0, 0.78125, 1.0)],
        ),  # 4:5, 5:4, 9:16
    ],
)
def test_aspect_crops(size: tuple[int, int], expected: list[tuple[float, ...]]) -> None:
    crops = aspect_crops(*size)
    assert all(c in crops for c in expected), crops
    keeps = [min(right - left, bottom - top) for left, top, right, bottom in crops]
    assert all(0.5 <= k < min(CROP_KEEPS) for k in keeps)  # crops the grid holds anyway are not repeated
    assert set(variant_crops(*size)) == set(crop_grid()) | set(crops)


def _region(image: Image.Image) -> list[tuple[float, ...]]:
    return list(content_crops(LumaImage(np.asarray(image.convert("L")))))


@pytest.mark.parametrize("dark", [True, False])
def test_the_picture_inside_a_screenshot_is_found(dark: bool) -> None:
    picture = photo(5)
    shot = screenshot(picture, dark=dark)  # the picture is pasted at x 8..352, y 100..100+height
    shown_h = round(picture.height * 344 / picture.width)
    truth = (8 / 360, 100 / 760, 352 / 360, (100 + shown_h) / 760)
    regions = _region(shot)
    best = min(max(abs(a - b) for a, b in zip(r, truth, strict=True)) for r in regions)
    assert best <= 0.01, regions


def test_a_caption_bar_is_cut_away() -> None:
    picture = photo(6)
    regions = _region(caption(picture))
    bar = (picture.height // 6) / (picture.height + picture.height // 6)
    assert any(abs(r[1] - bar) <= 0.01 and r[3] == 1.0 for r in regions), regions


def test_a_plain_photo_has_no_borders_to_cut() -> None:
    for seed in range(5):
        assert all((r[2] - r[0]) * (r[3] - r[1]) > 0.2 for r in _region(photo(seed)))
    letterboxed = Image.new("RGB", (360, 400), (0, 0, 0))
    letterboxed.paste(photo(1), (0, 65))
    assert any(abs(r[1] - 65 / 400) < 0.01 and abs(r[3] - 335 / 400) < 0.01 for r in _region(letterboxed))
