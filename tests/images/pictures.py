"""Generated pictures for the image tests (no real photos) and the transformations leaked pictures go through."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

WORDS = ["Aigerim", "Bishkek", "Almaty", "2024", "Nurlan", "Dana", "Osh", "Astana", "Samal"]


def photo(seed: int, size: tuple[int, int] = (360, 270)) -> Image.Image:
    """A photo-like picture: smooth noise and a gradient, shapes, a figure, a word, blur and grain."""
    rng = np.random.default_rng(seed)
    w, h = size
    cells = int(rng.integers(2, 7))
    small = (rng.random((cells, cells, 3)) * 255).astype(np.uint8)
    noise = np.asarray(Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    t = x * np.cos(angle) + y * np.sin(angle)
    t = ((t - t.min()) / (np.ptp(t) + 1e-6))[..., None]
    canvas = 0.5 * noise + 0.5 * (t * rng.integers(0, 256, 3) + (1 - t) * rng.integers(0, 256, 3))
    img = Image.fromarray(canvas.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x0, y0 = int(rng.integers(-w // 6, w)), int(rng.integers(-h // 6, h))
        sw, sh = int(rng.integers(w // 8, w // 2)), int(rng.integers(h // 8, h // 2))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        shape = int(rng.integers(3))
        if shape == 0:
            draw.ellipse([x0, y0, x0 + sw, y0 + sh], fill=colour)
        elif shape == 1:
            draw.rectangle([x0, y0, x0 + sw, y0 + sh], fill=colour)
        else:
            draw.line([(x0, y0), (x0 + sw, y0 + sh)], fill=colour, width=int(rng.integers(4, 16)))
    r = w // 12
    cx, cy = int(rng.integers(w // 4, 3 * w // 4)), int(rng.integers(h // 6, h // 2))
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(210, 170, 140))
    draw.rounded_rectangle([cx - 2 * r, cy + r, cx + 2 * r, cy + 5 * r], radius=r, fill=(90, 60, 120))
    draw.text(
        (w // 10, h - h // 5), WORDS[seed % len(WORDS)], fill=(255, 255, 255), font=ImageFont.load_default(22)
    )
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    grain = rng.normal(0, 4, (h, w, 1))
    return Image.fromarray((np.asarray(img, dtype=np.float32) + grain).clip(0, 255).astype(np.uint8))


def encode(img: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    return Image.open(io.BytesIO(encode(img, "JPEG", quality=quality))).convert("RGB")


def crop(img: Image.Image, cut: float, where: str) -> Image.Image:
    w, h = img.size
    kw, kh = round(w * (1 - cut)), round(h * (1 - cut))
    x = {"tl": 0, "c": (w - kw) // 2, "br": w - kw}[where]
    y = {"tl": 0, "c": (h - kh) // 2, "br": h - kh}[where]
    return img.crop((x, y, x + kw, y + kh))


def caption(img: Image.Image) -> Image.Image:
    w, h = img.size
    bar = h // 6
    out = Image.new("RGB", (w, h + bar), (255, 255, 255))
    out.paste(img, (0, bar))
    ImageDraw.Draw(out).text(
        (10, bar // 4), "kim bul kyz? 18+", fill=(0, 0, 0), font=ImageFont.load_default(bar // 2)
    )
    return out


def watermark(img: Image.Image) -> Image.Image:
    w, h = img.size
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.text(
        (w // 2, h - h // 8), "@osh_leaks", fill=(255, 255, 255, 90), font=ImageFont.load_default(w // 16)
    )
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


def screenshot(img: Image.Image, dark: bool = True) -> Image.Image:
    """The picture in a phone chat: status bar, header with a name, margins, a bubble below, the input bar."""
    sw, sh = 360, 760
    page, ink = ((18, 18, 24), (235, 235, 235)) if dark else ((236, 229, 221), (20, 20, 20))
    screen = Image.new("RGB", (sw, sh), page)
    draw = ImageDraw.Draw(screen)
    draw.rectangle([0, 0, sw, 24], fill=(0, 0, 0))
    draw.text((12, 4), "22:41", fill=(255, 255, 255), font=ImageFont.load_default(14))
    draw.rectangle([0, 24, sw, 76], fill=(40, 48, 60))
    draw.ellipse([10, 32, 46, 68], fill=(200, 160, 120))
    draw.text((58, 40), "Azamat", fill=(255, 255, 255), font=ImageFont.load_default(18))
    shown_w = sw - 16
    shown_h = round(img.height * shown_w / img.width)
    screen.paste(img.resize((shown_w, shown_h), Image.Resampling.BICUBIC), (8, 100))
    bubble = 100 + shown_h + 12
    draw.rounded_rectangle([10, bubble, 260, bubble + 44], radius=12, fill=(40, 48, 60))
    draw.text((22, bubble + 12), "tanyisinbi? Osh", fill=ink, font=ImageFont.load_default(16))
    draw.rectangle([0, sh - 56, sw, sh], fill=(0, 0, 0))
    draw.rounded_rectangle([10, sh - 46, sw - 60, sh - 14], radius=14, outline=ink, width=1)
    return screen


TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "jpeg q30": lambda im: jpeg(im, 30),
    "resize 50%": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.BILINEAR),
    "resize 200%": lambda im: im.resize((im.width * 2, im.height * 2), Image.Resampling.BICUBIC),
    "crop 5% corner": lambda im: crop(im, 0.05, "tl"),
    "crop 10% centre": lambda im: crop(im, 0.10, "c"),
    "crop 10% corner": lambda im: crop(im, 0.10, "br"),
    "mirror": lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    "rotate 90": lambda im: im.transpose(Image.Transpose.ROTATE_90),
    "brightness +30%": lambda im: ImageEnhance.Brightness(im).enhance(1.3),
    "contrast -30%": lambda im: ImageEnhance.Contrast(im).enhance(0.7),
    "caption bar": caption,
    "watermark": watermark,
    "screenshot dark": lambda im: screenshot(im, dark=True),
    "screenshot light": lambda im: screenshot(im, dark=False),
}
