"""The labeled corpus and the checked messages waiting for the next retrain (``training/corpus-next``) follow the
format of ``training/GUIDE.md``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tumar.knowledge.models import ALL_FORM_IDS
from tumar.languages import LANGUAGES

TRAINING = Path(__file__).resolve().parents[2] / "training"
FILES = sorted(TRAINING.glob("corpus/*.jsonl")) + sorted(TRAINING.glob("corpus-next/*.jsonl"))
KINDS = {"direct", "victim", "hard_negative", "negative"}


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_message_has_the_guide_fields(path):
    for rec in records(path):
        where = f"{path.name} {rec.get('id')}"
        assert rec["lang"] in LANGUAGES, where
        assert rec["text"].strip(), where
        assert set(rec["labels"]) <= set(ALL_FORM_IDS), where
        assert rec["kind"] in KINDS, where
        assert isinstance(rec["urgent"], bool), where
        if rec["kind"] in ("hard_negative", "negative"):
            assert not rec["labels"] and not rec["urgent"], where


def test_ids_are_unique_across_the_corpus_and_the_next_batch():
    ids = Counter(rec["id"] for path in FILES for rec in records(path))
    assert len(ids) > 13_000
    assert [i for i, n in ids.items() if n > 1] == []


def test_hard_negatives_are_at_least_thirty_percent():
    kinds = Counter(rec["kind"] for path in FILES for rec in records(path))
    assert kinds["hard_negative"] / sum(kinds.values()) >= 0.30
