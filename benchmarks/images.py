"""Image matching: recall per transformation and false-positive rate for plain PDQ, Tumar's matcher and pHash;
hashing speed; hash-list lookup speed against 1,000,000 hashes. Prints numbers; asserts nothing.

All pictures are generated here (gradients, smooth noise, shapes, lines, text, grain — no real photos). Base
pictures are kept only if their PDQ quality is at least 50, PDQ's operating point; the unrelated pictures are
kept whatever their quality. Every transformed copy is saved as JPEG quality 90 at the end, as a messenger would.

Usage: python benchmarks/images.py [--quick] [--bases 1000] [--unrelated 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SIZES = [(512, 384), (384, 512), (480, 480), (576, 432), (432, 576), (640, 360), (360, 640), (560, 420)]
WORDS = [
    "Aigerim",
    "Bishkek",
    "Almaty",
    "2024",
    "@kanal",
    "Nurlan",
    "Dana",
    "Osh",
    "Astana",
    "Samal",
    "Taraz",
]


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _smooth_noise(rng: np.random.Generator, w: int, h: int, cells: int) -> np.ndarray:
    small = (rng.random((cells, cells, 3)) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32)


def _gradient(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    angle = rng.uniform(0, 2 * np.pi)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    t = x * np.cos(angle) + y * np.sin(angle)
    t = (t - t.min()) / (np.ptp(t) + 1e-6)
    c0, c1 = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
    return t[..., None] * c1 + (1 - t[..., None]) * c0


def photo(seed: int) -> Image.Image:
    """A photo-like picture whose structure (not only colour) depends on ``seed``."""
    rng = np.random.default_rng(seed)
    w, h = SIZES[int(rng.integers(len(SIZES)))]
    mix = rng.uniform(0.2, 0.8)
    canvas = mix * _smooth_noise(rng, w, h, int(rng.integers(2, 9))) + (1 - mix) * _gradient(rng, w, h)
    # fine texture (fabric, hair, skin at a distance): what gives real photos their PDQ quality
    texture = _smooth_noise(rng, w, h, int(rng.integers(16, 48))) - 127.5
    canvas += texture * rng.uniform(0.0, 0.25)
    img = Image.fromarray(canvas.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(4, 14))):
        kind = int(rng.integers(6))
        x0, y0 = int(rng.integers(-w // 4, w)), int(rng.integers(-h // 4, h))
        sw, sh = int(rng.integers(w // 12, w // 2)), int(rng.integers(h // 12, h // 2))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if kind == 0:
            draw.ellipse([x0, y0, x0 + sw, y0 + sh], fill=colour)
        elif kind == 1:
            draw.rectangle([x0, y0, x0 + sw, y0 + sh], fill=colour)
        elif kind == 2:
            points = [(x0 + int(rng.integers(0, sw)), y0 + int(rng.integers(0, sh))) for _ in range(5)]
            draw.polygon(points, fill=colour)
        elif kind == 3:
            draw.line([(x0, y0), (x0 + sw, y0 + sh)], fill=colour, width=int(rng.integers(3, 25)))
        elif kind == 4:  # a figure: head and body
            r = sw // 4
            draw.ellipse([x0, y0, x0 + 2 * r, y0 + 2 * r], fill=colour)
            draw.rounded_rectangle([x0 - r, y0 + 2 * r, x0 + 3 * r, y0 + 2 * r + sh], radius=r, fill=colour)
        else:
            word = WORDS[int(rng.integers(len(WORDS)))]
            draw.text((x0, y0), word, fill=colour, font=_font(int(rng.integers(20, 70))))
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.8))))
    grain = rng.normal(0, rng.uniform(2, 8), (h, w, 1))
    return Image.fromarray((np.asarray(img, dtype=np.float32) + grain).clip(0, 255).astype(np.uint8))


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def crop(img: Image.Image, cut: float, rng: np.random.Generator) -> Image.Image:
    """Keep (1 − cut) of each side at a random position."""
    w, h = img.size
    keep_w, keep_h = round(w * (1 - cut)), round(h * (1 - cut))
    x, y = int(rng.integers(0, w - keep_w + 1)), int(rng.integers(0, h - keep_h + 1))
    return img.crop((x, y, x + keep_w, y + keep_h))


def caption(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A meme-style caption bar with text above or below the picture."""
    w, h = img.size
    bar = int(h * rng.uniform(0.12, 0.2))
    background, ink = ((255, 255, 255), (0, 0, 0)) if rng.random() < 0.5 else ((0, 0, 0), (255, 255, 255))
    out = Image.new("RGB", (w, h + bar), background)
    on_top = rng.random() < 0.5
    out.paste(img, (0, bar if on_top else 0))
    text = " ".join(WORDS[int(i)] for i in rng.integers(0, len(WORDS), 3))
    draw = ImageDraw.Draw(out)
    draw.text((w // 20, (0 if on_top else h) + bar // 4), text, fill=ink, font=_font(max(12, bar // 2)))
    return out


def watermark(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A channel's handle written across the picture, half transparent, and a small corner logo."""
    w, h = img.size
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    handle = "@" + WORDS[int(rng.integers(len(WORDS)))].lower() + "_leaks"
    draw.text((w // 8, h // 2), handle, fill=(255, 255, 255, 110), font=_font(max(16, w // 12)))
    draw.rectangle([w - w // 8, h - h // 12, w - 8, h - 8], fill=(220, 30, 30, 200))
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


def screenshot(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The picture as shown in a phone chat: status bar, header, margins, a message bubble, the input bar."""
    sw, sh = 540, 1140
    dark = rng.random() < 0.5
    background = (18, 18, 24) if dark else (236, 229, 221)
    ink = (235, 235, 235) if dark else (20, 20, 20)
    screen = Image.new("RGB", (sw, sh), background)
    draw = ImageDraw.Draw(screen)
    draw.rectangle([0, 0, sw, 36], fill=(0, 0, 0) if dark else (240, 240, 240))
    draw.text(
        (18, 8), f"{int(rng.integers(0, 24)):02d}:{int(rng.integers(0, 60)):02d}", fill=ink, font=_font(20)
    )
    draw.rectangle([sw - 60, 12, sw - 22, 26], outline=ink, width=2)
    header = (40, 48, 60) if dark else (80, 130, 180)
    draw.rectangle([0, 36, sw, 112], fill=header)
    draw.ellipse([15, 46, 72, 103], fill=(200, 160, 120))
    draw.text((87, 60), WORDS[int(rng.integers(len(WORDS)))], fill=(255, 255, 255), font=_font(26))
    margin = int(rng.choice([0, 9, 30]))
    shown_w = sw - 2 * margin
    shown_h = round(img.height * shown_w / img.width)
    if shown_h > 750:
        shown_h = 750
        shown_w = round(img.width * shown_h / img.height)
    top = 112 + int(rng.integers(8, 90))
    left = (sw - shown_w) // 2
    screen.paste(img.resize((shown_w, shown_h), Image.Resampling.BICUBIC), (left, top))
    bubble_top = min(top + shown_h + 15, sh - 195)
    draw.rounded_rectangle([15, bubble_top, 390, bubble_top + 68], radius=15, fill=header)
    draw.text(
        (30, bubble_top + 19),
        "kim bul? " + WORDS[int(rng.integers(len(WORDS)))],
        fill=(255, 255, 255),
        font=_font(22),
    )
    draw.rectangle([0, sh - 82, sw, sh], fill=(0, 0, 0) if dark else (250, 250, 250))
    draw.rounded_rectangle([15, sh - 68, sw - 82, sh - 22], radius=21, outline=ink, width=2)
    draw.text((38, sh - 58), "Message", fill=(128, 128, 128), font=_font(21))
    return screen


def transforms() -> dict[str, Callable[[Image.Image, np.random.Generator], Image.Image]]:
    return {
        "jpeg q50": lambda im, rng: jpeg(im, 50),
        "jpeg q30": lambda im, rng: jpeg(im, 30),
        "resize 50%": lambda im, rng: im.resize((im.width // 2, im.height // 2), Image.Resampling.BILINEAR),
        "resize 200%": lambda im, rng: im.resize((im.width * 2, im.height * 2), Image.Resampling.BICUBIC),
        "crop 5%": lambda im, rng: crop(im, 0.05, rng),
        "crop 10%": lambda im, rng: crop(im, 0.10, rng),
        "mirror": lambda im, rng: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "rotate 90": lambda im, rng: im.transpose(Image.Transpose.ROTATE_90),
        "brightness +30%": lambda im, rng: ImageEnhance.Brightness(im).enhance(1.3),
        "contrast -30%": lambda im, rng: ImageEnhance.Contrast(im).enhance(0.7),
        "caption bar": caption,
        "watermark": watermark,
        "screenshot": screenshot,
    }


# ---------------------------------------------------------------------------------------------------------------
# hashing the three ways, in worker processes

PHASH_THRESHOLD = 10  # imagehash pHash (64 bits): the usual near-duplicate cut-off
QUALITY = 50
DISTANCE = 31


def encode(img: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def query_side(data: bytes) -> dict:
    """What each method computes for a found file: Tumar's view hashes, reference PDQ of the whole, pHash."""
    import imagehash

    from tumar.images.matcher import view_hashes
    from tumar.images.pdq import LumaImage, reference_hash
    from tumar.images.picture import decode_picture

    image = LumaImage(decode_picture(data, source="copy"))
    views = view_hashes(image)
    pil = Image.open(io.BytesIO(data)).convert("RGB")
    reference = reference_hash(np.asarray(pil))
    return {
        "views": [(v.hash.bits, v.hash.quality, v.view, v.orientation) for v in views],
        "pdq": reference.bits,
        "pdq_quality": reference.quality,
        "phash": int(str(imagehash.phash(pil)), 16),
    }


def base_job(seed: int) -> dict | None:
    """A base picture (her original, JPEG q95), the hash-list side of each method, and every transformed copy."""
    import imagehash

    from tumar.images.pdq import LumaImage, reference_hash
    from tumar.images.picture import decode_picture
    from tumar.images.variants import variant_crops

    original = encode(photo(seed), 95)
    image = LumaImage(decode_picture(original, source="original"))
    whole = image.hash()
    if whole.quality < QUALITY:
        return None
    crops = variant_crops(image.width, image.height)
    pil = Image.open(io.BytesIO(original)).convert("RGB")
    reference = reference_hash(np.asarray(pil))
    rng = np.random.default_rng(seed + 1_000_003)
    copies = {name: query_side(encode(f(pil, rng), 90)) for name, f in transforms().items()}
    return {
        "seed": seed,
        "whole": (whole.bits, whole.quality),
        "variants": [(c, h.bits, h.quality) for c, h in zip(crops, image.hash_many(crops), strict=True)],
        "pdq": reference.bits,
        "pdq_quality": reference.quality,
        "phash": int(str(imagehash.phash(pil)), 16),
        "copies": copies,
    }


def unrelated_job(seed: int) -> dict:
    return query_side(encode(photo(seed), 90))


# ---------------------------------------------------------------------------------------------------------------
# evaluation


def _bits(rows: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(-1, 32)


def _pdq_within(queries: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Boolean matrix: query i within DISTANCE of base j (reference PDQ, whole images)."""
    q64, b64 = queries.view(np.uint64), base.view(np.uint64)
    out = np.zeros((len(q64), len(b64)), dtype=bool)
    for start in range(0, len(q64), 256):
        d = np.bitwise_count(q64[start : start + 256, None, :] ^ b64[None, :, :]).sum(axis=2)
        out[start : start + 256] = d <= DISTANCE
    return out


def _phash_within(queries: np.ndarray, base: np.ndarray) -> np.ndarray:
    return np.bitwise_count(queries[:, None] ^ base[None, :]) <= PHASH_THRESHOLD


def evaluate(bases: list[dict], unrelated: list[dict]) -> None:
    from tumar.images.hashlist import HashEntry, HashList
    from tumar.images.matcher import Matcher, MatchOptions, ViewHash
    from tumar.images.pdq import PdqHash

    entries = []
    for b in bases:
        source = f"s{b['seed']}"
        entries.append(HashEntry(source, source, "image", PdqHash(*b["whole"]), sha256="0" * 64))
        entries += [
            HashEntry(f"{source}.c{n}", source, "variant", PdqHash(bits, q), crop=crop)
            for n, (crop, bits, q) in enumerate(b["variants"], 1)
        ]
    started = time.perf_counter()
    matcher = Matcher(HashList(tuple(entries)))
    loose = Matcher(HashList(tuple(entries)), MatchOptions(max_distance=47))
    print(
        f"Tumar hash list: {len(entries):,} hashes ({len(entries) / len(bases):.0f} per picture), index built in {time.perf_counter() - started:.1f} s"
    )

    def tumar_sources(found: list[dict], m: Matcher = matcher) -> list[set[str]]:
        groups = [
            [ViewHash(PdqHash(bits, q), view, turn) for bits, q, view, turn in f["views"]] for f in found
        ]
        return [set(hits) for hits in m.best_hits_many(groups)]

    base_pdq = _bits([b["pdq"] for b in bases])
    base_pdq_ok = np.array([b["pdq_quality"] >= QUALITY for b in bases])
    base_phash = np.array([b["phash"] for b in bases], dtype=np.uint64)
    own = np.arange(len(bases))
    names = list(transforms())
    print()
    print(f"== Recall per transformation: {len(bases)} base pictures, each copy saved as JPEG q90")
    print(
        f"{'transformation':<18}{'PDQ plain':>11}{'Tumar':>9}{'pHash':>9}   wrong source (plain/Tumar/pHash)"
        f"   Tumar misses: quality < {QUALITY} / other"
    )
    lookups = 0.0
    totals = np.zeros(3)
    for name in names:
        copies = [b["copies"][name] for b in bases]
        q_pdq = _bits([c["pdq"] for c in copies])
        q_ok = np.array([c["pdq_quality"] >= QUALITY for c in copies])
        within = _pdq_within(q_pdq, base_pdq) & q_ok[:, None] & base_pdq_ok[None, :]
        plain = within[own, own].mean()
        plain_wrong = (within & ~np.eye(len(bases), dtype=bool)).any(axis=1).sum()
        t = time.perf_counter()
        found = tumar_sources(copies)
        lookups += time.perf_counter() - t
        tumar = np.mean([f"s{b['seed']}" in f for b, f in zip(bases, found, strict=True)])
        tumar_wrong = sum(bool(f - {f"s{b['seed']}"}) for b, f in zip(bases, found, strict=True))
        ph = _phash_within(np.array([c["phash"] for c in copies], dtype=np.uint64), base_phash)
        phash = ph[own, own].mean()
        phash_wrong = (ph & ~np.eye(len(bases), dtype=bool)).any(axis=1).sum()
        totals += (plain, tumar, phash)
        misses = [c for b, c, f in zip(bases, copies, found, strict=True) if f"s{b['seed']}" not in f]
        plain_ones = sum(all(q < QUALITY for _, q, _, _ in c["views"]) for c in misses)
        print(
            f"{name:<18}{plain:>10.1%}{tumar:>9.1%}{phash:>9.1%}   {plain_wrong}/{tumar_wrong}/{phash_wrong}"
            f"{plain_ones:>29} / {len(misses) - plain_ones}"
        )
    totals /= len(names)
    print(f"{'mean':<18}{totals[0]:>10.1%}{totals[1]:>9.1%}{totals[2]:>9.1%}")

    q_pdq = _bits([u["pdq"] for u in unrelated])
    q_ok = np.array([u["pdq_quality"] >= QUALITY for u in unrelated])
    plain_fp = _pdq_within(q_pdq, base_pdq) & q_ok[:, None] & base_pdq_ok[None, :]
    tumar_fp = tumar_sources(unrelated)
    near = tumar_sources(unrelated, loose)
    phash_fp = _phash_within(np.array([u["phash"] for u in unrelated], dtype=np.uint64), base_phash)
    pairs = len(unrelated) * len(bases)
    print()
    print(
        f"== False positives: {len(unrelated)} unrelated pictures against the {len(bases)} bases ({pairs:,} pairs)"
    )
    print(f"{'':<18}{'PDQ plain':>11}{'Tumar':>9}{'pHash':>9}")
    print(
        f"{'pictures matched':<18}{plain_fp.any(axis=1).mean():>10.2%}"
        f"{np.mean([bool(f) for f in tumar_fp]):>9.2%}{phash_fp.any(axis=1).mean():>9.2%}"
    )
    print(
        f"{'pairs matched':<18}{plain_fp.sum() / pairs:>10.4%}"
        f"{sum(len(f) for f in tumar_fp) / pairs:>9.4%}{phash_fp.sum() / pairs:>9.4%}"
    )
    print(
        f"Tumar margin: unrelated pictures within distance 47 of some base: {sum(bool(f) for f in near)} "
        f"(the threshold is {DISTANCE}); unrelated below quality {QUALITY} (not looked up): "
        f"{sum(all(q < QUALITY for _, q, _, _ in u['views']) for u in unrelated)}"
    )
    copies_total = len(bases) * len(names)
    print(
        f"Tumar lookups: {copies_total / lookups:,.0f} copies/s against {len(entries):,} hashes (hashing excluded)"
    )


def speed(seeds: list[int]) -> None:
    import imagehash

    from tumar.images.matcher import view_hashes
    from tumar.images.pdq import LumaImage, hamming, reference_hash
    from tumar.images.picture import decode_picture
    from tumar.images.variants import variant_crops

    files = [encode(photo(s), 90) for s in seeds]

    def rate(job: Callable[[bytes], object]) -> float:
        started = time.perf_counter()
        for data in files:
            job(data)
        return len(files) / (time.perf_counter() - started)

    def whole(data: bytes) -> object:
        return LumaImage(decode_picture(data, source="x")).hash()

    def listed(data: bytes) -> object:
        image = LumaImage(decode_picture(data, source="x"))
        return image.hash(), image.hash_many(variant_crops(image.width, image.height))

    def found(data: bytes) -> object:
        return view_hashes(LumaImage(decode_picture(data, source="x")))

    def reference(data: bytes) -> object:
        return reference_hash(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))

    def phash(data: bytes) -> object:
        return imagehash.phash(Image.open(io.BytesIO(data)).convert("RGB"))

    print()
    print(f"== Hashing speed, one process, {len(files)} JPEGs of about 0.2 megapixels (decoding included)")
    print(f"Tumar PDQ, whole picture:                        {rate(whole):8.1f} images/s")
    print(
        f"Tumar hash list side (whole + {len(variant_crops(640, 480))} crop variants): {rate(listed):8.1f} images/s"
    )
    print(f"Tumar match side (content regions × 8 turns):    {rate(found):8.1f} images/s")
    print(f"Meta reference PDQ (pdqhash, whole picture):     {rate(reference):8.1f} images/s")
    print(f"imagehash pHash:                                 {rate(phash):8.1f} images/s")
    gaps = [hamming(whole(d), reference(d)) for d in files]  # type: ignore[arg-type]
    print(
        f"Tumar PDQ vs reference PDQ on the same picture: median {np.median(gaps):.0f} bits, "
        f"90th percentile {np.percentile(gaps, 90):.0f}, max {max(gaps)} (of 256)"
    )


def lookup(n: int, queries: int) -> None:
    from tumar.images.index import HashIndex

    rng = np.random.default_rng(42)
    table = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    centres = rng.integers(0, n, n // 100)
    for i, centre in enumerate(centres):  # 1 % planted near-duplicates of other rows (0–40 bits away)
        row = table[centre].copy()
        for bit in rng.choice(256, int(rng.integers(0, 41)), replace=False):
            row[bit // 8] ^= np.uint8(1 << (7 - bit % 8))
        table[(centre + 1 + i) % n] = row
    near = table[rng.integers(0, n, queries // 2)].copy()
    for row in near:
        for bit in rng.choice(256, int(rng.integers(0, DISTANCE + 1)), replace=False):
            row[bit // 8] ^= np.uint8(1 << (7 - bit % 8))
    probe = np.concatenate([near, rng.integers(0, 256, (queries - len(near), 32), dtype=np.uint8)])
    started = time.perf_counter()
    index = HashIndex(table)
    built = time.perf_counter() - started
    print()
    print(
        f"== Lookup speed: {n:,} hashes (1 % planted near-duplicates), {len(probe)} queries (half within {DISTANCE} bits of a stored hash)"
    )
    print(f"index build: {built:.1f} s")
    started = time.perf_counter()
    batch = index.search_many(probe, DISTANCE)
    mih = len(probe) / (time.perf_counter() - started)
    started = time.perf_counter()
    for q in probe[:200]:
        index.search(q, DISTANCE)
    single = 200 / (time.perf_counter() - started)
    started = time.perf_counter()
    for q in probe[:200]:
        index.nearest(q, DISTANCE)
    nearest = 200 / (time.perf_counter() - started)
    started = time.perf_counter()
    for q in table[:2000]:
        index.exact(q.tobytes())
    exact = 2000 / (time.perf_counter() - started)
    brute_n = 50
    started = time.perf_counter()
    brute = []
    for q in probe[:brute_n]:
        d = index.distances(q)
        rows = np.flatnonzero(d <= DISTANCE)
        brute.append(sorted(zip(rows.tolist(), d[rows].tolist(), strict=True), key=lambda p: (p[1], p[0])))
    scan = brute_n / (time.perf_counter() - started)
    same = brute == batch[:brute_n]
    print(f"multi-index hashing, batches of 256: {mih:10,.0f} queries/s")
    print(f"multi-index hashing, one at a time:  {single:10,.0f} queries/s")
    print(f"nearest (exact shortcut, then MIH):  {nearest:10,.0f} queries/s")
    print(f"exact-match lookup:                  {exact:10,.0f} queries/s")
    print(
        f"brute-force numpy scan:              {scan:10,.0f} queries/s   (same results as the index: {same})"
    )
    print(
        f"speed-up of the index over the scan: {mih / scan:,.0f}×; queries with a match: {sum(bool(r) for r in batch)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="150 bases, 300 unrelated, 100,000 hashes")
    parser.add_argument("--bases", type=int, default=None)
    parser.add_argument("--unrelated", type=int, default=None)
    parser.add_argument("--hashes", type=int, default=None)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    n_bases = args.bases or (150 if args.quick else 1000)
    n_unrelated = args.unrelated or (300 if args.quick else 1000)
    n_hashes = args.hashes or (100_000 if args.quick else 1_000_000)
    started = time.perf_counter()
    bases: list[dict] = []
    rejected = seed = 0
    with ProcessPoolExecutor(args.workers) as pool:
        while len(bases) < n_bases:
            batch = range(seed, seed + int((n_bases - len(bases)) * 1.05) + 4)
            for result in pool.map(base_job, batch, chunksize=4):
                if len(bases) < n_bases:
                    rejected += result is None
                    bases += [result] if result is not None else []
            seed = batch.stop
        unrelated = list(pool.map(unrelated_job, range(10_000_000, 10_000_000 + n_unrelated), chunksize=8))
    qualities = np.array([b["whole"][1] for b in bases])
    print(
        f"Generated {n_bases} base pictures ({rejected} more were generated and left out: PDQ quality < {QUALITY}; "
        f"quality of those kept: 10th percentile {np.percentile(qualities, 10):.0f}, median {np.median(qualities):.0f}), "
        f"{n_bases * len(transforms()):,} transformed copies and {n_unrelated} unrelated pictures, hashed all three ways "
        f"in {time.perf_counter() - started:.0f} s on {args.workers} processes"
    )
    evaluate(bases, unrelated)
    speed(list(range(20_000_000, 20_000_150)))
    lookup(n_hashes, 1000)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
