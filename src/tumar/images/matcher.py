"""Scanning folders, archives and chat exports for copies of the pictures and videos in a hash list.

For each file found: if its SHA-256 is in the list, it is an identical copy and is not decoded. Otherwise each
still (the picture, or video frames sampled every second and at cuts) is hashed whole and as the content
regions ``variants.content_crops`` finds (a screenshot's picture without the phone's bars), each in eight
orientations; every hash of quality ≥ ``min_quality`` is looked up in the index. The list's side holds each
picture whole and cropped (``variants.crop_grid``). A file matches a source when some pair is within
``max_distance`` bits; one :class:`Match` per (file, source) is reported, the closest pair.
"""

from __future__ import annotations

import io
import logging
import time as clock
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

import numpy as np

from tumar.errors import ImportFormatError, InputError
from tumar.images.hashlist import EntryKind, HashEntry, HashList
from tumar.images.index import HashIndex
from tumar.images.media import load_media
from tumar.images.pdq import DIHEDRAL_VIEWS, GOOD_QUALITY, MATCH_DISTANCE, WHOLE, Crop, LumaImage, PdqHash
from tumar.images.scan import (
    Locator,
    MediaKind,
    MediaReader,
    ScanItem,
    ScanLimits,
    ScanPlan,
    Skipped,
    plan_scan,
    skip_reason,
)
from tumar.images.variants import content_crops
from tumar.images.video import DEFAULT_INTERVAL

__all__ = [
    "Hit",
    "Match",
    "MatchOptions",
    "Matcher",
    "ScanReport",
    "ViewHash",
    "iter_matches",
    "scan_for_matches",
    "view_hashes",
]

log = logging.getLogger(__name__)

MAX_DISTANCE_LIMIT = 64  # beyond this PDQ distances say nothing about sameness


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """PDQ's documented operating point by default: distance ≤ 31, quality ≥ 50."""

    max_distance: int = MATCH_DISTANCE
    min_quality: int = GOOD_QUALITY
    video_interval: float = DEFAULT_INTERVAL
    limits: ScanLimits = field(default_factory=ScanLimits)

    def __post_init__(self) -> None:
        if not 0 <= self.max_distance <= MAX_DISTANCE_LIMIT:
            raise InputError(f"max distance must be from 0 to {MAX_DISTANCE_LIMIT}, not {self.max_distance}")
        if not 0 <= self.min_quality <= 100:
            raise InputError(f"min quality must be from 0 to 100, not {self.min_quality}")


@dataclass(frozen=True, slots=True)
class Match:
    """A found file that is a copy of a source in the hash list, and how it was recognised."""

    file: str  # absolute path, or "archive.zip!member" (see Locator.display)
    locator: Locator
    sha256: str  # of the found file
    kind: MediaKind  # of the found file
    source: str  # the hash list's source id ("s3")
    entry: str  # the entry that matched ("s3", "s3.c41", "s3.f7")
    entry_kind: EntryKind
    name: str | None  # the source's file name, if the list carries names
    distance: int  # Hamming distance of the closest pair (0 for an identical file)
    quality: int  # PDQ quality of the found file's hash in that pair
    method: Literal["sha256", "pdq"]
    view: Literal["file", "whole", "content"]  # what of the found file matched
    orientation: str  # one of pdq.DIHEDRAL_VIEWS: how the found file is turned relative to the source
    region: Crop | None = None  # for view "content": where in the found file (fractions)
    time: float | None = None  # seconds into the found video
    entry_time: float | None = None  # seconds into the source video

    def open(self, limits: ScanLimits | None = None) -> BinaryIO:
        """A binary stream of the found file (for adding it to an evidence case). Close it after use."""
        if not self.locator.members:
            try:
                return self.locator.path.open("rb")
            except OSError as exc:
                raise ImportFormatError(f"cannot read ({exc.strerror})", source=self.file) from None
        return io.BytesIO(self.read_bytes(limits))

    def read_bytes(self, limits: ScanLimits | None = None) -> bytes:
        """The found file's bytes, read again from disk or from its archive, within ``limits``."""
        with MediaReader(limits) as reader:
            return reader.read(self.locator)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "kind": self.kind,
            "source": self.source,
            "entry": self.entry,
            "entry_kind": self.entry_kind,
            "name": self.name,
            "distance": self.distance,
            "quality": self.quality,
            "method": self.method,
            "view": self.view,
            "orientation": self.orientation,
            "region": [round(v, 4) for v in self.region] if self.region else None,
            "time": round(self.time, 3) if self.time is not None else None,
            "entry_time": round(self.entry_time, 3) if self.entry_time is not None else None,
        }


