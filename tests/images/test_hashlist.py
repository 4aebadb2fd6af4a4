"""The hash list file: round trip, validation with line numbers, and that it holds nothing but hashes."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from tests.images.pictures import encode, photo
from tumar.errors import BadRecordError, NotFoundError
from tumar.images import HashEntry, HashList, HashOptions, PdqHash, hash_media, read_hashlist, write_hashlist
from tumar.images.hashlist import FORMAT, parse_hashlist

HEX = "f" * 64
SHA = "0123456789abcdef" * 4
HEADER = {"format": FORMAT, "version": 1, "algorithm": "pdq", "created": "2026-03-08", "names": False}
IMAGE = {"id": "s1", "source": "s1", "kind": "image", "pdq": HEX, "quality": 90, "sha256": SHA}
DOCUMENTED = {"id", "source", "kind", "pdq", "quality", "sha256", "name", "time", "crop"}


def _lines(*records: object) -> list[bytes]:
    return [(r if isinstance(r, str) else json.dumps(r)).encode() for r in records]


def test_round_trip(tmp_path: Path) -> None:
    entries = (
        HashEntry("s1", "s1", "image", PdqHash(bytes(range(32)), 88), sha256=SHA, name="IMG_0042.jpg"),
        HashEntry("s1.c1", "s1", "variant", PdqHash(bytes(32), 87), crop=(0.05, 0.0, 1.0, 0.95)),
        HashEntry(
            "s2.f1", "s2", "video_frame", PdqHash(b"\xff" * 32, 70), sha256=SHA, name="VID_1.mp4", time=0.0
        ),
        HashEntry(
            "s2.f2", "s2", "video_frame", PdqHash(b"\x0f" * 32, 71), sha256=SHA, name="VID_1.mp4", time=12.48
        ),
    )
    original = HashList(entries, names=True, created="2026-03-08")
    path = tmp_path / "hashes.jsonl"
    write_hashlist(original, path)
    assert read_hashlist(path) == original
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text().splitlines()[0])["format"] == FORMAT
    assert original.sources() == {"s1": entries[0], "s2": entries[2]}


@pytest.mark.parametrize(
    ("lines", "line", "field", "message"),
    [
        ([], 1, "", "empty file"),
        (["{not json"], 1, "", "broken JSON"),
        ([{"format": "something-else"}], 1, "format", "not a Tumar hash list"),
        ([{**HEADER, "version": 2}], 1, "version", "unsupported version 2"),
        ([{**HEADER, "algorithm": "phash"}], 1, "algorithm", "unsupported algorithm"),
        ([HEADER, "[1, 2]"], 2, "", "expected a JSON object"),
        ([HEADER, {**IMAGE, "pdq": "abc"}], 2, "pdq", "64 hex digits"),
        ([HEADER, {**IMAGE, "quality": 101}], 2, "quality", "0 to 100"),
        ([HEADER, {**IMAGE, "quality": True}], 2, "quality", "0 to 100"),
        ([HEADER, {**IMAGE, "kind": "thumbnail"}], 2, "kind", "must be one of"),
        ([HEADER, {**IMAGE, "sha256": None}], 2, "sha256", "SHA-256"),
        ([HEADER, {**IMAGE, "id": ""}], 2, "id", "non-empty string"),
        ([HEADER, {**IMAGE, "name": "a.jpg"}], 2, "name", '"names": false'),
        ([{**HEADER, "names": True}, {**IMAGE, "name": "../home/a.jpg"}], 2, "name", "base name"),
        ([HEADER, {**IMAGE, "pixels": [1, 2, 3]}], 2, "pixels", "unknown field"),
        ([HEADER, IMAGE, "", {**IMAGE}], 4, "id", "duplicate id 's1' (first on line 2)"),
        ([HEADER, {**IMAGE, "kind": "video_frame"}], 2, "time", "needs its time"),
        ([HEADER, {**IMAGE, "time": 3.0}], 2, "time", "only video frames"),
        (
            [
                HEADER,
                {
                    "id": "s1.c1",
                    "source": "s1",
                    "kind": "variant",
                    "pdq": HEX,
                    "quality": 9,
                    "crop": [0, 0, 1, 1],
                },
            ],
            2,
            "source",
            "before (or without) its image",
        ),
        (
            [
                HEADER,
                IMAGE,
                {
                    "id": "v",
                    "source": "s1",
                    "kind": "variant",
                    "pdq": HEX,
                    "quality": 9,
                    "crop": [0.5, 0, 0.4, 1],
                },
            ],
            3,
            "crop",
            "left < right",
        ),
        (
            [HEADER, IMAGE, {"id": "v", "source": "s1", "kind": "variant", "pdq": HEX, "quality": 9}],
            3,
            "crop",
            "needs its crop",
        ),
    ],
)
def test_malformed_lines_name_line_and_field(
    lines: list[object], line: int, field: str, message: str
) -> None:
    with pytest.raises(BadRecordError) as caught:
        parse_hashlist(_lines(*lines), "hashes.jsonl")
    error = caught.value
    assert (error.source, error.line, error.field) == ("hashes.jsonl", line, field)
    assert message in str(error)
    assert str(error).startswith(f"hashes.jsonl, line {line}")


def test_missing_file_and_binary_garbage(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such hash list"):
        read_hashlist(tmp_path / "nope.jsonl")
    garbage = tmp_path / "photo.jpg"
    garbage.write_bytes(encode(photo(1)))
    with pytest.raises(BadRecordError, match=r"photo\.jpg, line 1: (not UTF-8|broken JSON)"):
        read_hashlist(garbage)


def test_uppercase_hex_from_other_tools_is_accepted() -> None:
    parsed = parse_hashlist(_lines(HEADER, {**IMAGE, "pdq": "AB" * 32}), "x")
    assert parsed.entries[0].hash.hex == "ab" * 32


@pytest.mark.parametrize("names", [False, True])
def test_the_list_holds_only_hashes(tmp_path: Path, names: bool) -> None:
    folder = tmp_path / "Aigerim private"
    folder.mkdir()
    picture = folder / "aigerim_2023_bath.jpg"
    picture.write_bytes(encode(photo(4, (640, 480)), quality=95))
    result = hash_media([folder], HashOptions(names=names))
    path = tmp_path / "hashes.jsonl"
    write_hashlist(result.hashlist, path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert set(json.loads(lines[0])) == {"format", "version", "algorithm", "created", "names"}
    for line in lines[1:]:
        record = json.loads(line)
        assert set(record) <= DOCUMENTED
        assert len(line) < 260  # a hash line: 64 hex digits, a quality, ids and at most a name and a digest
    assert ("aigerim_2023_bath.jpg" in text) is names
    assert "Aigerim private" not in text and str(tmp_path) not in text
    # the list is far smaller than the picture's pixels and carries no image data
    assert len(text) < 640 * 480 / 4
    assert b"\xff\xd8" not in path.read_bytes()
    assert json.loads(lines[1])["sha256"] == hashlib.sha256(picture.read_bytes()).hexdigest()
