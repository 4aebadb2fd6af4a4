"""The out-of-fold choices of training/train.py: the abusive gate and the urgency output's abusive floor."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tumar.recognizers.classifier import ABUSIVE, FORM_OUTPUTS, OUTPUTS, URGENT

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))

from train import gate_threshold, urgent_floor


def scores_with(abusive: list[float], urgent: float = 0.9) -> np.ndarray:
    out = np.zeros((len(abusive), len(OUTPUTS)), np.float32)
    out[:, ABUSIVE] = abusive
    out[:, URGENT] = urgent
    out[:, 0] = 0.9  # every row has a form over its threshold
    return out


def test_urgent_floor_is_the_lowest_that_keeps_hard_negatives_within_budget():
    # four hard negatives the urgency output flags, with abusive scores 0.1 … 0.4; two abuse rows
    scores = scores_with([0.1, 0.2, 0.3, 0.4, 0.8, 0.9])
    hard = np.array([True, True, True, True, False, False])
    assert urgent_floor(scores, 0.5, hard, max_fpr=0.5) == pytest.approx(0.21)  # 0.3 and 0.4 remain
    assert urgent_floor(scores, 0.5, hard, max_fpr=0.0) == pytest.approx(0.41)
    assert urgent_floor(scores, 0.95, hard, max_fpr=0.0) == 0.0  # the output flags none of them


def test_gate_threshold_counts_only_rows_with_a_finding():
    scores = scores_with([0.1, 0.2, 0.3, 0.4])
    scores[:2, :FORM_OUTPUTS] = 0.0  # the two lowest have no form over threshold anyway
    hard = np.ones(4, bool)
    thresholds = np.full(len(OUTPUTS), 0.5, np.float32)
    assert gate_threshold(scores, thresholds, hard, max_fpr=0.25) == pytest.approx(0.31)
