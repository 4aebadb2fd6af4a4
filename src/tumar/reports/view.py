"""What the report shows: :class:`ReportData` joined with the knowledge base and formatted in one language.

The template only lays out these strings; every decision (order, counts, which laws, which help) is made here,
so the HTML and the PDF say exactly the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from tumar.errors import InputError
from tumar.i18n import t
from tumar.knowledge.booklet import law_line
from tumar.knowledge.loader import KnowledgeBase
from tumar.knowledge.models import Law
from tumar.languages import check_language
from tumar.reports import strings
from tumar.reports.model import CustodyRow, ReportData, ReportMessage

__all__ = [
    "HASH_PREFIX",
    "SHARED_KEYS",
    "CountryHelp",
    "CountryLaws",
    "CustodyView",
    "EvidenceView",
    "FindingView",
    "FormCount",
    "FormView",
    "HelpView",
    "LawView",
    "MessageView",
    "NoteView",
    "PatternView",
    "ReportView",
    "StepGroup",
    "build_view",
    "form_counts",
]

HASH_PREFIX = 12  # characters of a custody hash shown in the log table
COUNTRIES: tuple[str, ...] = ("KG", "KZ")
# Words shared with the rest of Tumar that the template uses, taken from tumar.i18n.
SHARED_KEYS: tuple[str, ...] = (
    "laws",
    "help",
    "source",
    "confidence",
    "definition",
    "what_to_do",
    "legal_disclaimer",
    "verify_with_lawyer",
    "severity_urgent",
    "urgent_note",
)


@dataclass(frozen=True)
class FormCount:
    form_id: str
    name: str
    count: int  # messages in which the form was found


@dataclass(frozen=True)
class FindingView:
    form_name: str
    confidence: str
    explanation: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class MessageView:
    date: str
    chat: str
    sender: str
    text: str
    reference: str  # "Evidence EV-1, message 17"
    urgent: bool
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class PatternView:
    description: str
    period: str  # "first — last", or "" when the pattern has no times


@dataclass(frozen=True)
class FormView:
    form_id: str
    name: str
    definition: str


@dataclass(frozen=True)
class LawView:
    line: str  # the booklet's sentence: code, article, summary, caveat, source, confidence
    relates_to: str  # names of the case's forms the law is listed for
    verify: bool


@dataclass(frozen=True)
class CountryLaws:
    country: str
    name: str
    laws: tuple[LawView, ...]


@dataclass(frozen=True)
class EvidenceView:
    item_id: str
    kind: str
    name: str
    sha256: str
    size: str
    acquired_at: str
    source: str


@dataclass(frozen=True)
class CustodyView:
    seq: int
    at: str
    actor: str
    action: str
    details: str
    item_id: str
    hash_prefix: str
    prev_prefix: str


@dataclass(frozen=True)
class NoteView:
    at: str
    author: str
    text: str


@dataclass(frozen=True)
class StepGroup:
    title: str
    steps: tuple[str, ...]
    body: str = ""


@dataclass(frozen=True)
class HelpView:
    name: str
    contact: str  # exactly as the knowledge base has it; "" when it has none
    notes: str
    source: str


@dataclass(frozen=True)
class CountryHelp:
    country: str
    name: str
    services: tuple[HelpView, ...]


@dataclass(frozen=True)
class ReportView:
    lang: str
    labels: Mapping[str, str]
    page_label: str  # "Page {page} of {pages}" in the report language
    case_id: str
    title: str
    created_at: str
    generated_at: str
    urgent: bool
    period: str
    message_count: int
    abusive_count: int
    abuser: str
    description: str
    extra: tuple[tuple[str, str], ...]
    form_counts: tuple[FormCount, ...]
    patterns: tuple[PatternView, ...]
    messages: tuple[MessageView, ...]
    forms: tuple[FormView, ...]
    laws: tuple[CountryLaws, ...]
    evidence: tuple[EvidenceView, ...]
    custody: tuple[CustodyView, ...]
    custody_verified: bool
    custody_intro: str
    notes: tuple[NoteView, ...]
    steps: tuple[StepGroup, ...]
    help: tuple[CountryHelp, ...]


def _local_time(dt: datetime) -> str:
    """A chat time as the export shows it; aware times keep their UTC offset."""
    out = dt.strftime("%Y-%m-%d %H:%M:%S")
    offset = dt.utcoffset()
    if offset is None:
        return out
    if not offset:
        return out + " UTC"
    return out + " UTC" + dt.strftime("%z")[:3] + ":" + dt.strftime("%z")[3:]


def _utc_time(dt: datetime) -> str:
    """A time Tumar recorded itself: UTC (naive values are already UTC by the model's contract)."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def _span(first: datetime | None, last: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if first is None and last is None:
        return ""
    a = first.strftime(fmt) if first else ""
    b = last.strftime(fmt) if last else ""
    return a if a == b or not b else f"{a} — {b}"


def _size(size: int, lang: str) -> str:
    grouped = f"{size:,}"
    if lang != "en":
        grouped = grouped.replace(",", "\u00a0")
    return f"{grouped}\u00a0{strings.text('bytes', lang)}"


def _label(prefix: str, value: str, lang: str) -> str:
    """The localized word for a machine name (evidence kind, custody action), or the name itself if new."""
    key = f"{prefix}_{value}"
    return strings.text(key, lang) if key in strings.KEYS else value


def form_counts(data: ReportData) -> list[tuple[str, int]]:
    """The case's forms with the number of messages each was found in: ``data.forms`` order first, then any
    form found only in the messages, most frequent first."""
    counts: Counter[str] = Counter()
    for message in data.messages:
        counts.update({f.form for f in message.findings})
    order = list(dict.fromkeys(data.forms))
    order += sorted(set(counts) - set(order), key=lambda f: (-counts[f], f))
    return [(form_id, counts[form_id]) for form_id in order]


def _message(kb: KnowledgeBase, message: ReportMessage, lang: str) -> MessageView:
    return MessageView(
        date=_local_time(message.date),
        chat=message.chat,
        sender=message.sender or strings.text("unknown_sender", lang),
        text=message.text,
        reference=strings.text("message_ref", lang).format(item=message.item_id, message=message.message_id),
        urgent=message.urgent,
        findings=tuple(
            FindingView(
                form_name=kb.form(f.form).t(lang).name,
                confidence=f"{f.confidence:.0%}",
                explanation=f.explanation,
                cues=f.cues,
            )
            for f in message.findings
        ),
    )


def _laws(kb: KnowledgeBase, form_ids: Iterable[str], country: str, lang: str) -> tuple[LawView, ...]:
    related: dict[str, list[str]] = {}
    laws: dict[str, Law] = {}
    for form_id in form_ids:
        for law in kb.laws_for(form_id, country):
            laws.setdefault(law.id, law)
            related.setdefault(law.id, []).append(kb.form(form_id).t(lang).name)
    return tuple(
        LawView(
            line=law_line(law, lang), relates_to=", ".join(related[law_id]), verify=law.verify_with_lawyer
        )
        for law_id, law in laws.items()
    )


def _custody(row: CustodyRow, lang: str) -> CustodyView:
    return CustodyView(
        seq=row.seq,
        at=_utc_time(row.at),
        actor=row.actor,
        action=_label("action", row.action, lang),
        details=row.details,
        item_id=row.item_id or "",
        hash_prefix=row.hash[:HASH_PREFIX],
        prev_prefix=row.prev_hash[:HASH_PREFIX],
    )


def _steps(kb: KnowledgeBase, form_ids: Iterable[str], lang: str) -> tuple[StepGroup, ...]:
    groups = [StepGroup(title=kb.form(f).t(lang).name, steps=kb.form(f).t(lang).what_to_do) for f in form_ids]
    general = kb.sections["what_to_do"]
    groups.append(
        StepGroup(
            title=general.title.get(lang),
            steps=general.points.get(lang) if general.points else (),
            body=general.body.get(lang),
        )
    )
    return tuple(groups)


def _help(kb: KnowledgeBase, country: str, lang: str) -> CountryHelp:
    return CountryHelp(
        country=country,
        name=t(f"country_{country}", lang),
        services=tuple(
            HelpView(name=h.name.get(lang), contact=h.contact or "", notes=h.notes.get(lang), source=h.source)
            for h in kb.help_for(country)
        ),
    )


def _check_countries(countries: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [c for c in countries if c not in COUNTRIES]
    if unknown:
        raise InputError(f"report: unknown country {unknown[0]!r} in countries: use {' or '.join(COUNTRIES)}")
    return tuple(dict.fromkeys(countries))


def build_view(data: ReportData, lang: str, kb: KnowledgeBase) -> ReportView:
    """Everything the report says, in ``lang``, in reading order."""
    lang = check_language(lang)
    countries = _check_countries(data.countries)
    counted = form_counts(data)
    form_ids = [form_id for form_id, _ in counted]
    labels = {k: strings.text(k, lang) for k in strings.KEYS} | {k: t(k, lang) for k in SHARED_KEYS}
    return ReportView(
        lang=lang,
        labels=labels,
        page_label=strings.text("page_label", lang),
        case_id=data.case_id,
        title=data.title,
        created_at=_utc_time(data.created_at),
        generated_at=_utc_time(data.generated_at),
        urgent=data.urgent or any(m.urgent for m in data.messages),
        period=_span(*data.period, fmt="%Y-%m-%d") if data.period else "",
        message_count=data.message_count,
        abusive_count=len(data.messages),
        abuser=data.abuser or strings.text("not_identified", lang),
        description=data.description,
        extra=tuple(data.extra.items()),
        form_counts=tuple(FormCount(f, kb.form(f).t(lang).name, n) for f, n in counted),
        patterns=tuple(PatternView(p.description, _span(p.first, p.last)) for p in data.patterns),
        messages=tuple(_message(kb, m, lang) for m in data.messages),
        forms=tuple(FormView(f, kb.form(f).t(lang).name, kb.form(f).t(lang).definition) for f in form_ids),
        laws=tuple(CountryLaws(c, t(f"country_{c}", lang), _laws(kb, form_ids, c, lang)) for c in countries),
        evidence=tuple(
            EvidenceView(
                item_id=e.item_id,
                kind=_label("kind", e.kind, lang),
                name=e.name,
                sha256=e.sha256,
                size=_size(e.size, lang),
                acquired_at=_utc_time(e.acquired_at),
                source=e.source,
            )
            for e in data.evidence
        ),
        custody=tuple(_custody(row, lang) for row in data.custody),
        custody_verified=data.custody_verified,
        custody_intro=strings.text("custody_intro", lang).format(n=HASH_PREFIX),
        notes=tuple(NoteView(_utc_time(n.at), n.author, n.text) for n in data.notes),
        steps=_steps(kb, form_ids, lang),
        help=tuple(_help(kb, c, lang) for c in countries),
    )
