from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tumar.chats.importers import open_export
from tumar.chats.model import ChatMessage

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def copy_fixture(tmp_path: Path) -> Callable[[str], Path]:
    """A writable copy of a fixture folder (tests that add files must not touch the committed ones)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[..., Path]:
    """Zip a fixture folder: ``make_zip("whatsapp_ios_kk", "WhatsApp Chat - Айжан.zip", prefix="")``."""

    def build(
        folder: str | Path, name: str, *, prefix: str = "", extra: dict[str, bytes] | None = None
    ) -> Path:
        source = folder if isinstance(folder, Path) else FIXTURES / folder
        target = tmp_path / name
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(source.rglob("*")):
                if path.is_file():
                    archive.write(path, prefix + path.relative_to(source).as_posix())
            for member, data in (extra or {}).items():
                archive.writestr(member, data)
        return target

    return build


def read_messages(path: str | Path) -> list[ChatMessage]:
    with open_export(path) as export:
        return list(export.messages())
