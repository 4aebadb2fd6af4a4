"""Shared loading for the benchmarks: the project's dev split and the external datasets (dev/test only)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(ROOT / "src"))

from trainset import load_corpus  # noqa: E402


def dev_records() -> list[dict]:
    return [r for r in load_corpus() if r["split"] == "dev"]


def heldout_records() -> list[dict]:
    """The held-out test set: written apart from the corpus and the lexicons, never used for training or tuning."""
    import json

    from tumar.knowledge.models import with_parents

    out = []
    for path in sorted((ROOT / "benchmarks" / "heldout").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                rec["labels"] = sorted(with_parents(rec["labels"]))
                out.append(rec)
    return out


def edos_test() -> list[tuple[str, bool]]:
    path = SHARED / "edos_semeval2023" / "edos_labelled_aggregated.csv"
    if not path.exists():
        return []
    rows = csv.DictReader(path.open(encoding="utf-8"))
    return [(r["text"], r["label_sexist"] == "sexist") for r in rows if r["split"] == "test"]


def russe_dev() -> list[tuple[str, bool]]:
    path = SHARED / "russe_detox_2022" / "dev.tsv"
    if not path.exists():
        return []
    out: list[tuple[str, bool]] = []
    for r in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"):
        out.append((r["toxic_comment"], True))
        if r.get("neutral_comment1"):
            out.append((r["neutral_comment1"], False))
    return out
