"""The bot's answers as Telegram HTML, in the reader's language, built from library results.

Pure functions over the knowledge base, the i18n catalogue and analysis results: no Telegram types, no
state. Every text that is not markup is escaped (:func:`~.replies.esc`); facts (help-line numbers, laws) come
from the knowledge base only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tumar.analysis.finding import Analysis, Finding
from tumar.chats.conversation import ConversationAnalysis, ConversationMessage
from tumar.chats.wording import describe, label, when
from tumar.i18n import t
from tumar.interfaces.bot.replies import Button, bold, esc
from tumar.knowledge.booklet import law_line
from tumar.knowledge.loader import KnowledgeBase
from tumar.knowledge.models import Form, HelpService
from tumar.knowledge.selfcheck import Assessment, SelfCheck

__all__ = [
    "TIMELINE_SHOWN",
    "analysis_html",
    "assessment_html",
    "call_now",
    "conversation_html",
    "countries",
    "form_buttons",
    "form_html",
    "forms_html",
    "help_html",
    "question_html",
    "tr",
]

TIMELINE_SHOWN = 10  # abusive messages of a chat listed in the summary
PLAN_FORMS = 3  # forms whose own steps the self-check result lists
_CUE_CHARS = 80
_TEXT_CHARS = 120
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«\"(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3, "urgent": 4}


def tr(key: str, lang: str, **values: object) -> str:
    """The catalogue string ``key`` in ``lang``, escaped, with ``{name}`` placeholders filled (escaped)."""
    text = esc(t(key, lang))
    for name, value in values.items():
        text = text.replace("{" + name + "}", esc(value))
    return text


def countries(lang: str) -> tuple[str, str]:
    """Kazakhstan first for a Kazakh reader, Kyrgyzstan first otherwise."""
    return ("KZ", "KG") if lang == "kk" else ("KG", "KZ")


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]


def _bullets(items: Iterable[str], mark: str = "•") -> str:
    return "\n".join(f"{mark} {esc(item)}" for item in items)


def _numbered(items: Sequence[str]) -> str:
    return "\n".join(f"{i}. {esc(item)}" for i, item in enumerate(items, 1))


# ---- help ------------------------------------------------------------------------------------------------
def call_now(services: Sequence[HelpService], lang: str) -> str:
    """The contacts to call at once, one line per country, exactly as the knowledge base gives them."""
    lines = [bold(t("bot_call_now", lang))]
    for country in countries(lang):
        contacts = [
            f"{esc(h.name.get(lang))}: {bold(h.contact)}"
            for h in services
            if h.country == country and h.contact
        ]
        if contacts:
            lines.append(f"{esc(t('country_' + country, lang))}: " + "; ".join(contacts))
    return "\n".join(lines)


def help_html(kb: KnowledgeBase, lang: str) -> str:
    """Every help service of Kyrgyzstan and Kazakhstan with its contact and notes."""
    blocks = [bold(t("help", lang))]
    for country in countries(lang):
        lines = [bold(t("country_" + country, lang))]
        for service in kb.help_for(country):
            contact = f" — {bold(service.contact)}" if service.contact else ""
            lines.append(f"• {esc(service.name.get(lang))}{contact}\n  {esc(service.notes.get(lang))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ---- one message -----------------------------------------------------------------------------------------
def _lead(kb: KnowledgeBase, findings: Sequence[Finding]) -> Finding:
    """The finding whose steps to show: the most severe form, then the most confident."""
    return max(findings, key=lambda f: (_SEVERITY_RANK[kb.form(f.form).severity], f.confidence))


def analysis_html(kb: KnowledgeBase, result: Analysis, lang: str) -> str:
    """One message's analysis: help contacts first when urgent, then the forms with a short explanation,
    the personal data it exposes and what to do next."""
    blocks: list[str] = []
    if result.urgent:
        blocks += ["⚠️ " + bold(t("urgent_note", lang)), call_now(kb.help_services, lang)]
    blocks.append(f"{bold(t('severity', lang))}: {esc(t('severity_' + result.severity, lang))}")
    if result.findings:
        lines = [bold(t("bot_message_shows", lang))]
        for finding in result.findings:
            text = kb.form(finding.form).t(lang)
            line = f"• {bold(text.name)} — {esc(_first_sentence(text.definition))}"
            if finding.cues:
                cues = ", ".join(f"«{esc(_shorten(c, _CUE_CHARS))}»" for c in finding.cues[:3])
                line += f"\n  <i>{esc(t('bot_cues', lang))}:</i> {cues}"
            lines.append(line)
        blocks.append("\n".join(lines))
    elif not result.urgent:
        blocks.append(f"{tr('no_findings', lang)}\n{tr('bot_nothing_hint', lang)}")
    if result.pii:
        types = dict.fromkeys(p.type for p in result.pii)
        line = f"{bold(t('pii_found', lang))}: " + ", ".join(tr("pii_" + kind, lang) for kind in types)
        if "doxxing" not in result.forms:
            line += "\n" + tr("bot_pii_note", lang)
        blocks.append(line)
    if result.findings:
        steps = kb.form(_lead(kb, result.findings).form).t(lang).what_to_do
    elif result.urgent:
        steps = _general_steps(kb, lang)
    else:
        steps = ()
    if steps:
        blocks.append(f"{bold(t('bot_next_steps', lang))}\n{_numbered(steps)}")
    if result.findings or result.urgent:
        blocks.append(tr("bot_more", lang))
    return "\n\n".join(blocks)


def _general_steps(kb: KnowledgeBase, lang: str) -> tuple[str, ...]:
    """The glossary's own steps: screenshots, then a lawyer and the police (its first point is "recognise")."""
    points = kb.sections["what_to_do"].points
    return points.get(lang)[1:] if points else ()


