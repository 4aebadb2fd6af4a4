"""Which crops get hashed: crop variants of her pictures (hash time) and the content of a found file (match time).

PDQ survives re-encoding, resizing and colour changes but not cropping: removing 2 % from one side already
moves a hash by ~25 bits, past the threshold. Two measures cover what happens to leaked pictures:

* **At hash time**, besides the whole picture, the hash list stores hashes of crops of it: on each axis the full
  extent, every 95 % window and every 90 % window at offsets 1.25 % apart (15 intervals per axis, 224 crops in
  all), plus centre crops to the aspect ratios that apps crop to (1:1, 4:5, 9:16…). A copy cropped by up to
  ~10 % on any sides lands within ~0.6 % of one of them. The crops come from the same integral image, so they
  cost ~0.2 ms each.
* **At match time**, a found file is hashed whole and also after cutting away what is not the picture: uniform
  borders (letterboxing, padding) and the bands of a screenshot (status bar, app header, caption bar, message
  bubble, input field), found from rows and columns that are mostly one colour. Every view is hashed in its
  eight rotations and flips, which are free.

Every extra hash is one more chance of a false match; ``benchmarks/images.py`` measures both sides of that.
"""

from __future__ import annotations

import numpy as np

from tumar.images.pdq import WHOLE, Crop, LumaImage

__all__ = ["CROP_KEEPS", "CROP_STEP", "aspect_crops", "content_crops", "crop_grid", "variant_crops"]

CROP_KEEPS = (0.95, 0.90)  # window sizes of the crop grid, as fractions of the side
CROP_STEP = 0.0125  # offset step of the grid; PDQ tolerates ~0.6 % of misalignment on each axis
ASPECTS = (1.0, 4 / 5, 5 / 4, 3 / 4, 4 / 3, 2 / 3, 3 / 2, 9 / 16, 16 / 9)
MIN_ASPECT_KEEP = 0.5  # an aspect crop keeping less than half of a side is not a "small" crop any more

ANALYSIS_SIDE = 256  # content detection reads a copy whose longer side is this many pixels
QUIET_TOLERANCE = 6.0  # luma levels either side of a colour that still count as "the same colour"
FLAT_SHARE = 0.97  # a border line: this share of its pixels within the tolerance
BAND_SHARE = 0.6  # a UI band line (a bar with an icon or some text): this share
GAP_SHARE = 0.9  # a gap line between UI elements and the picture: this share of the page colour
PAGE_SHARE = 0.1  # a colour of a screenshot's page or bars covers at least this share of the outer frame
MIN_CONTENT = 0.2  # a content region must span at least this fraction of each side
MIN_CHANGE = 0.01  # crops that differ from another by less than this on every edge are the same view


def _axis_windows() -> list[tuple[float, float]]:
    windows = [(0.0, 1.0)]
    for keep in CROP_KEEPS:
        slack = 1.0 - keep
        steps = round(slack / CROP_STEP)
        windows += [(round(o, 6), round(o + keep, 6)) for o in np.linspace(0.0, slack, steps + 1)]
    return windows


def crop_grid() -> tuple[Crop, ...]:
    """The crop grid (every combination of axis windows) without the whole picture."""
    windows = _axis_windows()
    return tuple((x0, y0, x1, y1) for x0, x1 in windows for y0, y1 in windows if (x0, y0, x1, y1) != WHOLE)


def aspect_crops(width: int, height: int) -> tuple[Crop, ...]:
    """Centre crops of a ``width``×``height`` picture to the common aspect ratios apps crop to."""
    ratio = width / height
    keeps: list[tuple[float, bool]] = []
    for aspect in ASPECTS:
        keep, horizontal = (aspect / ratio, True) if aspect < ratio else (ratio / aspect, False)
        covered = keep >= min(CROP_KEEPS)  # the grid already holds crops this small
        if (
            keep >= MIN_ASPECT_KEEP
            and not covered
            and all(abs(keep - k) > 0.02 or h != horizontal for k, h in keeps)
        ):
            keeps.append((keep, horizontal))
    crops: list[Crop] = []
    for keep, horizontal in keeps:
        a, b = round(0.5 - keep / 2, 6), round(0.5 + keep / 2, 6)
        crops.append((a, 0.0, b, 1.0) if horizontal else (0.0, a, 1.0, b))
    return tuple(crops)


def variant_crops(width: int, height: int) -> tuple[Crop, ...]:
    """All crops hashed besides the whole picture: the grid and the aspect-ratio crops."""
    return crop_grid() + aspect_crops(width, height)


