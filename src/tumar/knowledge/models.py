"""Pydantic models of the knowledge base: forms, laws, help services, cases, sections.

Every user-facing text is a :class:`Localized` mapping with one entry per supported
language (ky, ru, kk, en); the loader refuses a file where one is missing or empty.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANGUAGES: tuple[str, ...] = ("ky", "ru", "kk", "en")
Language = Literal["ky", "ru", "kk", "en"]
Group = Literal["harassment", "image", "information", "devices"]
Severity = Literal["low", "medium", "high", "urgent"]
Country = Literal["KG", "KZ"]
Confidence = Literal["high", "medium-high", "medium", "low-medium", "seed", "seed-only"]

FORM_IDS: dict[str, tuple[str, ...]] = {
    "harassment": (
        "cyberbullying",
        "online_misogyny",
        "online_harassment",
        "online_sexual_harassment",
        "coerced_sexting",
        "slut_shaming",
        "zoombombing",
    ),
    "image": (
        "revenge_porn",
        "sextortion",
        "deepfake",
        "upskirting",
        "creepshot",
        "cyberflashing",
        "unsolicited_explicit_image",
        "image_based_sexual_abuse",
        "image_based_abuse",
        "webcam_exploitation",
        "luring_recruitment",
    ),
    "information": ("doxxing", "defamation", "impersonation", "catfishing", "trafficking", "grooming"),
    "devices": ("hacking", "cyberstalking", "digital_control"),
}
ALL_FORM_IDS: tuple[str, ...] = tuple(f for forms in FORM_IDS.values() for f in forms)

# The glossary's taxonomy: image_based_sexual_abuse "includes upskirting, creepshot, cyberflashing, deepfakes,
# revenge porn", and the dick pic is its example of cyberflashing. A form implies its parent.
PARENT_FORM: dict[str, str] = {
    "revenge_porn": "image_based_sexual_abuse",
    "upskirting": "image_based_sexual_abuse",
    "creepshot": "image_based_sexual_abuse",
    "cyberflashing": "image_based_sexual_abuse",
    "deepfake": "image_based_sexual_abuse",
    "unsolicited_explicit_image": "cyberflashing",
}


def with_parents(forms: set[str] | list[str] | tuple[str, ...]) -> set[str]:
    """``forms`` plus every form they imply by the glossary's taxonomy."""
    out = set(forms)
    frontier = list(out)
    while frontier:
        parent = PARENT_FORM.get(frontier.pop())
        if parent and parent not in out:
            out.add(parent)
            frontier.append(parent)
    return out


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _require_all_languages(value: dict[str, object], what: str) -> None:
    missing = [lang for lang in LANGUAGES if not value.get(lang)]
    if missing:
        raise ValueError(f"{what}: missing or empty for language(s) {', '.join(missing)}")
    extra = sorted(set(value) - set(LANGUAGES))
    if extra:
        raise ValueError(f"{what}: unsupported language(s) {', '.join(extra)}")


class Localized(_Frozen):
    """A text in the four languages."""

    ky: str
    ru: str
    kk: str
    en: str

    @model_validator(mode="after")
    def _non_empty(self) -> Localized:
        _require_all_languages(self.model_dump(), "text")
        return self

    def get(self, lang: str) -> str:
        return str(getattr(self, lang))


class LocalizedList(_Frozen):
    """A list of texts (steps, aliases, flags) in the four languages."""

    ky: tuple[str, ...]
    ru: tuple[str, ...]
    kk: tuple[str, ...]
    en: tuple[str, ...]

    @model_validator(mode="after")
    def _non_empty(self) -> LocalizedList:
        _require_all_languages(self.model_dump(), "list")
        for lang in LANGUAGES:
            if any(not item.strip() for item in getattr(self, lang)):
                raise ValueError(f"list: empty item in language {lang}")
        return self

    def get(self, lang: str) -> tuple[str, ...]:
        return tuple(getattr(self, lang))


class FormText(_Frozen):
    """What one language says about one form."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = Field(min_length=1)
    definition: str = Field(min_length=20)
    etymology: str | None = None
    how: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = Field(min_length=1)
    what_to_do: tuple[str, ...] = Field(min_length=2)


class Form(_Frozen):
    """One of the glossary's 27 forms of technology-facilitated gender-based violence."""

    id: str
    group: Group
    severity: Severity
    english_origin: bool
    glossary_term: str = Field(min_length=1, description="The heading in the Kyrgyz glossary")
    related: tuple[str, ...] = ()
    text: dict[Language, FormText]

    @field_validator("text")
    @classmethod
    def _all_languages(cls, value: dict[str, FormText]) -> dict[str, FormText]:
        _require_all_languages(dict(value), "text")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Form:
        if self.id not in FORM_IDS[self.group]:
            raise ValueError(f"form {self.id!r} does not belong to group {self.group!r}")
        if self.id in self.related:
            raise ValueError(f"form {self.id!r} lists itself as related")
        if self.english_origin:
            missing = [lang for lang, t in self.text.items() if not t.etymology]
            if missing:
                raise ValueError(f"form {self.id!r}: etymology missing for {', '.join(missing)}")
        return self

    def t(self, lang: str) -> FormText:
        return self.text[lang]  # type: ignore[index]


class Law(_Frozen):
    """A law or article that may apply, copied from shared/facts/laws-and-help.md with its source."""

    id: str
    country: Country
    code: Localized
    article: str | None = None
    summary: Localized
    forms: tuple[str, ...] = ()
    all_forms: bool = False
    source: str
    confidence: Confidence
    confidence_note: str | None = None

    @property
    def verify_with_lawyer(self) -> bool:
        """Seed-only and unconfirmed entries may be shown only with a 'verify with a lawyer' note."""
        return self.confidence in ("seed-only",)


class HelpService(_Frozen):
    id: str
    country: Country
    name: Localized
    contact: str | None = None
    notes: Localized
    source: str
    confidence: Confidence


class Case(_Frozen):
    """A case story told by the glossary, linked to its forms."""

    id: str
    forms: tuple[str, ...] = Field(min_length=1)
    title: Localized
    story: Localized


class GroupInfo(_Frozen):
    """One of the glossary's four groups of forms."""

    id: Group
    name: Localized
    description: Localized


class Section(_Frozen):
    """A glossary section outside the A–Z list (definition, red flags, hygiene …)."""

    id: str
    title: Localized
    body: Localized
    points: LocalizedList | None = None
