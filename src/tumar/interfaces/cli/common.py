"""Helpers shared by the command groups."""

from __future__ import annotations

import json
from typing import Any

import click

LANG_OPTION_HELP = "Language: ky, ru, kk or en (default ky)."


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
