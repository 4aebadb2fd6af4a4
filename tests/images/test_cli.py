"""``tumar images hash`` and ``tumar images match`` as a helpline runs them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.images.pictures import encode, photo, screenshot
from tumar.interfaces.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    mine, found = tmp_path / "mine", tmp_path / "found"
    mine.mkdir()
    found.mkdir()
    for n, seed in enumerate((20, 21), 1):
        (mine / f"IMG_{n}.jpg").write_bytes(encode(photo(seed), quality=95))
    (found / "shot.jpg").write_bytes(encode(screenshot(photo(21)), quality=85))
    (found / "unrelated.jpg").write_bytes(encode(photo(77)))
    (found / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    with zipfile.ZipFile(found / "dump.zip", "w") as z:
        z.write(mine / "IMG_1.jpg", "photos/photo_1.jpg")
    return mine, found, tmp_path / "hashes.jsonl"


def test_hash_then_match_json(setup: tuple[Path, Path, Path]) -> None:
    mine, found, hashes = setup
    made = run("images", "hash", str(mine), "-o", str(hashes), "--json")
    assert made.exit_code == 0, made.output
    summary = json.loads(made.stdout)
    assert [s["source"] for s in summary["sources"]] == ["s1", "s2"]
    assert summary["names"] is False and "IMG_1" not in hashes.read_text()

    result = run("images", "match", str(hashes), str(found), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_file = {m["file"]: m for m in report["matches"]}
    assert set(by_file) == {f"{found / 'dump.zip'}!photos/photo_1.jpg", str(found / "shot.jpg")}
    zipped = by_file[f"{found / 'dump.zip'}!photos/photo_1.jpg"]
    assert (zipped["source"], zipped["method"], zipped["distance"]) == ("s1", "sha256", 0)
    shot = by_file[str(found / "shot.jpg")]
    assert (shot["source"], shot["method"], shot["view"]) == ("s2", "pdq", "content")
    assert shot["distance"] <= 31 and shot["quality"] >= 50 and len(shot["sha256"]) == 64
    assert Path(shot["file"]).is_absolute()
    assert report["skipped"] == [
        {"file": str(found / "broken.jpg"), "reason": report["skipped"][0]["reason"]}
    ]
    assert "corrupt" in report["skipped"][0]["reason"]
    assert (report["scanned"], report["max_distance"], report["min_quality"]) == (4, 31, 50)


def test_human_output_lists_matches_and_skipped(setup: tuple[Path, Path, Path]) -> None:
    mine, found, hashes = setup
    assert run("images", "hash", str(mine), "-o", str(hashes), "--names").exit_code == 0
    result = run("images", "match", str(hashes), str(found))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"MATCH  {found / 'shot.jpg'}" in out
    assert "= s2 (IMG_2.jpg), whole picture [s2]" in out and "picture inside it" in out
    assert "identical file (same SHA-256)" in out
    assert "2 match(es) in 2 file(s)" in out
    assert f"Skipped 1 file(s):\n  {found / 'broken.jpg'}: corrupt" in out


def test_hash_prints_sources_locally_and_refuses_to_overwrite(setup: tuple[Path, Path, Path]) -> None:
    mine, _, hashes = setup
    first = run("images", "hash", str(mine), "-o", str(hashes))
    assert first.exit_code == 0
    assert str(mine / "IMG_1.jpg") in first.stdout and "without file names; no pixels" in first.stdout
    again = run("images", "hash", str(mine), "-o", str(hashes))
    assert again.exit_code == 2
    assert "exists: choose another name or add --force" in again.output
    assert run("images", "hash", str(mine), "-o", str(hashes), "--force", "--no-crop-variants").exit_code == 0
    assert len(hashes.read_text().splitlines()) == 3  # header and two pictures, no crops


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["images", "match", "{bad}", "{found}"], "line 2, field 'pdq'"),
        (["images", "match", "{missing}", "{found}"], "no such hash list"),
        (["images", "match", "{hashes}", "{missing}"], "no such file or folder"),
        (["images", "hash", "{found}/broken.jpg", "-o", "{out}"], "no picture or video could be hashed"),
        (["images", "hash", "{mine}", "-o", "{missing}/x.jsonl"], "cannot write the hash list there"),
    ],
)
def test_user_errors_exit_2_with_a_message(
    setup: tuple[Path, Path, Path], args: list[str], message: str
) -> None:
    mine, found, hashes = setup
    assert run("images", "hash", str(mine), "-o", str(hashes)).exit_code == 0
    bad = hashes.parent / "bad.jsonl"
    lines = hashes.read_text().splitlines()
    bad.write_text(lines[0] + "\n" + lines[1].replace('"pdq": "', '"pdq": "zz') + "\n")
    paths = {
        "bad": bad,
        "found": found,
        "mine": mine,
        "missing": hashes.parent / "nowhere",
        "hashes": hashes,
        "out": hashes.parent / "x.jsonl",
    }
    result = run(*(a.format(**paths) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_help_describes_the_commands() -> None:
    for command in ("hash", "match"):
        result = run("images", command, "--help")
        assert result.exit_code == 0
        assert "Only hashes are written" in result.output or "TARGETS" in result.output
    assert "--max-distance" in run("images", "match", "--help").output
    assert "--names" in run("images", "hash", "--help").output


def test_matches_go_into_an_evidence_case(
    setup: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    monkeypatch.setenv("TUMAR_DATABASE_URL", f"sqlite:///{tmp_path / 'evidence.db'}")
    monkeypatch.setenv("TUMAR_PASSPHRASE", "жети жылдыз")
    mine, found, hashes = setup
    assert run("images", "hash", str(mine), "-o", str(hashes)).exit_code == 0
    case_id = run("case", "new", "Сүрөттөр Telegram каналда").output.strip()
    result = run("images", "match", str(hashes), str(found), "--json", "--add-to-case", case_id)
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)["added_to_case"]
    assert len(added) == 2
    shown = json.loads(run("case", "show", case_id, "--json").output)
    items = {i["id"]: i for i in shown["items"]}
    assert set(items) == set(added) and {i["kind"] for i in items.values()} == {"image_match"}
    shot = next(i for i in items.values() if i["name"] == "shot.jpg")
    assert shot["sha256"] == hashlib.sha256((found / "shot.jpg").read_bytes()).hexdigest()
    assert run("case", "verify", case_id).exit_code == 0
    unknown = run("images", "match", str(hashes), str(found), "--add-to-case", "nope1234")
    assert unknown.exit_code == 2 and "no case 'nope1234'" in unknown.output
