"""The red-flag self-check: questions from ``data/selfcheck.yaml`` and the assessment they lead to.

``assess(answers, lang)`` turns yes/no answers into a level (none, some, serious, urgent), the forms of
violence the "yes" answers point to, an explanation and a personal safety plan: general steps, the "what to
do" of each form, digital-hygiene points from the glossary and the help services exactly as the knowledge
base gives them. Nothing is stored; the function is pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from tumar.errors import BadRecordError, KnowledgeBaseError
from tumar.knowledge.booklet import help_json
from tumar.knowledge.loader import KnowledgeBase, load_knowledge_base
from tumar.knowledge.models import Form, HelpService, Localized, _Frozen
from tumar.languages import check_language

__all__ = [
    "LEVELS",
    "Assessment",
    "FormMatch",
    "Level",
    "Question",
    "QuestionGroup",
    "SafetyPlan",
    "SelfCheck",
    "assess",
    "check_references",
    "load_selfcheck",
]

Level = Literal["none", "some", "serious", "urgent"]
LEVELS: tuple[Level, ...] = ("none", "some", "serious", "urgent")


class Question(_Frozen):
    """One yes/no question, linked to the forms a "yes" points to."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    forms: tuple[str, ...] = Field(min_length=1)
    weight: int = Field(ge=1, le=3)
    urgent: bool = False
    text: Localized


class QuestionGroup(_Frozen):
    id: str
    title: Localized
    hygiene: tuple[str, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)


class LevelText(_Frozen):
    id: Level
    title: Localized
    explanation: Localized


class PlanStep(_Frozen):
    levels: tuple[Level, ...] = Field(min_length=1)
    text: Localized


