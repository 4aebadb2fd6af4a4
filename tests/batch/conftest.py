from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def runner() -> Iterator[Any]:
    """One Spark session (local[2]) per test module, stopped at its end."""
    from tumar.batch.spark import SparkRunner

    spark = SparkRunner("local[2]")
    yield spark
    spark.close()
