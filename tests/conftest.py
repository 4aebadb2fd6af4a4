from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def facts_text() -> str:
    path = SHARED / "facts" / "laws-and-help.md"
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kb():
    from tumar import load_knowledge_base

    return load_knowledge_base()
