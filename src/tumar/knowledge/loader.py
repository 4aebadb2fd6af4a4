"""Load and cross-check the knowledge base shipped as package data."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tumar.errors import KnowledgeBaseError, UnknownFormError
from tumar.knowledge.models import (
    ALL_FORM_IDS,
    Case,
    Form,
    GroupInfo,
    HelpService,
    Law,
    Section,
)

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class KnowledgeBase:
    """The glossary as data: 27 forms, laws, help services, case stories, groups and sections."""

    forms: Mapping[str, Form]
    laws: Mapping[str, Law]
    help_services: tuple[HelpService, ...]
    cases: tuple[Case, ...]
    groups: Mapping[str, GroupInfo]
    sections: Mapping[str, Section]

    def form(self, form_id: str) -> Form:
        """The form with this id, or :class:`UnknownFormError` with close suggestions."""
        try:
            return self.forms[form_id]
        except KeyError:
            close = difflib.get_close_matches(form_id, list(self.forms), n=3, cutoff=0.6)
            raise UnknownFormError(form_id, tuple(close)) from None

    def forms_in_group(self, group: str) -> tuple[Form, ...]:
        return tuple(f for f in self.forms.values() if f.group == group)

    def laws_for(self, form_id: str, country: str | None = None) -> tuple[Law, ...]:
        """Laws that may apply to a form, KG first; ``country`` narrows to KG or KZ."""
        self.form(form_id)
        return tuple(
            law
            for law in self.laws.values()
            if (form_id in law.forms or law.all_forms) and (country is None or law.country == country)
        )

    def cases_for(self, form_id: str) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if form_id in c.forms)

    def help_for(self, country: str | None = None) -> tuple[HelpService, ...]:
        return tuple(h for h in self.help_services if country is None or h.country == country)


def _read_yaml(name: str) -> Any:
    path = resources.files("tumar.knowledge") / "data" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"knowledge base file {name}: {exc}") from exc


def _validate(model: type[_M], data: Any, where: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"knowledge base file {where}: {exc}") from exc


def _load_list(name: str, model: type[_M]) -> tuple[_M, ...]:
    data = _read_yaml(name)
    if not isinstance(data, list):
        raise KnowledgeBaseError(f"knowledge base file {name}: expected a list")
    return tuple(_validate(model, item, f"{name}[{i}]") for i, item in enumerate(data))


def _load_forms() -> dict[str, Form]:
    forms: dict[str, Form] = {}
    for form_id in ALL_FORM_IDS:
        form = _validate(Form, _read_yaml(f"forms/{form_id}.yaml"), f"forms/{form_id}.yaml")
        if form.id != form_id:
            raise KnowledgeBaseError(f"forms/{form_id}.yaml: id is {form.id!r}")
        forms[form_id] = form
    return forms


def _unique(items: tuple[Any, ...], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.id in out:
            raise KnowledgeBaseError(f"{what}: duplicate id {item.id!r}")
        out[item.id] = item
    return out


def _check_references(kb: KnowledgeBase) -> None:
    known = set(kb.forms)
    problems: list[str] = []
    for form in kb.forms.values():
        problems += [f"form {form.id}: related form {r!r} unknown" for r in form.related if r not in known]
    for law in kb.laws.values():
        problems += [f"law {law.id}: form {f!r} unknown" for f in law.forms if f not in known]
    for case in kb.cases:
        problems += [f"case {case.id}: form {f!r} unknown" for f in case.forms if f not in known]
    if problems:
        raise KnowledgeBaseError("; ".join(problems))


@lru_cache(maxsize=1)
def load_knowledge_base() -> KnowledgeBase:
    """Load, validate and cross-check the packaged knowledge base (cached)."""
    kb = KnowledgeBase(
        forms=_load_forms(),
        laws=_unique(_load_list("laws.yaml", Law), "laws.yaml"),
        help_services=tuple(_unique(_load_list("help.yaml", HelpService), "help.yaml").values()),
        cases=tuple(_unique(_load_list("cases.yaml", Case), "cases.yaml").values()),
        groups=_unique(_load_list("groups.yaml", GroupInfo), "groups.yaml"),
        sections=_unique(_load_list("sections.yaml", Section), "sections.yaml"),
    )
    _check_references(kb)
    return kb
