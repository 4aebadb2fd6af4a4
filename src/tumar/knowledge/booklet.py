"""The whole glossary as a printable booklet in one language (Markdown, HTML or JSON)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Literal

from tumar.i18n import t
from tumar.knowledge.loader import KnowledgeBase
from tumar.knowledge.models import Form, HelpService, Law
from tumar.languages import check_language
from tumar.text.alphabet import sort_key

Format = Literal["md", "html", "json"]
FORMATS: tuple[str, ...] = ("md", "html", "json")

_INTRO_SECTIONS = ("about", "unfpa_definition", "why_women_and_girls", "why_sexualised")
_CLOSING_SECTIONS = (
    "partner_red_flags",
    "what_to_do",
    "digital_hygiene",
    "data_security",
    "psychological_health",
)


@dataclass(frozen=True)
class Block:
    """One element of the booklet: a heading (level 1–3), a paragraph or a bullet list."""

    kind: Literal["h1", "h2", "h3", "p", "ul"]
    text: str = ""
    items: tuple[str, ...] = ()


def forms_in_order(kb: KnowledgeBase, lang: str) -> list[Form]:
    """The 27 forms sorted by their name in the alphabetical order of ``lang``."""
    return sorted(kb.forms.values(), key=lambda f: sort_key(f.t(lang).name, lang))


def law_line(law: Law, lang: str) -> str:
    """One law as a sentence: code, article, what it covers, source and confidence."""
    head = law.code.get(lang)
    if law.article:
        head += f", {t('article', lang)} {law.article}"
    caveat = f" ({t('verify_with_lawyer', lang)})" if law.verify_with_lawyer else ""
    confidence = t(f"confidence_{law.confidence}", lang)
    return (
        f"{head}: {law.summary.get(lang)}{caveat} — {t('source', lang)}: {law.source}; "
        f"{t('confidence', lang).lower()}: {confidence}"
    )


def _form_blocks(kb: KnowledgeBase, form: Form, lang: str) -> list[Block]:
    text = form.t(lang)
    blocks = [
        Block("h3", text.name),
        Block(
            "p",
            f"{t('group', lang)}: {kb.groups[form.group].name.get(lang)}. "
            f"{t('severity', lang)}: {t('severity_' + form.severity, lang)}.",
        ),
        Block("p", f"{t('aliases', lang)}: {', '.join(text.aliases)}"),
    ]
    if text.etymology:
        blocks.append(Block("p", f"{t('etymology', lang)}: {text.etymology}"))
    blocks.append(Block("p", f"{t('definition', lang)}: {text.definition}"))
    for key, items in (("how", text.how), ("red_flags", text.red_flags), ("what_to_do", text.what_to_do)):
        if items:
            blocks += [Block("p", t(key, lang) + ":"), Block("ul", items=items)]
    for case in kb.cases_for(form.id):
        blocks += [
            Block("p", f"{t('cases', lang)}: {case.title.get(lang)}"),
            Block("p", case.story.get(lang)),
        ]
    laws = kb.laws_for(form.id)
    if laws:
        blocks += [
            Block("p", t("laws", lang) + ":"),
            Block("ul", items=tuple(law_line(x, lang) for x in laws)),
        ]
    if form.related:
        names = ", ".join(kb.forms[r].t(lang).name for r in form.related)
        blocks.append(Block("p", f"{t('related', lang)}: {names}"))
    return blocks


def _section_blocks(kb: KnowledgeBase, section_id: str, lang: str, level: Literal["h2", "h3"]) -> list[Block]:
    section = kb.sections[section_id]
    blocks = [Block(level, section.title.get(lang)), Block("p", section.body.get(lang))]
    if section.points is not None:
        blocks.append(Block("ul", items=section.points.get(lang)))
    return blocks


def booklet_blocks(kb: KnowledgeBase, lang: str) -> list[Block]:
    """The booklet's content, in reading order."""
    lang = check_language(lang)
    blocks = [Block("h1", t("booklet_title", lang))]
    for section_id in _INTRO_SECTIONS:
        blocks += _section_blocks(kb, section_id, lang, "h2")
    blocks.append(Block("h2", t("classification", lang)))
    for group in kb.groups.values():
        names = sorted((f.t(lang).name for f in kb.forms_in_group(group.id)), key=lambda n: sort_key(n, lang))
        blocks += [
            Block("h3", group.name.get(lang)),
            Block("p", group.description.get(lang)),
            Block("ul", items=tuple(names)),
        ]
    blocks.append(Block("h2", t("a_to_z", lang)))
    for form in forms_in_order(kb, lang):
        blocks += _form_blocks(kb, form, lang)
    for section_id in _CLOSING_SECTIONS:
        blocks += _section_blocks(kb, section_id, lang, "h2")
    blocks.append(Block("h2", t("help", lang)))
    for country in ("KG", "KZ"):
        items = tuple(
            f"{h.name.get(lang)}" + (f" — {h.contact}" if h.contact else "") + f". {h.notes.get(lang)} "
            f"({t('source', lang)}: {h.source})"
            for h in kb.help_for(country)
        )
        blocks += [Block("h3", t(f"country_{country}", lang)), Block("ul", items=items)]
    blocks.append(Block("p", t("legal_disclaimer", lang)))
    return blocks


