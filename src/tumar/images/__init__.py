"""Image-based abuse: a local registry of PDQ hashes of a survivor's intimate pictures and videos, and a matcher
that finds copies of them in folders, zip archives and chat exports. Pictures never leave her device; only
hashes do (see ``hashlist.py`` for what the hash list holds).

Typical use::

    result = hash_media(["~/private"])                 # on her device
    write_hashlist(result.hashlist, "hashes.jsonl")
    for match in iter_matches(read_hashlist("hashes.jsonl"), ["ChatExport_2026-03-08/"]):
        print(match.file, match.source, match.distance)  # match.open() re-reads the file for an evidence case
"""

from __future__ import annotations

from tumar.images.hasher import HashedSource, HashingResult, HashOptions, hash_media, hash_plan
from tumar.images.hashlist import HashEntry, HashList, read_hashlist, write_hashlist
from tumar.images.index import HashIndex
from tumar.images.matcher import (
    Hit,
    Match,
    Matcher,
    MatchOptions,
    ScanReport,
    ViewHash,
    iter_matches,
    scan_for_matches,
    view_hashes,
)
from tumar.images.pdq import GOOD_QUALITY, MATCH_DISTANCE, LumaImage, PdqHash, hamming
from tumar.images.scan import Locator, ScanItem, ScanLimits, ScanPlan, Skipped, plan_scan

__all__ = [
    "GOOD_QUALITY",
    "MATCH_DISTANCE",
    "HashEntry",
    "HashIndex",
    "HashList",
    "HashOptions",
    "HashedSource",
    "HashingResult",
    "Hit",
    "Locator",
    "LumaImage",
    "Match",
    "MatchOptions",
    "Matcher",
    "PdqHash",
    "ScanItem",
    "ScanLimits",
    "ScanPlan",
    "ScanReport",
    "Skipped",
    "ViewHash",
    "hamming",
    "hash_media",
    "hash_plan",
    "iter_matches",
    "plan_scan",
    "read_hashlist",
    "scan_for_matches",
    "view_hashes",
    "write_hashlist",
]