@dataclass(frozen=True, slots=True)
class ViewHash:
    """A hash of one view of a found still: the whole of it or a content region, in one of eight orientations."""

    hash: PdqHash
    view: Literal["whole", "content"]
    orientation: int  # index into pdq.DIHEDRAL_VIEWS
    region: Crop | None = None
    time: float | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """The closest hash-list entry of one source for a found file, and the view that reached it."""

    entry: HashEntry
    distance: int
    query: ViewHash

    @property
    def rank(self) -> tuple[int, bool, bool, int, float]:
        """Closer first; then the whole picture before a region, an image before a crop variant, earlier frames."""
        return (
            self.distance,
            self.query.view != "whole",
            self.entry.kind == "variant",
            self.query.orientation,
            self.query.time or 0.0,
        )


def view_hashes(image: LumaImage, time: float | None = None) -> list[ViewHash]:
    """The hashes a found still is looked up by: whole and each content region, each in eight orientations."""
    views: list[tuple[Literal["whole", "content"], Crop | None]] = [("whole", None)]
    views += [("content", crop) for crop in content_crops(image)]
    return [
        ViewHash(h, view, turn, region, time)
        for view, region in views
        for turn, h in enumerate(image.hash_dihedral(region or WHOLE))
    ]


class Matcher:
    """Matches found files against one hash list (index built once)."""

    def __init__(self, hashlist: HashList, options: MatchOptions | None = None) -> None:
        self.hashlist = hashlist
        self.options = options or MatchOptions()
        usable = [e for e in hashlist.entries if e.hash.quality >= self.options.min_quality]
        self.ignored_entries = len(hashlist.entries) - len(usable)
        self._entries = usable
        self._index = HashIndex([e.hash.bits for e in usable])
        self._by_digest: dict[str, list[HashEntry]] = {}
        for entry in hashlist.entries:
            if entry.sha256 is not None and entry.kind != "variant":
                bucket = self._by_digest.setdefault(entry.sha256, [])
                if all(e.source != entry.source for e in bucket):
                    bucket.append(entry)
        self._names = {e.source: e.name for e in hashlist.entries if e.name is not None}

    def identical(self, sha256: str) -> list[HashEntry]:
        """Entries (one per source) of files whose SHA-256 is ``sha256``."""
        return list(self._by_digest.get(sha256, ()))

    def best_hits(self, queries: list[ViewHash], hits: dict[str, Hit] | None = None) -> dict[str, Hit]:
        """For each source some query reaches within ``max_distance``, its best :class:`Hit`.

        Queries under ``min_quality`` are not looked up. Pass ``hits`` to keep the best across several stills.
        """
        best = {} if hits is None else hits
        for source, hit in self.best_hits_many([queries])[0].items():
            known = best.get(source)
            if known is None or hit.rank < known.rank:
                best[source] = hit
        return best

    def best_hits_many(self, groups: Sequence[Sequence[ViewHash]]) -> list[dict[str, Hit]]:
        """:meth:`best_hits` for many found files at once (one batched index search)."""
        usable = [
            (n, q)
            for n, queries in enumerate(groups)
            for q in queries
            if q.hash.quality >= self.options.min_quality
        ]
        results: list[dict[str, Hit]] = [{} for _ in groups]
        if not usable or not self._entries:
            return results
        table = np.frombuffer(b"".join(q.hash.bits for _, q in usable), dtype=np.uint8).reshape(-1, 32)
        for (n, query), found in zip(
            usable, self._index.search_many(table, self.options.max_distance), strict=True
        ):
            best = results[n]
            for row, distance in found:
                hit = Hit(self._entries[row], distance, query)
                known = best.get(hit.entry.source)
                if known is None or hit.rank < known.rank:
                    best[hit.entry.source] = hit
        return results

    def match_item(self, item: ScanItem, reader: MediaReader) -> tuple[list[Match], Skipped | None]:
        """Matches for one found file, and why it was skipped (or only partly read), if it was."""
        try:
            media = load_media(item, reader, video_interval=self.options.video_interval)
        except ImportFormatError as exc:
            return [], Skipped(item.display, skip_reason(exc))
        identical = self.identical(media.sha256)
        if identical:
            return [self._identical(item, media.sha256, media.kind, e) for e in identical], None
        hits: dict[str, Hit] = {}
        problem: Skipped | None = None
        stills = usable = 0
        best_quality = -1
        try:
            for still in media.stills:
                stills += 1
                queries = view_hashes(still.image, still.time)
                best_quality = max([best_quality, *(q.hash.quality for q in queries)])
                usable += any(q.hash.quality >= self.options.min_quality for q in queries)
                self.best_hits(queries, hits)
        except ImportFormatError as exc:
            reason = skip_reason(exc)
            problem = Skipped(item.display, reason if stills == 0 else f"only partly read: {reason}")
        if problem is None and stills and not usable:
            problem = Skipped(
                item.display,
                f"too plain for PDQ (quality {best_quality} < {self.options.min_quality}); not checked",
            )
        ordered = sorted(hits.values(), key=lambda hit: hit.rank)
        return [self._match(item, media.sha256, media.kind, hit) for hit in ordered], problem

    def _identical(self, item: ScanItem, digest: str, kind: MediaKind, entry: HashEntry) -> Match:
        return Match(
            file=item.display,
            locator=item.locator,
            sha256=digest,
            kind=kind,
            source=entry.source,
            entry=entry.id,
            entry_kind=entry.kind,
            name=self._names.get(entry.source),
            distance=0,
            quality=entry.hash.quality,
            method="sha256",
            view="file",
            orientation=DIHEDRAL_VIEWS[0],
        )

    def _match(self, item: ScanItem, digest: str, kind: MediaKind, hit: Hit) -> Match:
        return Match(
            file=item.display,
            locator=item.locator,
            sha256=digest,
            kind=kind,
            source=hit.entry.source,
            entry=hit.entry.id,
            entry_kind=hit.entry.kind,
            name=self._names.get(hit.entry.source),
            distance=hit.distance,
            quality=hit.query.hash.quality,
            method="pdq",
            view=hit.query.view,
            orientation=DIHEDRAL_VIEWS[hit.query.orientation],
            region=hit.query.region,
            time=hit.query.time,
            entry_time=hit.entry.time,
        )


