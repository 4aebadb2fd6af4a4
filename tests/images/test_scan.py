"""Bad input is skipped with a clear reason and the scan goes on: corrupt files, odd formats, huge pictures,
zip bombs, nested archives, symlink loops. A Telegram export is scanned like a folder."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.images.pictures import encode, photo
from tumar.errors import NotFoundError
from tumar.images import HashList, ScanLimits, Skipped, hash_media, iter_matches, plan_scan
from tumar.images.scan import MediaReader, sniff


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims width×height pixels but holds almost no data (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def good() -> bytes:
    return encode(photo(7), quality=92)


@pytest.fixture(scope="module")
def hashlist(good: bytes, tmp_path_factory: pytest.TempPathFactory) -> HashList:
    mine = tmp_path_factory.mktemp("mine") / "me.jpg"
    mine.write_bytes(good)
    return hash_media([mine]).hashlist


def _reasons(skipped: list[Skipped] | tuple[Skipped, ...]) -> dict[str, str]:
    return {Path(s.file.split("!")[-1]).name: s.reason for s in skipped}


def _scan(hashlist: HashList, target: Path, **limits: int) -> tuple[list[str], dict[str, str]]:
    skipped: list[Skipped] = []
    found = [
        m.file for m in iter_matches(hashlist, [target], limits=ScanLimits(**limits), on_skip=skipped.append)
    ]
    return found, _reasons(skipped)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("truncated.jpg", lambda g: g[: len(g) // 3], "corrupt or truncated picture"),
        ("noise.jpg", lambda g: os.urandom(3000), "unsupported or damaged file"),
        ("empty.png", lambda g: b"", "empty file"),
        ("header-only.png", lambda g: g[:0] + b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "header cannot be read"),
        ("bad-gif.gif", lambda g: b"GIF89a" + b"\x00" * 5, "header cannot be read"),
        ("IMG_0001.HEIC", lambda g: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC/HEIF picture"),
        ("bomb.png", lambda g: _png_header(100_000, 100_000), "picture too large"),
        (
            "big.png",
            lambda g: _png_header(12_000, 10_000),
            "12000×10000 = 120,000,000 pixels, over the limit of 100,000,000",
        ),
        ("broken.mp4", lambda g: b"\x00\x00\x00\x20ftypisom" + os.urandom(400), "not a readable video"),
    ],
)
def test_bad_file_is_skipped_and_the_scan_goes_on(
    hashlist: HashList, good: bytes, tmp_path: Path, name: str, content, reason: str
) -> None:
    (tmp_path / name).write_bytes(content(good))
    (tmp_path / "zz_copy.jpg").write_bytes(good)
    found, skipped = _scan(hashlist, tmp_path)
    assert found == [str(tmp_path / "zz_copy.jpg")]
    assert list(skipped) == [name]
    assert reason in skipped[name]


def test_pixel_limit_is_configurable(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    (tmp_path / "copy.jpg").write_bytes(good)
    found, skipped = _scan(hashlist, tmp_path, max_pixels=10_000)
    assert found == []
    assert "over the limit of 10,000" in skipped["copy.jpg"]


def test_other_files_are_passed_over_silently(tmp_path: Path, good: bytes) -> None:
    (tmp_path / "notes.txt").write_text("kechee saat 9da")
    (tmp_path / "voice.ogg").write_bytes(b"OggS" + os.urandom(100))
    (tmp_path / "a.jpg").write_bytes(good)
    plan = plan_scan([tmp_path])
    assert [Path(i.display).name for i in plan.items] == ["a.jpg"]
    assert (plan.ignored, plan.skipped) == (2, ())


def test_missing_target_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file or folder"):
        plan_scan([tmp_path / "absent"])


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_bomb_member_is_skipped(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    _zip(tmp_path / "dump.zip", {"photos/big.jpg": b"\xff\xd8\xff" + bytes(20 << 20), "photos/ok.jpg": good})
    found, skipped = _scan(hashlist, tmp_path / "dump.zip")
    assert found == [f"{tmp_path / 'dump.zip'}!photos/ok.jpg"]
    assert "looks like a zip bomb" in skipped["big.jpg"]


def test_member_and_archive_size_caps(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "dump.zip", {f"p{i}.jpg": good for i in range(3)}, zipfile.ZIP_STORED)
    _, skipped = _scan(hashlist, archive, max_member_bytes=len(good) - 1)
    assert set(skipped) == {"p0.jpg", "p1.jpg", "p2.jpg"} and "archive member too large" in skipped["p0.jpg"]
    found, skipped = _scan(hashlist, archive, max_archive_bytes=2 * len(good))
    assert len(found) == 2
    assert "total uncompressed size is over the limit" in skipped["p2.jpg"]


def test_nested_archives_follow_the_depth_limit(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("deep/photo.jpg", good)
    outer = _zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue()})
    found, skipped = _scan(hashlist, outer)
    assert found == [] and "archive inside an archive" in skipped["inner.zip"]
    found, skipped = _scan(hashlist, outer, max_zip_depth=2)
    assert found == [f"{outer}!inner.zip!deep/photo.jpg"] and skipped == {}
    with MediaReader(ScanLimits(max_zip_depth=2)) as reader:
        assert reader.read(plan_scan([outer], ScanLimits(max_zip_depth=2)).items[0].locator) == good


def test_corrupt_zip_is_skipped(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    (tmp_path / "dump.zip").write_bytes(b"PK\x03\x04" + os.urandom(200))
    (tmp_path / "ok.jpg").write_bytes(good)
    found, skipped = _scan(hashlist, tmp_path)
    assert found == [str(tmp_path / "ok.jpg")]
    assert "corrupt zip archive" in skipped["dump.zip"]


def test_symlink_loops_and_broken_links(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    export = tmp_path / "export"
    (export / "photos").mkdir(parents=True)
    (export / "photos" / "ok.jpg").write_bytes(good)
    os.symlink(export, export / "photos" / "back-up")  # a loop: leads to an ancestor
    os.symlink(export / "self", export / "self")  # a link to itself
    os.symlink(export / "gone.jpg", export / "broken.jpg")
    os.symlink(export / "photos" / "ok.jpg", export / "same.jpg")  # the same file twice
    found, skipped = _scan(hashlist, export)
    assert found == [str(export / "photos" / "ok.jpg")]
    assert "symlink loop" in skipped["back-up"]
    assert skipped["self"] == "symlink loop: the link leads back to itself"
    assert "broken symlink" in skipped["broken.jpg"]
    assert "already scanned" in skipped["same.jpg"]


def test_telegram_export_media_are_scanned(hashlist: HashList, good: bytes, tmp_path: Path) -> None:
    export = tmp_path / "ChatExport_2026-03-08"
    for folder in ("photos", "files", "voice_messages", "css"):
        (export / folder).mkdir(parents=True)
    (export / "result.json").write_text('{"name": "Azamat", "type": "personal_chat", "messages": []}')
    (export / "messages.html").write_text("<html></html>")
    (export / "css" / "style.css").write_text("body{}")
    (export / "voice_messages" / "audio_1@08-03-2026_22-41-10.ogg").write_bytes(b"OggS" + bytes(50))
    (export / "photos" / "photo_1@08-03-2026_22-41-10.jpg").write_bytes(
        encode(photo(7).resize((320, 240)), quality=87)
    )
    (export / "photos" / "photo_2@08-03-2026_22-43-55.jpg").write_bytes(encode(photo(8), quality=87))
    (export / "files" / "IMG_5531.jpg").write_bytes(good)
    report = list(iter_matches(hashlist, [export]))
    assert sorted(Path(m.file).name for m in report) == ["IMG_5531.jpg", "photo_1@08-03-2026_22-41-10.jpg"]
    assert {m.method for m in report} == {"sha256", "pdq"}
    assert plan_scan([export]).ignored == 4


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"\x89PNG\r\n\x1a\n", "image"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
        (b"\x00\x00\x00\x1cftypavif", "image"),
        (b"\x00\x00\x00\x18ftypheic", "heic"),
        (b"\x00\x00\x00\x20ftypisom", "video"),
        (b"\x00\x00\x00\x14ftypqt  ", "video"),
        (b"\x1a\x45\xdf\xa3\x01", "video"),
        (b"PK\x03\x04", "zip"),
        (b'{"name": ', None),
        (b"OggS\x00", None),
    ],
)
def test_sniff(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


def test_truncation_is_reported_even_after_weasyprint_made_pillow_tolerant(good: bytes) -> None:
    from PIL import ImageFile

    from tumar.errors import ImportFormatError
    from tumar.images.picture import decode_picture

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what `import weasyprint` does
    try:
        with pytest.raises(ImportFormatError, match="truncated"):
            decode_picture(good[: len(good) // 2], source="half.jpg")
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # and it is left as it was
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
