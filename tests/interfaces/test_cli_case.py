"""`tumar case` and `tumar user` end to end through the command line (SQLite file in a temp folder)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tumar.interfaces.cli import cli


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TUMAR_DATABASE_URL", f"sqlite:///{tmp_path / 'evidence.db'}")
    monkeypatch.setenv("TUMAR_PASSPHRASE", "бир эки үч төрт беш")
    monkeypatch.setenv("TUMAR_ACTOR", "gulzat")

    def _run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), env=env)

    return _run


def _new_case(run) -> str:  # type: ignore[no-untyped-def]
    result = run("case", "new", "Бегимай — коркутуу", "--description", "Ош шаары")
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_case_lifecycle(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id = _new_case(run)
    shot = tmp_path / "screenshot_2026-04-02.png"
    shot.write_bytes(b"\x89PNG fake but stored byte for byte")
    added = run("case", "add", case_id, str(shot), "--no-analyze")
    assert added.exit_code == 0 and "screenshot" in added.output
    noted = run("case", "note", case_id, "Милицияга 3-апрелде кайрылдык")
    assert noted.exit_code == 0
    listed = run("case", "list")
    assert case_id in listed.output and "Бегимай" in listed.output
    shown = run("case", "show", case_id)
    assert "screenshot_2026-04-02.png" in shown.output and "item_added" in shown.output
    verified = run("case", "verify", case_id)
    assert verified.exit_code == 0 and f"case {case_id} is intact" in verified.output


def test_a_pasted_message_is_analysed_and_stored(run) -> None:  # type: ignore[no-untyped-def]
    case_id = _new_case(run)
    result = run(
        "case", "add", case_id, "--fast", "--text", "эгер кайра жазбасаң сүрөттөрүңдү группага таштайм"
    )
    assert result.exit_code == 0, result.output
    assert "message" in result.output and "found:" in result.output


def test_wrong_passphrase_and_unknown_case(run) -> None:  # type: ignore[no-untyped-def]
    case_id = _new_case(run)
    wrong = run("case", "show", case_id, env={"TUMAR_PASSPHRASE": "туура эмес"})
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.output
    unknown = run("case", "show", "deadbeef")
    assert unknown.exit_code == 2 and "no case 'deadbeef'" in unknown.output
    missing = run("case", "add", case_id, "/no/such/file.png")
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_export_and_verify_a_bundle_and_catch_a_tampered_one(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id = _new_case(run)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(bytes(range(200)) * 10)
    assert run("case", "add", case_id, str(photo), "--no-analyze").exit_code == 0
    bundle = tmp_path / "bundle.zip"
    exported = run("case", "export", case_id, "-o", str(bundle), "--lang", "ru", "--no-pdf")
    assert exported.exit_code == 0, exported.output
    ok = run("case", "verify", str(bundle))
    assert ok.exit_code == 0 and "is intact" in ok.output
    with zipfile.ZipFile(bundle) as zf:
        contents = {n: zf.read(n) for n in zf.namelist()}
    name = next(n for n in contents if n.endswith("/photo.jpg"))
    contents[name] = contents[name][:-1] + b"\x00"
    with zipfile.ZipFile(bundle, "w") as zf:
        for n, d in contents.items():
            zf.writestr(n, d)
    bad = run("case", "verify", str(bundle))
    assert bad.exit_code == 3 and "(photo.jpg): changed" in bad.output


def test_first_admin_is_created_on_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    created = run("user", "add", "aizada", "--role", "admin", env={"TUMAR_NEW_PASSWORD": "тоодо жаз келди"})
    assert created.exit_code == 0 and "admin aizada created" in created.output
    listed = run("user", "list")
    assert "aizada" in listed.output and "admin" in listed.output
    short = run("user", "add", "x2", env={"TUMAR_NEW_PASSWORD": "short"})
    assert short.exit_code == 2 and "at least 10" in short.output