# ---- a whole chat ----------------------------------------------------------------------------------------
def conversation_html(
    kb: KnowledgeBase,
    result: ConversationAnalysis,
    lang: str,
    *,
    source: str | None = None,
    skipped: int = 0,
) -> str:
    """A chat's summary: help first when urgent, counts, the likely abuser, forms, patterns, the first abusive
    messages and what to do. ``source``: the export's file name (None for a chat pasted into a message);
    ``skipped``: older messages left out of a long chat."""
    blocks: list[str] = []
    if result.urgent:
        blocks += ["⚠️ " + bold(label("urgent", lang)), call_now(kb.help_services, lang)]
    first, last = result.period
    head = [
        bold(label("title", lang, chat=(result.chat or source) if source else t("bot_pasted_chat", lang))),
        esc(
            label(
                "counts",
                lang,
                count=len(result.messages),
                analyzed=result.analyzed,
                first=when(first, lang, year=True),
                last=when(last, lang, year=True),
            )
        ),
    ]
    if skipped:
        head.append(tr("bot_chat_recent", lang, n=len(result.messages)))
    if result.abuser:
        head.append(bold(label("abuser", lang, name=result.abuser)))
    blocks.append("\n".join(head))
    abusive = result.abusive
    if not abusive and not result.forms:
        blocks.append(esc(label("nothing", lang)))
    if result.forms:
        blocks.append(f"{bold(label('forms', lang))}\n" + _bullets(f.explanation for f in result.forms))
    if result.patterns:
        blocks.append(
            f"{bold(label('patterns', lang))}\n" + _bullets(describe(p, lang) for p in result.patterns)
        )
    if abusive:
        lines = [bold(label("timeline", lang))]
        year = bool(first and last and first.year != last.year)
        for message in abusive[:TIMELINE_SHOWN]:
            lines.append(_timeline_line(kb, message, lang, year))
        if len(abusive) > TIMELINE_SHOWN:
            lines.append(tr("bot_more_messages", lang, count=len(abusive) - TIMELINE_SHOWN))
        blocks.append("\n".join(lines))
    if result.forms or result.urgent:
        keep = f"\n{tr('bot_chat_keep', lang)}" if source else ""
        blocks.append(f"{bold(t('bot_next_steps', lang))}\n{_numbered(_general_steps(kb, lang))}{keep}")
        blocks.append(tr("bot_more", lang))
    return "\n\n".join(blocks)


