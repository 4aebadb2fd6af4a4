"""Sampling video frames with PyAV: a frame every ``interval`` seconds and at every scene change. The only module
that uses PyAV.

Every frame is decoded (a cut can fall anywhere), but only a 32×32 grey thumbnail of it is compared with the
previous one: when the mean absolute difference is at least :data:`SCENE_CHANGE` luma levels, the frame starts
a new scene and is sampled. The sampled frames come out as luma arrays, like pictures, so one hash list and
one matcher cover both.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from tumar.errors import ImportFormatError
from tumar.images.pdq import luma_from_rgb
from tumar.images.picture import DEFAULT_MAX_PIXELS, MAX_SIDE, describe_error

__all__ = ["DEFAULT_INTERVAL", "MAX_DECODED_FRAMES", "SCENE_CHANGE", "VideoFrame", "sample_frames"]

DEFAULT_INTERVAL = 1.0  # seconds between two sampled frames within a scene
SCENE_CHANGE = 24.0  # mean absolute difference of 32×32 grey thumbnails (0–255) that marks a cut
MAX_DECODED_FRAMES = 500_000  # about 5.5 hours at 25 frames/s; a longer stream is read only that far
THUMB = 32


@dataclass(frozen=True, slots=True, eq=False)
class VideoFrame:
    """A sampled frame: its time in seconds, why it was sampled, and its luma (H×W float32)."""

    time: float
    reason: str  # "first" | "interval" | "scene"
    luma: np.ndarray


def sample_frames(
    video: Path | bytes,
    *,
    source: str,
    interval: float = DEFAULT_INTERVAL,
    scene_change: float = SCENE_CHANGE,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_frames: int = MAX_DECODED_FRAMES,
) -> Iterator[VideoFrame]:
    """Yield sampled frames of ``video`` (a path or the file's bytes), first to last.

    Raises ImportFormatError naming ``source`` if the file cannot be opened, has no video stream, has frames
    over ``max_pixels``, or breaks off part-way (frames yielded before stay valid), or when ``max_frames``
    frames have been decoded.
    """
    if interval <= 0:
        raise ValueError("the sampling interval must be positive")
    handle = str(video) if isinstance(video, Path) else io.BytesIO(video)
    try:
        container = av.open(handle, mode="r", metadata_errors="ignore")
    # A demuxer fed hostile bytes can fail in any way: the file is skipped and the scan goes on.
    except Exception as exc:
        raise ImportFormatError(f"not a readable video ({describe_error(exc)})", source=source) from None
    with container:
        if not container.streams.video:
            raise ImportFormatError("no video stream in this file", source=source)
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > max_pixels:
            raise ImportFormatError(
                f"video frames too large: {width}×{height}, over the limit of {max_pixels:,} pixels",
                source=source,
            )
        yield from _sample(container, stream, source, interval, scene_change, max_pixels, max_frames)


def _sample(
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    source: str,
    interval: float,
    scene_change: float,
    max_pixels: int,
    max_frames: int,
) -> Iterator[VideoFrame]:
    rate = float(stream.average_rate) if stream.average_rate else 25.0
    previous: np.ndarray | None = None
    next_due = 0.0
    decoded = 0
    frames = container.decode(stream)
    while True:
        try:
            frame = next(frames, None)
        except Exception as exc:  # a broken packet part-way: what was sampled so far stays valid
            raise ImportFormatError(
                f"video breaks off after {decoded} frames ({describe_error(exc)})", source=source
            ) from None
        if frame is None:
            return
        decoded += 1
        if decoded > max_frames:
            raise ImportFormatError(f"video read only up to frame {max_frames:,} (the limit)", source=source)
        if frame.width * frame.height > max_pixels:
            raise ImportFormatError(
                f"a frame of {frame.width}×{frame.height} is over the pixel limit", source=source
            )
        time = float(frame.time) if frame.time is not None else (decoded - 1) / rate
        thumb = frame.to_ndarray(format="gray", width=THUMB, height=THUMB).astype(np.float32)
        reason = ""
        if previous is None:
            reason = "first"
        elif float(np.abs(thumb - previous).mean()) >= scene_change:
            reason = "scene"
        elif time >= next_due:
            reason = "interval"
        previous = thumb
        if reason:
            next_due = time + interval
            yield VideoFrame(time, reason, _frame_luma(frame))


def _frame_luma(frame: av.VideoFrame) -> np.ndarray:
    scale = min(1.0, MAX_SIDE / max(frame.width, frame.height))
    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
    rgb = frame.to_ndarray(format="rgb24", width=width, height=height)
    return luma_from_rgb(rgb)
