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


@pytest.fixture(scope="session", autouse=True)
def _no_personal_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch a real evidence store: the default one lives in a temporary folder, and a
    developer's own TUMAR_DATABASE_URL / TUMAR_PASSPHRASE do not leak in. The tuned encoder file is written into
    a temporary cache too, so a run never leaves files in the home folder."""
    import os

    os.environ["TUMAR_HOME"] = str(tmp_path_factory.mktemp("tumar-home"))
    os.environ["TUMAR_CACHE_DIR"] = str(tmp_path_factory.mktemp("tumar-cache"))
    for name in ("TUMAR_DATABASE_URL", "TUMAR_PASSPHRASE", "TUMAR_ACTOR", "TUMAR_NEW_PASSWORD"):
        os.environ.pop(name, None)
