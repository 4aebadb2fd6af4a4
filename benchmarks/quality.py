"""Quality of the analyzer: prints per-form and per-language precision/recall/F1, macro-F1, the false-positive
rate on hard negatives and urgent recall on the project's dev set, and binary scores on EDOS (test) and
RUSSE-2022 (dev). Usage: python benchmarks/quality.py [--fast] [--no-external] [--extra FILE.jsonl ...] (more
labeled sets in the corpus's format, e.g. messages written and checked but not trained on yet)"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from _data import dev_records, edos_test, heldout_records, russe_dev

from tumar.analysis.analyzer import default_analyzer
from tumar.knowledge.models import ALL_FORM_IDS, FORM_IDS, with_parents

HARASSMENT = set(FORM_IDS["harassment"])


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(analyzer, texts: list[str]) -> list:
    out = []
    for start in range(0, len(texts), 64):
        out += analyzer.analyze_batch([(None, t, None) for t in texts[start : start + 64]])
    return out


def project_set(analyzer, name: str, records: list[dict]) -> None:
    if not records:
        print(f"{name}: no records, skipped")
        return
    results = run(analyzer, [r["text"] for r in records])
    per_form = {f: [0, 0, 0] for f in ALL_FORM_IDS}
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    hard = hard_fp = hard_urgent = urgent_total = urgent_hit = urgent_pred = urgent_tp = 0
    lang_right = 0
    for rec, res in zip(records, results, strict=True):
        gold, pred = with_parents(rec["labels"]), set(res.forms)
        for f in ALL_FORM_IDS:
            key = (f in pred, f in gold)
            idx = {(True, True): 0, (True, False): 1, (False, True): 2}.get(key)
            if idx is not None:
                per_form[f][idx] += 1
                per_lang[rec["lang"]][idx] += 1
        if rec.get("kind") == "hard_negative" or (not gold and rec.get("kind") != "negative"):
            hard += 1
            hard_fp += bool(pred)
            hard_urgent += res.urgent
        if rec.get("urgent"):
            urgent_total += 1
            urgent_hit += res.urgent
        urgent_pred += res.urgent
        urgent_tp += res.urgent and bool(rec.get("urgent"))
        lang_right += res.language == rec["lang"]
    print(f"--- {name}: {len(records)} messages")
    print(f"{'form':28s} {'P':>5s} {'R':>5s} {'F1':>5s} {'support':>7s}")
    f1s = []
    for f, (tp, fp, fn) in per_form.items():
        p, r, f1 = prf(tp, fp, fn)
        if tp + fn:
            f1s.append(f1)
        print(f"{f:28s} {p:5.2f} {r:5.2f} {f1:5.2f} {tp + fn:7d}")
    print(f"macro-F1 (forms with support): {sum(f1s) / len(f1s):.3f}")
    for lang in sorted(per_lang):
        p, r, f1 = prf(*per_lang[lang])
        print(f"language {lang}: micro P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    print(f"false-positive rate on hard negatives: {hard_fp}/{hard} = {hard_fp / max(hard, 1):.3f}")
    print(f"hard negatives called urgent: {hard_urgent}/{hard} = {hard_urgent / max(hard, 1):.3f}")
    print(
        f"urgent recall: {urgent_hit}/{urgent_total} = {urgent_hit / max(urgent_total, 1):.3f}; "
        f"urgent precision: {urgent_tp}/{urgent_pred} = {urgent_tp / max(urgent_pred, 1):.3f}"
    )
    print(f"language identification accuracy: {lang_right / len(records):.3f}")


def binary(analyzer, name: str, data: list[tuple[str, bool]], forms: set[str] | None) -> None:
    if not data:
        print(f"{name}: dataset not found, skipped")
        return
    results = run(analyzer, [t for t, _ in data])
    tp = fp = fn = tn = 0
    for (_, gold), res in zip(data, results, strict=True):
        pred = bool(set(res.forms) & forms) if forms else bool(res.forms)
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        tn += not pred and not gold
    p, r, f1 = prf(tp, fp, fn)
    print(
        f"{name}: n={len(data)} P {p:.3f} R {r:.3f} F1 {f1:.3f} false-positive rate {fp / max(fp + tn, 1):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--no-external", action="store_true")
    parser.add_argument("--extra", type=Path, nargs="*", default=[], help="more labeled JSONL files to score")
    args = parser.parse_args()
    analyzer = default_analyzer(args.fast)
    t0 = time.time()
    print(f"== Tumar quality ({'fast: lexicon only' if args.fast else 'full pipeline'})")
    project_set(analyzer, "project dev split (training/corpus, 20% by id hash)", dev_records())
    project_set(
        analyzer,
        "held-out test set (benchmarks/heldout, never used for training or lexicons)",
        heldout_records(),
    )
    for path in args.extra:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        project_set(analyzer, str(path), records)
    if not args.no_external:
        binary(analyzer, "EDOS test (sexist vs any harassment-group form)", edos_test(), HARASSMENT)
        binary(
            analyzer,
            "RUSSE-2022 dev (toxic vs neutral rewrite, any harassment-group form)",
            russe_dev(),
            HARASSMENT,
        )
    print(f"({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
