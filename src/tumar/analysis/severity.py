"""Severity and urgency of an analysis."""

from __future__ import annotations

from collections.abc import Iterable

from tumar.analysis.finding import SEVERITIES
from tumar.knowledge.loader import KnowledgeBase

URGENT_FORMS = frozenset({"trafficking"})


def severity_of(kb: KnowledgeBase, forms: Iterable[str], urgent: bool) -> str:
    """"urgent" when urgent; otherwise the most severe base severity of the forms found, "none" if none."""
    if urgent:
        return "urgent"
    levels = [kb.form(f).severity for f in forms]
    levels = ["high" if level == "urgent" else level for level in levels]
    return max(levels, key=SEVERITIES.index) if levels else "none"
