"""Turning a found file into what gets hashed: its SHA-256 and its stills (the picture, or sampled video frames)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tumar.errors import ImportFormatError
from tumar.images.pdq import LumaImage
from tumar.images.picture import decode_picture
from tumar.images.scan import MediaKind, MediaReader, ScanItem
from tumar.images.video import DEFAULT_INTERVAL, sample_frames

__all__ = ["LoadedMedia", "Still", "load_media"]


@dataclass(frozen=True, slots=True, eq=False)
class Still:
    """One picture to hash: the whole picture (``time`` None) or a video frame ``time`` seconds in."""

    time: float | None
    image: LumaImage


@dataclass(frozen=True, slots=True, eq=False)
class LoadedMedia:
    """A file's SHA-256 and its stills; for a video the stills are decoded lazily and may raise ImportFormatError."""

    sha256: str
    kind: MediaKind
    stills: Iterator[Still]


def load_media(
    item: ScanItem, reader: MediaReader, *, video_interval: float = DEFAULT_INTERVAL
) -> LoadedMedia:
    """Read ``item``; raises ImportFormatError (source = its display path) if it cannot be used."""
    where = item.display
    limits = reader.limits
    if item.kind == "video":
        source: Path | bytes
        if item.locator.members:
            source = reader.read(item.locator)
            digest = hashlib.sha256(source).hexdigest()
        else:  # a video file is read from disk by the decoder, not into memory
            source = item.locator.path
            try:
                with source.open("rb") as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError as exc:
                raise ImportFormatError(f"cannot read ({exc.strerror})", source=where) from None
        frames = sample_frames(
            source,
            source=where,
            interval=video_interval,
            max_pixels=limits.max_pixels,
            max_frames=limits.max_video_frames,
        )
        return LoadedMedia(digest, "video", (Still(f.time, LumaImage(f.luma)) for f in frames))
    data = reader.read(item.locator)
    digest = hashlib.sha256(data).hexdigest()
    luma = decode_picture(data, source=where, max_pixels=limits.max_pixels)
    return LoadedMedia(digest, "image", iter([Still(None, LumaImage(luma))]))
