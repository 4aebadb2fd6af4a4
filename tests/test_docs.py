"""The README tells the truth: its set-up commands, its JSON contract, and every command's help."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tumar.analysis.finding import PII_TYPES, SEVERITIES, Analysis
from tumar.interfaces.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_exactly_two_setup_commands():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+", setup, re.M) == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_json_contract_in_readme_matches_the_code():
    block = (
        README.split("The output JSON is a public contract:", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    )
    documented = json.loads(re.sub(r'"(ky\|ru[^"]*|none\|low[^"]*|phone\|[^"]*)"', '"x"', block))
    produced = Analysis(language="ky", severity="none", urgent=False, findings=(), pii=()).to_json()
    assert set(documented) == set(produced)
    assert "|".join(SEVERITIES) in block
    assert "|".join(PII_TYPES) in block


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    found = [list(prefix)]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append([*prefix, name])
    return found


COMMANDS = _commands(cli)


def test_the_command_tree_is_complete():
    names = {" ".join(c) for c in COMMANDS}
    for expected in [
        "case new",
        "case add",
        "case export",
        "case verify",
        "case report",
        "chat analyze",
        "user add",
        "images hash",
        "images match",
        "glossary search",
        "analyze",
        "serve",
        "bot",
        "batch",
    ]:
        assert expected in names, expected


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tumar")
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