@dataclass(frozen=True, slots=True)
class ScanReport:
    """Everything a scan found: matches in scan order, skipped files, counts and the time it took."""

    matches: tuple[Match, ...]
    skipped: tuple[Skipped, ...]
    scanned: int  # pictures and videos looked at
    ignored: int  # other files passed over (JSON, HTML, voice notes…)
    ignored_entries: int  # hash-list entries below min_quality, not used
    seconds: float


def scan_for_matches(
    hashlist: HashList,
    plan: ScanPlan,
    options: MatchOptions | None = None,
    *,
    on_item: Callable[[ScanItem, list[Match]], None] | None = None,
) -> ScanReport:
    """Match every item of ``plan``; ``on_item`` is called after each (for a progress bar)."""
    matcher = Matcher(hashlist, options)
    started = clock.perf_counter()
    matches: list[Match] = []
    skipped = list(plan.skipped)
    with MediaReader(matcher.options.limits) as reader:
        for item in plan.items:
            found, problem = matcher.match_item(item, reader)
            matches += found
            if problem is not None:
                skipped.append(problem)
            if on_item is not None:
                on_item(item, found)
    log.info("scanned %d files: %d matches, %d skipped", len(plan.items), len(matches), len(skipped))
    return ScanReport(
        tuple(matches),
        tuple(skipped),
        len(plan.items),
        plan.ignored,
        matcher.ignored_entries,
        clock.perf_counter() - started,
    )


def iter_matches(
    hashlist: HashList,
    targets: Iterable[str | Path],
    *,
    max_distance: int = MATCH_DISTANCE,
    min_quality: int = GOOD_QUALITY,
    limits: ScanLimits | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Match]:
    """Yield matches under ``targets`` (files, folders, zip archives, chat exports) as they are found.

    Each :class:`Match` can re-read its file (``match.open()`` / ``match.read_bytes()``) to put it into an
    evidence case. Skipped files go to ``on_skip``; the scan never stops for one bad file.
    """
    options = MatchOptions(max_distance, min_quality, limits=limits or ScanLimits())
    plan = plan_scan(targets, options.limits)
    if on_skip is not None:
        for skipped in plan.skipped:
            on_skip(skipped)
    matcher = Matcher(hashlist, options)
    with MediaReader(options.limits) as reader:
        for item in plan.items:
            found, problem = matcher.match_item(item, reader)
            if problem is not None and on_skip is not None:
                on_skip(problem)
            yield from found