def _timeline_line(kb: KnowledgeBase, message: ConversationMessage, lang: str, year: bool) -> str:
    stamp = when(message.date, lang, year=year) or label("no_date", lang)
    names = [kb.form(f.form).t(lang).name for f in message.findings]
    if message.urgent and not names:
        names = [label("threat", lang)]
    mark = " ⚠️" if message.urgent else ""
    return (
        f"• {esc(stamp)} · {bold(message.sender or '—')}{mark} · <i>{esc(', '.join(names))}</i>\n"
        f"  «{esc(_shorten(message.text, _TEXT_CHARS))}»"
    )


# ---- the glossary ----------------------------------------------------------------------------------------
def forms_html(kb: KnowledgeBase, lang: str) -> str:
    """The 27 forms by group, with how to open one."""
    blocks = [tr("bot_forms_intro", lang)]
    for group in kb.groups.values():
        names = _bullets(f.t(lang).name for f in kb.forms_in_group(group.id))
        blocks.append(f"{bold(group.name.get(lang))}\n{names}")
    return "\n\n".join(blocks)


def form_buttons(forms: Iterable[Form], lang: str, per_row: int = 2) -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(f.t(lang).name, f"form:{f.id}") for f in forms]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def form_html(kb: KnowledgeBase, form: Form, lang: str) -> str:
    """Everything the glossary says about one form that helps to act: definition, red flags, what to do and
    the laws that may apply, with their sources."""
    text = form.t(lang)
    head = (
        f"{bold(text.name)} <i>({esc(form.id)})</i>\n"
        f"{esc(t('group', lang))}: {esc(kb.groups[form.group].name.get(lang))} · "
        f"{esc(t('severity', lang))}: {esc(t('severity_' + form.severity, lang))}\n\n"
        f"{esc(text.definition)}"
    )
    blocks = [
        head,
        f"{bold(t('red_flags', lang))}\n{_bullets(text.red_flags)}",
        f"{bold(t('what_to_do', lang))}\n{_numbered(text.what_to_do)}",
    ]
    laws = kb.laws_for(form.id)
    if laws:
        blocks.append(
            f"{bold(t('laws', lang))}\n{_bullets(law_line(law, lang) for law in laws)}\n"
            f"<i>{esc(t('legal_disclaimer', lang))}</i>"
        )
    if form.related:
        names = ", ".join(kb.form(r).t(lang).name for r in form.related)
        blocks.append(f"{bold(t('related', lang))}: {esc(names)}")
    return "\n\n".join(blocks)


# ---- the self-check --------------------------------------------------------------------------------------
def question_html(selfcheck: SelfCheck, index: int, lang: str) -> str:
    questions = selfcheck.questions
    question = questions[index]
    group = selfcheck.group_of(question.id)
    return (
        f"{tr('bot_question_of', lang, n=index + 1, total=len(questions))} · <i>{esc(group.title.get(lang))}</i>\n\n"
        f"{bold(question.text.get(lang))}"
    )


def assessment_html(kb: KnowledgeBase, result: Assessment, lang: str) -> str:
    """The level and its explanation, the forms the answers point to, then the safety plan: steps, the
    steps of the forms most pointed to, digital hygiene and where to get help."""
    blocks = [f"{bold(result.title)}\n{esc(result.explanation)}"]
    if result.level == "urgent":
        blocks.append(call_now(result.plan.help, lang))
    if result.forms:
        blocks.append(
            f"{bold(t('selfcheck_forms', lang))}\n"
            + "\n".join(
                f"• {bold(m.form.t(lang).name)} — {esc(_first_sentence(m.form.t(lang).definition))}"
                for m in result.forms
            )
        )
    plan = [
        bold("🛡 " + t("safety_plan", lang)),
        f"{bold(t('plan_steps', lang))}\n{_numbered(result.plan.steps)}",
    ]
    for form_id, steps in result.plan.form_steps[:PLAN_FORMS]:
        name = kb.form(form_id).t(lang).name
        plan.append(f"{bold(t('what_to_do', lang) + ': ' + name)}\n{_bullets(steps)}")
    if result.plan.digital_hygiene:
        plan.append(
            f"{bold(kb.sections['digital_hygiene'].title.get(lang))}\n{_bullets(result.plan.digital_hygiene)}"
        )
    blocks.append("\n\n".join(plan))
    if result.level != "urgent":
        blocks.append(call_now(result.plan.help, lang))
    blocks.append(tr("bot_more", lang))
    return "\n\n".join(blocks)