def _quiet_share(lines: np.ndarray) -> np.ndarray:
    """For each row of ``lines``, the largest share of its values that lie within one colour band
    (:data:`QUIET_TOLERANCE` levels either side): 1.0 for a uniform line, high for a bar with a little text."""
    rows, width = lines.shape
    if width == 0:
        return np.ones(rows)
    levels = np.clip(np.rint(lines), 0, 255).astype(np.int64) + 256 * np.arange(rows)[:, None]
    counts = np.bincount(levels.ravel(), minlength=256 * rows).reshape(rows, 256)
    span = 2 * int(QUIET_TOLERANCE) + 1
    totals = np.cumsum(np.pad(counts, ((0, 0), (1, 0))), axis=1)
    windows = totals[:, span:] - totals[:, :-span]
    return windows.max(axis=1) / width


def _peel(share: np.ndarray, threshold: float) -> tuple[int, int]:
    """Strip lines from both ends while at least ``threshold`` of each is one colour; returns [start, end)."""
    busy = np.flatnonzero(share < threshold)
    if busy.size == 0:
        return 0, share.size
    return int(busy[0]), int(busy[-1]) + 1


def _page_colours(small: np.ndarray) -> list[float]:
    """Up to three lumas that each cover a good share of the outer frame (a screenshot's page and bars)."""
    ring = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]])
    counts = np.bincount(np.clip(np.rint(ring), 0, 255).astype(np.int64), minlength=256).astype(np.float64)
    span = 2 * int(QUIET_TOLERANCE) + 1
    colours: list[float] = []
    for _ in range(3):
        window = np.convolve(counts, np.ones(span), mode="same")
        colour = int(np.argmax(window))
        if window[colour] < PAGE_SHARE * ring.size:
            break
        colours.append(float(colour))
        counts[max(0, colour - span + 1) : colour + span] = 0
    return colours


def _tallest_segment(gap: np.ndarray) -> tuple[int, int]:
    """The longest run of lines that are not gaps; returns [start, end)."""
    best, longest, start = (0, gap.size), 0, None
    for i, is_gap in enumerate([*gap.tolist(), True]):
        if not is_gap and start is None:
            start = i
        elif is_gap and start is not None:
            if i - start > longest:
                best, longest = (start, i), i - start
            start = None
    return best


def content_crops(image: LumaImage) -> tuple[Crop, ...]:
    """Regions of a found picture that may be the leaked picture itself: borders trimmed, UI bands cut away.

    Four guesses, each kept if it spans at least :data:`MIN_CONTENT` of each side and differs from the whole
    and from the others:

    1. uniform borders trimmed (letterboxing, padding);
    2. bands that are mostly one colour (a bar with an icon or a line of text) peeled off every edge;
    3. the tallest stretch of rows between uniform gap lines, then the widest stretch of columns in it (a
       picture between a chat header and a message bubble, or under a caption bar);
    4. the same with gap lines in the colours of the outer frame (the page and bars of a screenshot), which
       survives pictures that have uniform lines of their own.
    """
    scale = ANALYSIS_SIDE / max(image.width, image.height)
    width = max(1, min(image.width, round(image.width * scale)))
    height = max(1, min(image.height, round(image.height * scale)))
    small = image.resample(width, height)
    rows = _quiet_share(small)
    boxes = []
    for threshold in (FLAT_SHARE, BAND_SHARE):
        top, bottom = _peel(rows, threshold)
        left, right = _peel(_quiet_share(small[top:bottom].T), threshold)
        boxes.append((left, top, right, bottom))
    top, bottom = _tallest_segment(rows >= GAP_SHARE)
    left, right = _tallest_segment(_quiet_share(small[top:bottom].T) >= GAP_SHARE)
    boxes.append((left, top, right, bottom))
    colours = _page_colours(small)
    if colours:
        near = np.zeros(small.shape, dtype=bool)
        for colour in colours:
            near |= np.abs(small - colour) <= QUIET_TOLERANCE
        top, bottom = _tallest_segment(near.mean(axis=1) >= GAP_SHARE)
        left, right = _tallest_segment(near[top:bottom].mean(axis=0) >= GAP_SHARE)
        boxes.append((left, top, right, bottom))

    crops: list[Crop] = []
    for left, top, right, bottom in boxes:
        if (right - left) < MIN_CONTENT * width or (bottom - top) < MIN_CONTENT * height:
            continue
        crop = (left / width, top / height, right / width, bottom / height)
        if all(
            max(abs(a - b) for a, b in zip(crop, seen, strict=True)) > MIN_CHANGE for seen in [WHOLE, *crops]
        ):
            crops.append(crop)
    return tuple(crops)
