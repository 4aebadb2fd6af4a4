"""``tumar images``: hash a survivor's pictures and videos on her device; find copies of them elsewhere."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tumar.errors import InputError
from tumar.images.hasher import HashingResult, HashOptions, hash_plan
from tumar.images.hashlist import read_hashlist, write_hashlist
from tumar.images.matcher import Match, MatchOptions, ScanReport, scan_for_matches
from tumar.images.pdq import GOOD_QUALITY, MATCH_DISTANCE
from tumar.images.picture import DEFAULT_MAX_PIXELS
from tumar.images.scan import ScanLimits, Skipped, plan_scan
from tumar.images.video import DEFAULT_INTERVAL
from tumar.interfaces.cli.common import echo_json

if TYPE_CHECKING:
    from tumar.evidence.store import EvidenceStore

ENTRY_KINDS = {"image": "whole picture", "variant": "crop of it", "video_frame": "video frame"}


@click.group()
def images() -> None:
    """Intimate pictures shared without consent: hash them privately, find copies in channels and exports."""


def _limits(max_pixels: int, zip_depth: int = 1) -> ScanLimits:
    return ScanLimits(max_pixels=max_pixels, max_zip_depth=zip_depth)


@images.command("hash")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="The hash list file to write.",
)
@click.option(
    "--names",
    is_flag=True,
    help="Put each file's base name into the list (names can say who or when; off by default).",
)
@click.option(
    "--crop-variants/--no-crop-variants",
    default=True,
    show_default=True,
    help="Also store hashes of crops of each picture, so that cropped copies match.",
)
@click.option(
    "--video-interval",
    type=click.FloatRange(0.1, 600),
    default=DEFAULT_INTERVAL,
    show_default=True,
    help="Seconds between sampled video frames (cuts are sampled too).",
)
@click.option("--max-pixels", type=click.IntRange(1), default=DEFAULT_MAX_PIXELS, show_default=True)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print what was hashed as JSON.")
def hash_command(
    paths: tuple[Path, ...],
    output: Path,
    names: bool,
    crop_variants: bool,
    video_interval: float,
    max_pixels: int,
    force: bool,
    as_json: bool,
) -> None:
    """Hash the pictures and videos under PATHS (files, folders, zip archives) into a hash list.

    Only hashes are written: PDQ (the perceptual hash StopNCII uses) with its quality, and SHA-256. No pixels,
    no thumbnails, no paths. The list can be given to a helpline to search a leak; the pictures stay here.
    """
    if output.exists() and not force:
        raise InputError(f"{output} exists: choose another name or add --force")
    if output.is_dir():
        raise InputError(f"{output} is a folder: give a file name for the hash list")
    options = HashOptions(
        names=names, crop_variants=crop_variants, video_interval=video_interval, limits=_limits(max_pixels)
    )
    plan = plan_scan(paths, options.limits)
    with click.progressbar(length=len(plan.items), label="Hashing", file=sys.stderr, show_pos=True) as bar:
        result = hash_plan(plan, options, on_item=lambda item: bar.update(1))
    write_hashlist(result.hashlist, output)
    if as_json:
        echo_json(_hash_json(result, output))
        return
    for source in result.sources:
        note = f"   ({source.note})" if source.note else ""
        click.echo(
            f"{source.source:>4}  {source.kind:<5}  {source.entries:>4} hashes  quality {source.quality:>3}  "
            f"{source.file}{note}"
        )
    click.echo(
        f"Wrote {len(result.hashlist.entries)} hashes of {len(result.sources)} file(s) to {output} "
        f"({'with' if names else 'without'} file names; no pixels). The paths above are shown here only."
    )
    _echo_skipped(result.skipped)


def _hash_json(result: HashingResult, output: Path) -> dict[str, object]:
    return {
        "hashlist": str(output.resolve()),
        "hashes": len(result.hashlist.entries),
        "names": result.hashlist.names,
        "sources": [
            {
                "source": s.source,
                "file": s.file,
                "kind": s.kind,
                "hashes": s.entries,
                "quality": s.quality,
                "note": s.note or None,
            }
            for s in result.sources
        ],
        "skipped": [s.to_json() for s in result.skipped],
    }


@images.command("match")
@click.argument("hashlist", type=click.Path(path_type=Path))
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print matches, skipped files and counts as JSON.")
@click.option(
    "--max-distance",
    type=click.IntRange(0, 64),
    default=MATCH_DISTANCE,
    show_default=True,
    help="Largest PDQ Hamming distance (of 256 bits) that counts as a match; 31 is PDQ's operating point.",
)
@click.option(
    "--min-quality",
    type=click.IntRange(0, 100),
    default=GOOD_QUALITY,
    show_default=True,
    help="PDQ quality below which a hash is too plain to trust (PDQ's operating point: 50).",
)
@click.option("--max-pixels", type=click.IntRange(1), default=DEFAULT_MAX_PIXELS, show_default=True)
@click.option(
    "--zip-depth",
    type=click.IntRange(0, 3),
    default=1,
    show_default=True,
    help="Zip nesting to open: 0 none, 1 archives, 2 also archives inside them.",
)
@click.option(
    "--add-to-case",
    "case_id",
    default=None,
    help="Add every matched file to this evidence case (passphrase from $TUMAR_PASSPHRASE or a prompt).",
)
def match_command(
    hashlist: Path,
    targets: tuple[Path, ...],
    as_json: bool,
    max_distance: int,
    min_quality: int,
    max_pixels: int,
    zip_depth: int,
    case_id: str | None,
) -> None:
    """Find copies of the hash list's pictures and videos under TARGETS.

    TARGETS are files, folders, zip archives or a Telegram export folder (the one with result.json). Copies
    are found when re-encoded, resized, cropped a little, mirrored or rotated, brighter or darker, with a
    caption or watermark, or as a screenshot. Files that cannot be read are listed with the reason; the scan
    goes on.
    """
    listing = read_hashlist(hashlist)
    options = MatchOptions(max_distance, min_quality, limits=_limits(max_pixels, zip_depth))
    store = _case_store(case_id) if case_id else None
    plan = plan_scan(targets, options.limits)
    with click.progressbar(length=len(plan.items), label="Scanning", file=sys.stderr, show_pos=True) as bar:
        report = scan_for_matches(listing, plan, options, on_item=lambda item, found: bar.update(1))
    added: list[str] = []
    if store is not None and case_id is not None:
        from tumar.evidence.ingest import add_image_match

        actor = os.environ.get("TUMAR_ACTOR") or getpass.getuser()
        try:
            for found in {m.file: m for m in report.matches}.values():  # one item per found file
                added.append(add_image_match(store, case_id, found, actor=actor).id)
        finally:
            store.close()
    if as_json:
        echo_json(
            {
                "hashlist": str(hashlist.resolve()),
                "max_distance": max_distance,
                "min_quality": min_quality,
                "matches": [m.to_json() for m in report.matches],
                "skipped": [s.to_json() for s in report.skipped],
                "scanned": report.scanned,
                "ignored": report.ignored,
                "ignored_entries": report.ignored_entries,
                "seconds": round(report.seconds, 3),
                "added_to_case": added,
            }
        )
        return
    for found in report.matches:
        click.echo(_match_line(found))
    _echo_summary(report)
    if added:
        click.echo(f"Added {len(added)} matched file(s) to case {case_id}: {', '.join(added)}")


def _case_store(case_id: str) -> EvidenceStore:
    """The evidence store, opened before the scan so a wrong passphrase or case id fails at once."""
    from tumar.evidence.store import EvidenceStore

    passphrase = os.environ.get("TUMAR_PASSPHRASE") or str(
        click.prompt("Passphrase of the evidence store", hide_input=True)
    )
    store = EvidenceStore.open(passphrase, create=False)
    try:
        store.case(case_id)
    except BaseException:
        store.close()
        raise
    return store


def _match_line(found: Match) -> str:
    name = f" ({found.name})" if found.name else ""
    if found.method == "sha256":
        how = "identical file (same SHA-256)"
    else:
        what = "whole picture" if found.view == "whole" else "picture inside it"
        turned = "" if found.orientation == "as-is" else f", {found.orientation}"
        how = f"distance {found.distance}, quality {found.quality}, {what}{turned}"
    at = f" at {found.time:.1f} s" if found.time is not None else ""
    entry = ENTRY_KINDS[found.entry_kind] + (
        f" at {found.entry_time:.1f} s" if found.entry_time is not None else ""
    )
    return f"MATCH  {found.file}{at}\n       = {found.source}{name}, {entry} [{found.entry}]: {how}"


def _echo_summary(report: ScanReport) -> None:
    files = len({m.file for m in report.matches})
    click.echo(
        f"Scanned {report.scanned} picture(s) and video(s) in {report.seconds:.1f} s "
        f"({report.ignored} other file(s) passed over): {len(report.matches)} match(es) in {files} file(s)."
    )
    if report.ignored_entries:
        click.echo(
            f"{report.ignored_entries} hash(es) of the list are below the quality limit and were not used."
        )
    _echo_skipped(report.skipped)


def _echo_skipped(skipped: tuple[Skipped, ...]) -> None:
    if not skipped:
        return
    click.echo(f"Skipped {len(skipped)} file(s):")
    for item in skipped:
        click.echo(f"  {item.file}: {item.reason}")