def render_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            out.append("#" * int(block.kind[1]) + " " + block.text)
        elif block.kind == "p":
            out.append(block.text)
        else:
            out.append("\n".join(f"- {item}" for item in block.items))
        out.append("")
    return "\n".join(out)


_CSS = """body{font-family:"DejaVu Sans",sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5;
color:#1b1b1b}h1{font-size:1.8em}h2{border-bottom:2px solid #7a1f3d;margin-top:2em}h3{color:#7a1f3d;
margin-top:1.6em;page-break-after:avoid}@media print{h2{page-break-before:always}}"""


def render_html(blocks: list[Block], lang: str) -> str:
    body: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            body.append(f"<{block.kind}>{html.escape(block.text)}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{html.escape(block.text)}</p>")
        else:
            body.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items) + "</ul>")
    title = html.escape(blocks[0].text) if blocks else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def booklet_json(kb: KnowledgeBase, lang: str) -> dict[str, Any]:
    """The booklet as structured data: forms in alphabetical order with everything said about them."""
    lang = check_language(lang)

    def form_json(form: Form) -> dict[str, Any]:
        text = form.t(lang)
        return {
            "id": form.id,
            "group": form.group,
            "severity": form.severity,
            **text.model_dump(),
            "related": list(form.related),
            "cases": [
                {"id": c.id, "title": c.title.get(lang), "story": c.story.get(lang)}
                for c in kb.cases_for(form.id)
            ],
            "laws": [law_json(x, lang) for x in kb.laws_for(form.id)],
        }

    return {
        "language": lang,
        "title": t("booklet_title", lang),
        "sections": {
            s.id: {
                "title": s.title.get(lang),
                "body": s.body.get(lang),
                "points": list(s.points.get(lang)) if s.points else [],
            }
            for s in kb.sections.values()
        },
        "groups": [
            {"id": g.id, "name": g.name.get(lang), "forms": [f.id for f in kb.forms_in_group(g.id)]}
            for g in kb.groups.values()
        ],
        "forms": [form_json(f) for f in forms_in_order(kb, lang)],
        "help": [help_json(h, lang) for h in kb.help_services],
        "disclaimer": t("legal_disclaimer", lang),
    }


def help_json(service: HelpService, lang: str) -> dict[str, Any]:
    """A help service as JSON, its contact exactly as the knowledge base has it."""
    return {
        "id": service.id,
        "country": service.country,
        "name": service.name.get(lang),
        "contact": service.contact,
        "notes": service.notes.get(lang),
        "source": service.source,
        "confidence": service.confidence,
    }


def law_json(law: Law, lang: str) -> dict[str, Any]:
    return {
        "id": law.id,
        "country": law.country,
        "code": law.code.get(lang),
        "article": law.article,
        "summary": law.summary.get(lang),
        "source": law.source,
        "confidence": law.confidence,
        "verify_with_lawyer": law.verify_with_lawyer,
    }


def export_booklet(kb: KnowledgeBase, lang: str, fmt: str) -> str:
    """The booklet in ``fmt`` (md, html or json) as text."""
    lang = check_language(lang)
    if fmt == "json":
        return json.dumps(booklet_json(kb, lang), ensure_ascii=False, indent=2) + "\n"
    blocks = booklet_blocks(kb, lang)
    if fmt == "html":
        return render_html(blocks, lang)
    return render_markdown(blocks)
