"""Concurrent single-text analyses are gathered into batches, and each request gets its own result."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tumar.analysis.analyzer import Analyzer
from tumar.interfaces.web import create_app

TEXTS = [
    "сени өлтүрөм",
    "Продаю диван, звоните",
    "маған жазба енді",
    "nice weather today",
    "скинь пароль от инсты",
    "эртең сабакка барасыңбы",
] * 5


class SlowCountingAnalyzer(Analyzer):
    def __init__(self) -> None:
        super().__init__(fast=True)
        self.batches: list[int] = []
        self.fail = False

    def analyze_batch(self, items, *, explain_lang=None):  # type: ignore[no-untyped-def, override]
        self.batches.append(len(items))
        if self.fail:
            raise RuntimeError("model broke")
        time.sleep(0.05)  # like the embedding model: long enough for other requests to queue up
        return super().analyze_batch(items, explain_lang=explain_lang)


def test_concurrent_requests_share_batches_and_get_their_own_results() -> None:
    analyzer = SlowCountingAnalyzer()
    site = create_app(analyzer).state.site
    reference = {t: Analyzer(fast=True).analyze(t, explain_lang="ru").to_json() for t in set(TEXTS)}
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda t: site.analyze(t, explain_lang="ru"), TEXTS))
    assert [r.to_json() for r in results] == [reference[t] for t in TEXTS]
    assert sum(analyzer.batches) == len(TEXTS) and max(analyzer.batches) > 1


def test_an_error_reaches_every_waiting_request_and_nothing_hangs() -> None:
    analyzer = SlowCountingAnalyzer()
    analyzer.fail = True
    site = create_app(analyzer).state.site
    errors: list[BaseException] = []

    def call(text: str) -> None:
        try:
            site.analyze(text)
        except RuntimeError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(t,)) for t in TEXTS[:8]]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=10)
    assert not any(th.is_alive() for th in threads)
    assert len(errors) == 8


@pytest.mark.parametrize("explain", ["ky", "en"])
def test_different_explanation_languages_are_kept_apart(explain: str) -> None:
    site = create_app(Analyzer(fast=True)).state.site
    with ThreadPoolExecutor(max_workers=4) as pool:
        other = "en" if explain == "ky" else "ky"
        mine = pool.submit(site.analyze, "сени өлтүрөм", explain_lang=explain)
        theirs = pool.submit(site.analyze, "сени өлтүрөм", explain_lang=other)
        assert (
            mine.result().to_json()
            == Analyzer(fast=True).analyze("сени өлтүрөм", explain_lang=explain).to_json()
        )
        assert (
            theirs.result().to_json()
            == Analyzer(fast=True).analyze("сени өлтүрөм", explain_lang=other).to_json()
        )
