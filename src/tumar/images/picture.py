"""Decoding pictures with Pillow: bytes in, luma out. The only module that uses Pillow.

A picture from a leaked-media channel is hostile input: it may be truncated, corrupt, a format Pillow does not
read, or a "decompression bomb" (a small file that claims billions of pixels). Each of these becomes an
:class:`~tumar.errors.ImportFormatError` naming the file, which the scan turns into a skip message.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFile, ImageOps

from tumar.errors import ImportFormatError

__all__ = ["DEFAULT_MAX_PIXELS", "MAX_SIDE", "decode_picture", "describe_error"]

DEFAULT_MAX_PIXELS = 100_000_000  # 100 megapixels: above any phone camera, far below what exhausts memory
MAX_SIDE = 1024  # larger pictures are box-reduced to about this; PDQ looks at 64×64 anyway


def decode_picture(data: bytes, *, source: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """The luma (H×W uint8, PDQ's weights) of the picture in ``data``, upright as its EXIF says.

    Animated pictures give their first frame; transparency is laid on white. Raises ImportFormatError
    (with ``source`` as the file name) for anything that is not a readable picture within ``max_pixels``.
    """
    # Pillow warns (DecompressionBombWarning, odd EXIF, palette transparency) where Tumar decides itself:
    # the pixel limit below replaces its bomb warning, and nothing is printed about a survivor's files.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise ImportFormatError(
                f"picture too large (over {2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels): skipped to protect memory",
                source=source,
            ) from None
        except Image.UnidentifiedImageError:
            raise ImportFormatError(
                "corrupt or unsupported picture: its header cannot be read", source=source
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImportFormatError(
                f"corrupt picture header ({describe_error(exc)})", source=source
            ) from None
        width, height = image.size
        if width < 1 or height < 1:
            raise ImportFormatError(f"picture has no pixels ({width}×{height})", source=source)
        if width * height > max_pixels:
            raise ImportFormatError(
                f"picture too large: {width}×{height} = {width * height:,} pixels, over the limit of "
                f"{max_pixels:,}; skipped to protect memory",
                source=source,
            )
        try:
            return _luma(image)
        # A decoder fed hostile bytes can fail in any way: the file is skipped and the scan goes on.
        except Exception as exc:
            raise ImportFormatError(
                f"corrupt or truncated picture ({describe_error(exc)})", source=source
            ) from None


def _luma(image: Image.Image) -> np.ndarray:
    if image.format == "JPEG":
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode a big JPEG at 1/2, 1/4 or 1/8 scale directly
    # WeasyPrint (report rendering) switches Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when it is
    # imported; a scan must report a truncated picture, not hash it half grey, so it is off for this load.
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image.alpha_composite(rgba)
    gray = image.convert("RGB").convert("L")  # ITU-R 601 weights, the same as PDQ's
    factor = -(-max(gray.size) // MAX_SIDE)
    return np.asarray(gray.reduce(factor) if factor > 1 else gray)


def describe_error(exc: BaseException) -> str:
    """An exception as a short message: its class and its text."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
