"""Copies of her pictures are found after what happens to leaked pictures; unrelated pictures are not."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from tests.images.pictures import TRANSFORMS, encode, jpeg, photo
from tumar.images import (
    HashList,
    HashOptions,
    MatchOptions,
    ScanReport,
    hash_media,
    iter_matches,
    plan_scan,
    scan_for_matches,
)

MINE = (0, 1, 2, 3)  # seeds of her pictures: sources s1..s4
UNRELATED = range(100, 140)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("leak")
    mine, found = root / "mine", root / "found"
    mine.mkdir()
    found.mkdir()
    for seed in MINE:
        (mine / f"IMG_2024_{seed + 1:02d}.jpg").write_bytes(encode(photo(seed), quality=95))
        original = jpeg(photo(seed), 95)
        for name, transform in TRANSFORMS.items():
            (found / f"{name.replace(' ', '_').replace('%', 'pc')}-{seed}.jpg").write_bytes(
                encode(transform(original), quality=90)
            )
    for seed in UNRELATED:
        (found / f"other-{seed}.jpg").write_bytes(encode(photo(seed), quality=90))
    return mine, found


@pytest.fixture(scope="module")
def hashlist(folders: tuple[Path, Path]) -> HashList:
    result = hash_media([folders[0]])
    assert [s.source for s in result.sources] == ["s1", "s2", "s3", "s4"]
    return result.hashlist


@pytest.fixture(scope="module")
def report(hashlist: HashList, folders: tuple[Path, Path]) -> ScanReport:
    return scan_for_matches(hashlist, plan_scan([folders[1]]))


def _matches_of(report: ScanReport, stem: str) -> list[tuple[str, int]]:
    return [(m.source, m.distance) for m in report.matches if Path(m.file).stem == stem]


@pytest.mark.parametrize("transform", list(TRANSFORMS))
def test_each_transformation_is_matched_to_its_source(report: ScanReport, transform: str) -> None:
    stem = transform.replace(" ", "_").replace("%", "pc")
    for seed in MINE:
        found = _matches_of(report, f"{stem}-{seed}")
        assert [source for source, _ in found] == [f"s{seed + 1}"], (transform, seed, found)
        assert found[0][1] <= MatchOptions().max_distance


def test_unrelated_pictures_do_not_match(report: ScanReport) -> None:
    wrong = [m for m in report.matches if Path(m.file).stem.startswith("other-")]
    assert wrong == []
    assert report.scanned == len(MINE) * len(TRANSFORMS) + len(UNRELATED)
    assert report.skipped == ()


def test_every_match_is_of_its_own_source(report: ScanReport) -> None:
    for m in report.matches:
        seed = int(Path(m.file).stem.rsplit("-", 1)[1])
        assert m.source == f"s{seed + 1}", m


@pytest.mark.parametrize(
    ("transform", "orientation", "view"),
    [
        ("mirror", "mirrored", "whole"),
        ("rotate_90", "rotated-90-counterclockwise", "whole"),
        ("jpeg_q30", "as-is", "whole"),
        ("screenshot_dark", "as-is", "content"),
        ("caption_bar", "as-is", "content"),
    ],
)
def test_match_says_how_the_copy_differs(
    report: ScanReport, transform: str, orientation: str, view: str
) -> None:
    found = [m for m in report.matches if Path(m.file).stem == f"{transform}-0"]
    assert len(found) == 1
    assert (found[0].orientation, found[0].view) == (orientation, view)
    if view == "content":
        left, top, right, bottom = found[0].region or (0, 0, 1, 1)
        assert (right - left) * (bottom - top) < 0.9


def test_cropped_copies_match_a_crop_variant(report: ScanReport) -> None:
    kinds = {m.entry_kind for m in report.matches if Path(m.file).stem.startswith("crop_10pc_corner")}
    assert kinds == {"variant"}


def test_without_crop_variants_a_cropped_copy_is_missed(folders: tuple[Path, Path]) -> None:
    plain = hash_media([folders[0]], HashOptions(crop_variants=False)).hashlist
    assert {e.kind for e in plain.entries} == {"image"}
    cropped = sorted(folders[1].glob("crop_10pc_corner-*.jpg"))
    assert list(iter_matches(plain, cropped)) == []


def test_identical_file_matches_by_sha256_also_inside_a_zip(
    hashlist: HashList, folders: tuple[Path, Path], tmp_path: Path
) -> None:
    original = folders[0] / "IMG_2024_02.jpg"
    archive = tmp_path / "channel.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(original, "media/photo_7.jpg")
    found = list(iter_matches(hashlist, [archive]))
    assert len(found) == 1
    match = found[0]
    assert (match.method, match.source, match.distance, match.view) == ("sha256", "s2", 0, "file")
    assert match.file == f"{archive}!media/photo_7.jpg"
    assert match.read_bytes() == original.read_bytes()
    with match.open() as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == match.sha256


def test_match_reads_back_a_file_on_disk(hashlist: HashList, folders: tuple[Path, Path]) -> None:
    path = folders[1] / "mirror-3.jpg"
    (match,) = iter_matches(hashlist, [path])
    assert match.file == str(path)
    assert match.read_bytes() == path.read_bytes()
    assert match.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_stricter_distance_finds_fewer(hashlist: HashList, folders: tuple[Path, Path]) -> None:
    paths = sorted(folders[1].glob("watermark-*.jpg")) + sorted(folders[1].glob("crop_5pc_corner-*.jpg"))
    loose = list(iter_matches(hashlist, paths))
    strict = list(iter_matches(hashlist, paths, max_distance=0))
    assert len(loose) == len(paths)
    assert all(m.distance == 0 for m in strict)
    assert len(strict) < len(loose)


def test_low_quality_pictures_are_reported_not_matched(hashlist: HashList, tmp_path: Path) -> None:
    from PIL import Image

    flat = tmp_path / "grey.png"
    Image.new("RGB", (200, 150), (120, 120, 120)).save(flat)
    skipped = []
    assert list(iter_matches(hashlist, [flat], on_skip=skipped.append)) == []
    assert len(skipped) == 1
    assert "too plain for PDQ" in skipped[0].reason
