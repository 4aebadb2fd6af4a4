"""List the analyzer's mistakes on the dev split, to see which cues and rules misfire.

``python training/errors.py [--fast] [--kind fp|urgent-miss|urgent-fp|fn] [--form FORM] [--lang LANG]``

Prints, per form and language, the hard negatives that got a finding (false positives), and with ``--kind``
the messages themselves with the cue text, the recognizers and the rules that fired. Only the dev split of
``training/corpus`` is read (never ``benchmarks/heldout``). Embeddings are cached with the training ones in
``training/.cache``, so after the first run this takes seconds.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(ROOT / "src"))

from trainset import embed_all, is_hard_negative, load_corpus  # noqa: E402

from tumar.analysis.analyzer import Analyzer  # noqa: E402
from tumar.analysis.finding import Analysis  # noqa: E402


class CachedEmbedder:
    """The real embedding model's vectors for the dev texts, computed once (see ``trainset.embed_all``)."""

    def __init__(self, texts: list[str]) -> None:
        from tumar.recognizers.classifier import default_model

        self.name = default_model().embedder
        vectors = embed_all(texts)
        self.dim = vectors.shape[1]
        self._vectors = dict(zip(texts, vectors, strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vectors[t] for t in texts])


def analyse(records: list[dict], fast: bool) -> list[Analysis]:
    texts = [r["text"] for r in records]
    if fast:
        analyzer = Analyzer(fast=True, cache_size=0)
    else:
        from tumar.recognizers.classifier import default_model

        analyzer = Analyzer(embedder=CachedEmbedder(texts), model=default_model(), cache_size=0)
    out: list[Analysis] = []
    for start in range(0, len(texts), 64):
        out += analyzer.analyze_batch([(None, t, None) for t in texts[start : start + 64]])
    return out


def show(rec: dict, res: Analysis) -> None:
    print(
        f"  [{rec['id']} {rec['lang']} {rec.get('kind')} gold={','.join(rec['labels']) or '-'}"
        f" urgent={rec.get('urgent')}] {rec['text']}"
    )
    for f in res.findings:
        print(
            f"      → {f.form} {f.confidence:.2f} {'/'.join(f.recognizers)} cues={list(f.cues)} adj={list(f.adjustments)}"
        )
    if res.urgent:
        print(
            f"      → urgent: {', '.join(res.urgent_reasons) or 'model'}; context: {', '.join(res.context) or '-'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fast", action="store_true", help="lexicon only, no model")
    parser.add_argument(
        "--kind", choices=["fp", "urgent-miss", "urgent-fp", "fn"], help="list these messages"
    )
    parser.add_argument("--form", help="only this form (for fp and fn)")
    parser.add_argument("--lang", help="only this language")
    args = parser.parse_args()

    records = [r for r in load_corpus() if r["split"] == "dev"]
    results = analyse(records, args.fast)
    fp_by: Counter[tuple[str, str]] = Counter()
    hard = Counter(r["lang"] for r in records if is_hard_negative(r))
    hard_fp: Counter[str] = Counter()
    for rec, res in zip(records, results, strict=True):
        if is_hard_negative(rec) and res.findings:
            hard_fp[rec["lang"]] += 1
            for form in res.forms:
                fp_by[(form, rec["lang"])] += 1
    print(f"hard negatives with a finding: {sum(hard_fp.values())}/{sum(hard.values())}")
    for lang in sorted(hard):
        print(f"  {lang}: {hard_fp[lang]}/{hard[lang]}")
    print("findings on hard negatives, by form and language:")
    for (form, lang), n in fp_by.most_common():
        print(f"  {n:3d} {form} {lang}")
    urgent = [(rec, res) for rec, res in zip(records, results, strict=True) if rec.get("urgent")]
    flagged = [(rec, res) for rec, res in zip(records, results, strict=True) if res.urgent]
    print(
        f"urgent: recall {sum(res.urgent for _, res in urgent)}/{len(urgent)}, "
        f"precision {sum(bool(rec.get('urgent')) for rec, _ in flagged)}/{len(flagged)}"
    )

    if not args.kind:
        return
    print(f"--- {args.kind}")
    for rec, res in zip(records, results, strict=True):
        if args.lang and rec["lang"] != args.lang:
            continue
        gold, pred = set(rec["labels"]), set(res.forms)
        if args.kind == "fp":
            hit = is_hard_negative(rec) and bool(pred) and (not args.form or args.form in pred)
        elif args.kind == "fn":
            hit = bool(gold - pred) and (not args.form or args.form in gold - pred)
        elif args.kind == "urgent-miss":
            hit = bool(rec.get("urgent")) and not res.urgent
        else:
            hit = res.urgent and not rec.get("urgent")
        if hit:
            show(rec, res)


if __name__ == "__main__":
    main()
