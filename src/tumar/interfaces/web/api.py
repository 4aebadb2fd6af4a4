"""The versioned REST API, ``/api/v1``: analyze, forms, search, the self-check and its assessment.

Errors are JSON ``{"error": "...", ...}`` with a 4xx status; validation errors name the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, UploadFile
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from tumar.errors import InputError
from tumar.interfaces.web.chatcheck import check_upload
from tumar.interfaces.web.security import rate_limited
from tumar.interfaces.web.site import Site
from tumar.knowledge.booklet import law_json
from tumar.knowledge.search import search_forms
from tumar.knowledge.selfcheck import assess
from tumar.languages import check_language

__all__ = ["MAX_BATCH", "MAX_TEXT", "api_router"]

MAX_TEXT = 20_000
MAX_BATCH = 100

LangParam = Annotated[str | None, Query(description="ky, ru, kk or en (default en)", max_length=8)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalyzeItem(_Strict):
    id: Any = Field(default=None, description="Your id for the text; returned as is")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    lang: str | None = Field(default=None, description="ky, ru, kk or en; detected when omitted")


class AnalyzeRequest(_Strict):
    """Either one ``text`` or a batch of ``items`` (not both)."""

    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    lang: str | None = Field(default=None, description="ky, ru, kk or en; detected when omitted")
    explain_lang: str | None = Field(default=None, description="language of the explanations")
    items: list[AnalyzeItem] | None = Field(default=None, min_length=1, max_length=MAX_BATCH)


class FindingOut(BaseModel):
    form: str = Field(description="one of the 27 form ids")
    confidence: float
    spans: list[list[int]] = Field(description="[start, end) character offsets of the evidence")
    cues: list[str]
    explanation: str


class PiiOut(BaseModel):
    type: str
    text: str
    start: int
    end: int


class AnalysisOut(BaseModel):
    id: Any = None
    language: str
    urgent: bool
    severity: Literal["none", "low", "medium", "high", "urgent"]
    findings: list[FindingOut]
    pii: list[PiiOut]


class FormSummary(BaseModel):
    id: str
    group: str
    severity: str
    name: str
    definition: str


class LawOut(BaseModel):
    id: str
    country: str
    code: str
    article: str | None
    summary: str
    source: str
    confidence: str
    verify_with_lawyer: bool


class CaseOut(BaseModel):
    id: str
    title: str
    story: str


class FormDetail(BaseModel):
    id: str
    group: str
    severity: str
    language: str
    name: str
    aliases: list[str]
    definition: str
    etymology: str | None
    how: list[str]
    red_flags: list[str]
    what_to_do: list[str]
    related: list[str]
    laws: list[LawOut]
    cases: list[CaseOut]


class SearchHit(BaseModel):
    id: str
    score: float
    matched: str


class QuestionOut(BaseModel):
    id: str
    group: str
    text: str
    forms: list[str]
    weight: int
    urgent: bool


class SelfCheckOut(BaseModel):
    language: str
    groups: list[dict[str, str]] = Field(description="[{id, title}] in display order")
    questions: list[QuestionOut]


class AssessRequest(_Strict):
    answers: dict[str, StrictBool] = Field(
        description="question id → true (yes) or false (no); unanswered questions count as no",
        examples=[{"reads_chats": True, "demands_passwords": True, "threatens_to_share": False}],
    )
    lang: Literal["ky", "ru", "kk", "en"] = Field(default="en", description="language of the result")
    country: Literal["KG", "KZ"] | None = Field(default=None, description="narrow help services to KG or KZ")


class HelpOut(BaseModel):
    id: str
    country: str
    name: str
    contact: str | None
    notes: str
    source: str
    confidence: str


class SafetyPlanOut(BaseModel):
    steps: list[str]
    digital_hygiene: list[str]
    help: list[HelpOut]


class FormMatchOut(BaseModel):
    id: str
    name: str
    definition: str
    questions: list[str]


class AssessOut(BaseModel):
    language: str
    level: Literal["none", "some", "serious", "urgent"]
    score: int
    answered_yes: list[str]
    title: str
    explanation: str
    forms: list[FormMatchOut]
    safety_plan: SafetyPlanOut


class ConversationFormOut(BaseModel):
    form: str
    sender: str
    explanation: str
    patterns: list[str]
    message_ids: list[str]


class PatternOut(BaseModel):
    kind: str = Field(
        description="contact_after_refusal, flood, escalation, repeated_demand, threats, grooming"
    )
    sender: str | None
    count: int
    first: str | None = Field(description="ISO date and time, as the export shows it")
    last: str | None
    message_ids: list[str]
    description: str


class ChatSummaryOut(BaseModel):
    forms: list[ConversationFormOut]
    urgent: bool
    abuser: str | None = Field(description="the sender with the most severity-weighted findings, if clear")
    patterns: list[PatternOut]


class ChatMessageOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    date: str | None
    sender: str | None = Field(alias="from")
    text: str
    findings: list[FindingOut]


class ChatCheckOut(BaseModel):
    source: str = Field(description="the uploaded file's name")
    platform: str = Field(description="telegram, whatsapp or text")
    chat: str | None
    messages: int = Field(description="entries in the chat, service lines included")
    analyzed: int = Field(description="messages with text that were analysed")
    summary: ChatSummaryOut
    abusive_messages: list[ChatMessageOut]


class ErrorOut(BaseModel):
    error: str
    details: list[str] | None = None
    field: str | None = None


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad input (unknown language, wrong combination of fields …)"},
    422: {"model": ErrorOut, "description": "The request does not match the schema; names the field"},
}


def api_router(site: Site) -> APIRouter:
    router = APIRouter(prefix="/api/v1", responses=_ERRORS)
    kb = site.kb

    @router.post("/analyze", tags=["analysis"], summary="Analyse one text or a batch")
    def api_analyze(body: AnalyzeRequest) -> AnalysisOut | list[AnalysisOut]:
        """Find forms of technology-facilitated violence, urgency and personal data in each text.

        Nothing is stored or logged. Send ``{"text": ...}`` for one result or ``{"items": [...]}`` for a list
        in the same order.
        """
        explain_lang = check_language(body.explain_lang) if body.explain_lang else None
        if (body.text is None) == (body.items is None):
            raise InputError("give either 'text' or 'items'")
        if body.items is not None:
            items: list[tuple[object, str, str | None]] = [
                (i.id, i.text, check_language(i.lang) if i.lang else None) for i in body.items
            ]
            return [
                AnalysisOut.model_validate(a.to_json())
                for a in site.analyze_batch(items, explain_lang=explain_lang)
            ]
        assert body.text is not None
        lang = check_language(body.lang) if body.lang else None
        return AnalysisOut.model_validate(site.analyze(body.text, lang, explain_lang=explain_lang).to_json())

    @router.post(
        "/chats/analyze",
        tags=["analysis"],
        summary="Analyse a chat export (Telegram or WhatsApp, .txt/.json/.zip up to 20 MB)",
        dependencies=[Depends(rate_limited(site.upload_limiter))],
        responses={
            413: {"model": ErrorOut, "description": "The file is larger than 20 MB"},
            415: {"model": ErrorOut, "description": "Not a .txt, .json or .zip chat export"},
            429: {"model": ErrorOut, "description": "Too many uploads from this address; see Retry-After"},
        },
    )
    async def api_chat(file: UploadFile, lang: LangParam = None) -> ChatCheckOut:
        """Every message is analysed, then the patterns across the chat (contact after "stop writing to me",
        floods, escalation, repeated demands, threats, grooming signs). The file is copied to a temporary
        directory, read once and deleted before the answer is sent; nothing is stored or logged."""
        lg = check_language(lang, default="en")
        chat = await check_upload(site, file, lg)
        return ChatCheckOut.model_validate(chat.to_json())

    @router.get("/forms", tags=["glossary"], summary="The 27 forms")
    def api_forms(lang: LangParam = None) -> list[FormSummary]:
        lg = check_language(lang, default="en")
        return [
            FormSummary(
                id=f.id, group=f.group, severity=f.severity, name=f.t(lg).name, definition=f.t(lg).definition
            )
            for f in kb.forms.values()
        ]

    @router.get(
        "/forms/{form_id}",
        tags=["glossary"],
        summary="One form with its laws and cases",
        responses={404: {"model": ErrorOut, "description": "No such form (suggests close ids)"}},
    )
    def api_form(form_id: str, lang: LangParam = None) -> FormDetail:
        lg = check_language(lang, default="en")
        form = kb.form(form_id)
        return FormDetail.model_validate(
            {
                "id": form.id,
                "group": form.group,
                "severity": form.severity,
                "language": lg,
                **form.t(lg).model_dump(),
                "related": list(form.related),
                "laws": [law_json(x, lg) for x in kb.laws_for(form.id)],
                "cases": [
                    {"id": c.id, "title": c.title.get(lg), "story": c.story.get(lg)}
                    for c in kb.cases_for(form.id)
                ],
            }
        )

    @router.get("/search", tags=["glossary"], summary="Search the glossary in any language or alphabet")
    def api_search(
        q: Annotated[str, Query(max_length=200, description="a word, in Cyrillic or Latin letters")] = "",
        lang: LangParam = None,
    ) -> list[SearchHit]:
        return [
            SearchHit(id=h.form_id, score=round(h.score, 1), matched=h.matched)
            for h in search_forms(q, lang=lang)
        ]

    @router.get("/selfcheck", tags=["self-check"], summary="The red-flag questions")
    def api_selfcheck(lang: LangParam = None) -> SelfCheckOut:
        lg = check_language(lang, default="en")
        sc = site.selfcheck
        return SelfCheckOut(
            language=lg,
            groups=[{"id": g.id, "title": g.title.get(lg)} for g in sc.groups],
            questions=[
                QuestionOut(
                    id=q.id,
                    group=g.id,
                    text=q.text.get(lg),
                    forms=list(q.forms),
                    weight=q.weight,
                    urgent=q.urgent,
                )
                for g in sc.groups
                for q in g.questions
            ],
        )

    @router.post("/assess", tags=["self-check"], summary="Red-flag answers → level and safety plan")
    def api_assess(body: AssessRequest) -> AssessOut:
        """The level (none, some, serious, urgent), the forms the answers point to, an explanation and a
        safety plan: steps, digital hygiene and the help services exactly as the knowledge base gives them.
        Nothing is stored."""
        result = assess(body.answers, body.lang, country=body.country, kb=kb, selfcheck=site.selfcheck)
        return AssessOut.model_validate(result.to_json())

    return router