class SelfCheck(_Frozen):
    """The question set and the texts of the result."""

    serious_from_score: int = Field(ge=1)
    serious_from_weight: int = Field(ge=1, le=3)
    groups: tuple[QuestionGroup, ...] = Field(min_length=1)
    levels: tuple[LevelText, ...]
    steps: tuple[PlanStep, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> SelfCheck:
        ids = [q.id for q in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate question id(s): {', '.join(duplicates)}")
        if tuple(level.id for level in self.levels) != LEVELS:
            raise ValueError(f"levels must be, in order: {', '.join(LEVELS)}")
        missing = [lv for lv in LEVELS if not any(lv in s.levels for s in self.steps)]
        if missing:
            raise ValueError(f"no plan step for level(s) {', '.join(missing)}")
        return self

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for g in self.groups for q in g.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def group_of(self, question_id: str) -> QuestionGroup:
        return next(g for g in self.groups if any(q.id == question_id for q in g.questions))

    def level_text(self, level: str) -> LevelText:
        return next(lv for lv in self.levels if lv.id == level)


def check_references(selfcheck: SelfCheck, kb: KnowledgeBase) -> list[str]:
    """Problems with the forms and sections the question set names (empty when there are none)."""
    problems = [
        f"question {q.id}: form {f!r} unknown"
        for q in selfcheck.questions
        for f in q.forms
        if f not in kb.forms
    ]
    problems += [
        f"group {g.id}: section {s!r} unknown"
        for g in selfcheck.groups
        for s in g.hygiene
        if s not in kb.sections
    ]
    return problems


@lru_cache(maxsize=1)
def load_selfcheck() -> SelfCheck:
    """Load and validate ``data/selfcheck.yaml`` against the knowledge base (cached)."""
    path = resources.files("tumar.knowledge") / "data" / "selfcheck.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        selfcheck = SelfCheck.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeBaseError(f"knowledge base file selfcheck.yaml: {exc}") from exc
    problems = check_references(selfcheck, load_knowledge_base())
    if problems:
        raise KnowledgeBaseError("selfcheck.yaml: " + "; ".join(problems))
    return selfcheck


@dataclass(frozen=True)
class FormMatch:
    """A form the "yes" answers point to, with the questions that point to it."""

    form: Form
    questions: tuple[str, ...]
    weight: int


@dataclass(frozen=True)
class SafetyPlan:
    """A personal safety plan: general steps, per-form steps, digital hygiene and where to get help."""

    steps: tuple[str, ...]
    form_steps: tuple[tuple[str, tuple[str, ...]], ...]  # (form id, its "what to do")
    digital_hygiene: tuple[str, ...]
    help: tuple[HelpService, ...]

    @property
    def all_steps(self) -> tuple[str, ...]:
        """The general steps, then every form's steps, each once."""
        return tuple(dict.fromkeys([*self.steps, *(s for _, steps in self.form_steps for s in steps)]))


@dataclass(frozen=True)
class Assessment:
    """The result of the self-check in one language."""

    language: str
    level: Level
    score: int
    answered_yes: tuple[str, ...]
    forms: tuple[FormMatch, ...]
    title: str
    explanation: str
    plan: SafetyPlan

    def to_json(self) -> dict[str, Any]:
        lang = self.language
        return {
            "language": lang,
            "level": self.level,
            "score": self.score,
            "answered_yes": list(self.answered_yes),
            "title": self.title,
            "explanation": self.explanation,
            "forms": [
                {
                    "id": m.form.id,
                    "name": m.form.t(lang).name,
                    "definition": m.form.t(lang).definition,
                    "questions": list(m.questions),
                }
                for m in self.forms
            ],
            "safety_plan": {
                "steps": list(self.plan.all_steps),
                "digital_hygiene": list(self.plan.digital_hygiene),
                "help": [help_json(h, lang) for h in self.plan.help],
            },
        }


def _checked_answers(answers: Mapping[str, object], selfcheck: SelfCheck) -> dict[str, bool]:
    if not isinstance(answers, Mapping):
        raise BadRecordError(
            "expected an object of question ids and true/false", source="request", field="answers"
        )
    if not answers:
        raise BadRecordError("answer at least one question", source="request", field="answers")
    known = {q.id for q in selfcheck.questions}
    out: dict[str, bool] = {}
    for key, value in answers.items():
        if key not in known:
            raise BadRecordError(
                f"unknown question id; known ids: {', '.join(sorted(known))}",
                source="request",
                field=f"answers.{key}",
            )
        if not isinstance(value, bool):
            raise BadRecordError("expected true or false", source="request", field=f"answers.{key}")
        out[key] = value
    return out


def _level(selfcheck: SelfCheck, yes: list[str]) -> tuple[Level, int]:
    questions = [selfcheck.question(q) for q in yes]
    score = sum(q.weight for q in questions)
    if any(q.urgent for q in questions):
        return "urgent", score
    if score >= selfcheck.serious_from_score or any(
        q.weight >= selfcheck.serious_from_weight for q in questions
    ):
        return "serious", score
    return ("some" if questions else "none"), score


def assess(
    answers: Mapping[str, object],
    lang: str,
    *,
    country: str | None = None,
    kb: KnowledgeBase | None = None,
    selfcheck: SelfCheck | None = None,
) -> Assessment:
    """The level, forms, explanation and safety plan for ``answers`` ({question id: true/false}).

    Unanswered questions count as "no". ``country`` (KG or KZ) narrows the help services. Raises
    :class:`BadRecordError` naming the field for an unknown question id or a value that is not a boolean.
    """
    lang = check_language(lang)
    if country is not None and country not in ("KG", "KZ"):
        raise BadRecordError("expected KG or KZ", source="request", field="country")
    kb = kb or load_knowledge_base()
    selfcheck = selfcheck or load_selfcheck()
    checked = _checked_answers(answers, selfcheck)
    yes = [q.id for q in selfcheck.questions if checked.get(q.id)]
    level, score = _level(selfcheck, yes)

    weights: dict[str, int] = {}
    pointed: dict[str, list[str]] = {}
    for qid in yes:
        question = selfcheck.question(qid)
        for form_id in question.forms:
            weights[form_id] = weights.get(form_id, 0) + question.weight
            pointed.setdefault(form_id, []).append(qid)
    order = list(kb.forms)
    ranked = sorted(weights, key=lambda f: (-weights[f], order.index(f)))
    forms = tuple(FormMatch(kb.forms[f], tuple(pointed[f]), weights[f]) for f in ranked)

    sections = list(dict.fromkeys(s for qid in yes for s in selfcheck.group_of(qid).hygiene)) or [
        "digital_hygiene"
    ]
    hygiene = tuple(
        dict.fromkeys(
            p for s in sections if (pts := kb.sections[s].points) is not None for p in pts.get(lang)
        )
    )
    plan = SafetyPlan(
        steps=tuple(s.text.get(lang) for s in selfcheck.steps if level in s.levels),
        form_steps=tuple((m.form.id, m.form.t(lang).what_to_do) for m in forms),
        digital_hygiene=hygiene,
        help=kb.help_for(country),
    )
    text = selfcheck.level_text(level)
    return Assessment(
        language=lang,
        level=level,
        score=score,
        answered_yes=tuple(yes),
        forms=forms,
        title=text.title.get(lang),
        explanation=text.explanation.get(lang),
        plan=plan,
    )
