"""Making a hash list from a survivor's pictures and videos, on her device. Only hashes come out."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tumar.errors import ImportFormatError, InputError
from tumar.images.hashlist import HashEntry, HashList
from tumar.images.media import load_media
from tumar.images.pdq import GOOD_QUALITY, hamming
from tumar.images.scan import (
    MediaKind,
    MediaReader,
    ScanItem,
    ScanLimits,
    ScanPlan,
    Skipped,
    plan_scan,
    skip_reason,
)
from tumar.images.variants import variant_crops
from tumar.images.video import DEFAULT_INTERVAL

__all__ = ["FRAME_REPEAT_DISTANCE", "HashOptions", "HashedSource", "HashingResult", "hash_media", "hash_plan"]

log = logging.getLogger(__name__)

FRAME_REPEAT_DISTANCE = (
    8  # a sampled frame this close to the last kept one (a still scene) is not stored again
)


@dataclass(frozen=True, slots=True)
class HashOptions:
    """How to hash: include file names, add crop variants, sample video frames every ``video_interval`` s."""

    names: bool = False
    crop_variants: bool = True
    video_interval: float = DEFAULT_INTERVAL
    limits: ScanLimits = field(default_factory=ScanLimits)


@dataclass(frozen=True, slots=True)
class HashedSource:
    """One hashed file, for the person who made the list (its path never goes into the list)."""

    source: str
    file: str
    kind: MediaKind
    entries: int
    quality: int  # the picture's PDQ quality, or the best of the video's frames
    note: str = ""


@dataclass(frozen=True, slots=True)
class HashingResult:
    hashlist: HashList
    sources: tuple[HashedSource, ...]
    skipped: tuple[Skipped, ...]


def hash_media(
    targets: Iterable[str | Path],
    options: HashOptions | None = None,
    *,
    on_item: Callable[[ScanItem], None] | None = None,
) -> HashingResult:
    """Hash every picture and video under ``targets`` (files, folders, zip archives)."""
    options = options or HashOptions()
    return hash_plan(plan_scan(targets, options.limits), options, on_item=on_item)


def hash_plan(
    plan: ScanPlan,
    options: HashOptions | None = None,
    *,
    on_item: Callable[[ScanItem], None] | None = None,
    created: str | None = None,
) -> HashingResult:
    """Hash the items of a scan plan; ``on_item`` is called after each (for a progress bar)."""
    options = options or HashOptions()
    entries: list[HashEntry] = []
    sources: list[HashedSource] = []
    skipped = list(plan.skipped)
    by_digest: dict[str, str] = {}
    with MediaReader(options.limits) as reader:
        for item in plan.items:
            source = f"s{len(sources) + 1}"
            try:
                hashed, skip = _hash_item(item, reader, source, options, by_digest)
            finally:
                if on_item is not None:
                    on_item(item)
            if skip is not None:
                skipped.append(skip)
            if hashed is not None:
                new, info = hashed
                entries += new
                sources.append(info)
    if not sources:
        raise InputError(
            "no picture or video could be hashed" + (" (see the skipped files)" if skipped else "")
        )
    log.info("hashed %d files into %d hashes; %d skipped", len(sources), len(entries), len(skipped))
    day = created or dt.datetime.now(dt.UTC).date().isoformat()
    return HashingResult(
        HashList(tuple(entries), names=options.names, created=day), tuple(sources), tuple(skipped)
    )


def _hash_item(
    item: ScanItem, reader: MediaReader, source: str, options: HashOptions, by_digest: dict[str, str]
) -> tuple[tuple[list[HashEntry], HashedSource] | None, Skipped | None]:
    name = _base_name(item) if options.names else None
    try:
        media = load_media(item, reader, video_interval=options.video_interval)
    except ImportFormatError as exc:
        return None, Skipped(item.display, skip_reason(exc))
    if media.sha256 in by_digest:
        return None, Skipped(item.display, f"same file as {by_digest[media.sha256]} (identical content)")
    entries: list[HashEntry] = []
    note = ""
    try:
        for still in media.stills:
            if still.time is None:
                whole = still.image.hash()
                entries.append(HashEntry(source, source, "image", whole, sha256=media.sha256, name=name))
                if options.crop_variants:
                    crops = variant_crops(still.image.width, still.image.height)
                    for n, (crop, h) in enumerate(zip(crops, still.image.hash_many(crops), strict=True), 1):
                        entries.append(HashEntry(f"{source}.c{n}", source, "variant", h, crop=crop))
                continue
            h = still.image.hash()
            if entries and hamming(entries[-1].hash, h) <= FRAME_REPEAT_DISTANCE:
                continue
            entries.append(
                HashEntry(
                    f"{source}.f{len(entries) + 1}",
                    source,
                    "video_frame",
                    h,
                    sha256=media.sha256,
                    name=name,
                    time=still.time,
                )
            )
    except ImportFormatError as exc:
        if not entries:
            return None, Skipped(item.display, skip_reason(exc))
        note = f"only partly read: {skip_reason(exc)}"
    if not entries:
        return None, Skipped(item.display, "no frame could be decoded")
    by_digest[media.sha256] = source
    quality = max(e.hash.quality for e in entries if e.kind != "variant")
    if quality < GOOD_QUALITY:
        note = "; ".join(
            filter(None, [note, f"PDQ quality {quality} < {GOOD_QUALITY}: too plain to match reliably"])
        )
    info = HashedSource(source, item.display, media.kind, len(entries), quality, note)
    return (entries, info), None


def _base_name(item: ScanItem) -> str:
    last = item.locator.members[-1] if item.locator.members else item.locator.path.name
    return last.replace("\\", "/").rsplit("/", 1)[-1]
