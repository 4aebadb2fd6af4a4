import importlib

import pytest

import tumar.images

MODULES = ["hasher", "hashlist", "index", "matcher", "media", "pdq", "picture", "scan", "variants", "video"]


def test_package_exports_exist() -> None:
    for name in tumar.images.__all__:
        assert hasattr(tumar.images, name), name
    assert not [n for n in tumar.images.__all__ if n.startswith("_")]


@pytest.mark.parametrize("module", MODULES)
def test_module_exports_exist(module: str) -> None:
    loaded = importlib.import_module(f"tumar.images.{module}")
    assert loaded.__all__ and all(hasattr(loaded, name) for name in loaded.__all__)
