"""The knowledge base is complete, consistent, and cites only sourced facts."""

from __future__ import annotations

import re

import pytest

from tumar.knowledge.models import ALL_FORM_IDS, FORM_IDS, LANGUAGES

# Forms for which the glossary gives a "КАНДАЙЧА ИШКЕ АШЫРЫЛАТ" list.
GLOSSARY_HOW = (
    "luring_recruitment",
    "grooming",
    "doxxing",
    "cyberstalking",
    "impersonation",
    "digital_control",
    "online_harassment",
    "image_based_abuse",
    "hacking",
)
KY_LETTERS = set("өүң")
KK_LETTERS = set("әғқңөұүһі")


def test_all_27_forms_in_their_groups(kb):
    assert tuple(kb.forms) == ALL_FORM_IDS
    assert len(kb.forms) == 27
    for group, ids in FORM_IDS.items():
        assert {f.id for f in kb.forms_in_group(group)} == set(ids)
    assert set(kb.groups) == set(FORM_IDS)


@pytest.mark.parametrize("form_id", ALL_FORM_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_field_in_every_language(kb, form_id, lang):
    text = kb.form(form_id).t(lang)
    assert text.name.strip()
    assert len(text.aliases) >= 3 and all(a.strip() for a in text.aliases)
    assert len(text.definition) >= 20
    assert text.red_flags and text.what_to_do
    if kb.form(form_id).english_origin:
        assert text.etymology and text.etymology.strip()
    if form_id in GLOSSARY_HOW:
        assert text.how


@pytest.mark.parametrize("form_id", ALL_FORM_IDS)
def test_translations_are_real_translations(kb, form_id):
    form = kb.form(form_id)

    def blob(lang):
        t = form.t(lang)
        return " ".join([t.definition, *t.what_to_do, *t.red_flags]).lower()

    assert KY_LETTERS & set(blob("ky")), "Kyrgyz text without ө ү ң"
    assert KK_LETTERS & set(blob("kk")), "Kazakh text without Kazakh letters"
    assert len({form.t(lang).definition for lang in LANGUAGES}) == 4
    assert re.search(r"[a-z]", form.t("en").definition)


@pytest.mark.parametrize("form_id", ALL_FORM_IDS)
def test_form_texts_carry_no_numbers(kb, form_id):
    """Phone numbers and article numbers come only from the sourced laws and help files."""
    for lang in LANGUAGES:
        t = kb.form(form_id).t(lang)
        for item in (t.definition, *t.how, *t.red_flags, *t.what_to_do):
            assert not re.search(r"\d{3,}", item), (lang, item)


def test_cases_link_existing_forms(kb):
    assert len(kb.cases) == 9
    for case in kb.cases:
        assert case.forms and set(case.forms) <= set(kb.forms)
    linked = {f for c in kb.cases for f in c.forms}
    assert {"doxxing", "cyberstalking", "defamation", "online_misogyny", "impersonation", "hacking"} <= linked


def test_related_forms_exist(kb):
    for form in kb.forms.values():
        assert set(form.related) <= set(kb.forms)


def _table_rows(facts: str, heading: str) -> list[list[str]]:
    section = facts.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows[1:]


def test_every_law_is_in_the_facts_file(kb, facts_text):
    rows = {
        "KG": _table_rows(facts_text, "## Kyrgyzstan (KG)"),
        "KZ": _table_rows(facts_text, "## Kazakhstan (KZ)"),
    }
    assert len(kb.laws) == len(rows["KG"]) + len(rows["KZ"])
    for law in kb.laws.values():
        article = law.article or "—"
        matches = [r for r in rows[law.country] if r[4] == law.source and r[1] == article]
        assert len(matches) == 1, f"{law.id}: no facts row with source {law.source!r} and article {article!r}"
        row = matches[0]
        if law.all_forms:
            assert row[3] == "all"
        elif row[3] in ("—", ""):
            assert law.forms == ()
        else:
            cell = re.sub(r"\([^)]*\)", "", row[3])
            assert set(law.forms) == {f.strip() for f in cell.split(",")}, law.id
        assert row[5].split(" (")[0] == law.confidence, law.id


def test_seed_only_laws_carry_the_verify_note(kb):
    seed_only = [law for law in kb.laws.values() if law.confidence == "seed-only"]
    assert seed_only and all(law.verify_with_lawyer for law in seed_only)


def test_every_help_contact_is_in_the_facts_file(kb, facts_text):
    help_rows = _table_rows(facts_text, "## Where to get help")
    assert len(kb.help_services) == len(help_rows)
    for service in kb.help_services:
        if service.contact:
            assert any(service.contact == row[2] for row in help_rows if row[0] == service.country), (
                service.id
            )


def test_sections_outside_the_a_to_z_list(kb):
    for section_id in (
        "about",
        "unfpa_definition",
        "why_women_and_girls",
        "why_sexualised",
        "partner_red_flags",
        "what_to_do",
        "digital_hygiene",
        "data_security",
        "psychological_health",
    ):
        section = kb.sections[section_id]
        if section.points is not None:
            assert len({len(section.points.get(lang)) for lang in LANGUAGES}) == 1, section_id


def test_unknown_form_suggests_close_ids(kb):
    from tumar import UnknownFormError

    with pytest.raises(UnknownFormError, match="doxxing"):
        kb.form("doxing")
