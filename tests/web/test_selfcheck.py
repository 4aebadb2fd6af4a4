"""The red-flag self-check: its data file, the assessment, and POST /api/v1/assess."""

from __future__ import annotations

import copy

import pytest
import yaml
from pydantic import ValidationError

from tumar.errors import BadRecordError, UnsupportedLanguageError
from tumar.knowledge.models import LANGUAGES
from tumar.knowledge.selfcheck import LEVELS, SelfCheck, assess, check_references, load_selfcheck

SC = load_selfcheck()


def _raw() -> dict:
    from importlib import resources

    text = (resources.files("tumar.knowledge") / "data" / "selfcheck.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# ---- the data ----------------------------------------------------------------------------------------------
def test_questions_cover_control_stalking_and_images(kb):
    forms = {f for q in SC.questions for f in q.forms}
    assert {"digital_control", "cyberstalking", "sextortion", "revenge_porn", "hacking"} <= forms
    assert len(SC.questions) >= 15
    assert [g.id for g in SC.groups] == ["control", "stalking", "images", "safety"]
    assert any(q.urgent for q in SC.questions)
    assert check_references(SC, kb) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_in_every_language(lang):
    texts = [q.text.get(lang) for q in SC.questions] + [g.title.get(lang) for g in SC.groups]
    texts += [lv.title.get(lang) for lv in SC.levels] + [lv.explanation.get(lang) for lv in SC.levels]
    texts += [s.text.get(lang) for s in SC.steps]
    assert all(t.strip() for t in texts)
    assert len(set(q.text.get(lang) for q in SC.questions)) == len(SC.questions)  # no copy-paste left over


def test_questions_are_translations_not_copies():
    for q in SC.questions:
        assert len({q.text.get(lang) for lang in LANGUAGES}) == 4, q.id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["groups"][0]["questions"].append(copy.deepcopy(d["groups"][0]["questions"][0])),
            "duplicate",
        ),
        (lambda d: d["levels"].pop(), "levels must be"),
        (lambda d: d["groups"][0]["questions"][0].update(weight=5), "less than or equal to 3"),
        (lambda d: d["groups"][0]["questions"][0]["text"].pop("kk"), "kk"),
        (lambda d: d["groups"][0]["questions"][0].update(forms=[]), "at least 1"),
        (lambda d: d.update(steps=[s for s in d["steps"] if "none" not in s["levels"]]), "no plan step"),
    ],
)
def test_invalid_question_sets_are_refused(change, message):
    data = _raw()
    change(data)
    with pytest.raises(ValidationError, match=message):
        SelfCheck.model_validate(data)


def test_unknown_forms_and_sections_are_reported(kb):
    data = _raw()
    data["groups"][0]["questions"][0]["forms"] = ["digital_kontrol"]
    data["groups"][0]["hygiene"] = ["no_such_section"]
    problems = check_references(SelfCheck.model_validate(data), kb)
    assert problems == [
        "question reads_chats: form 'digital_kontrol' unknown",
        "group control: section 'no_such_section' unknown",
    ]


# ---- the assessment ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answers", "level", "score"),
    [
        ({"checks_phone": False}, "none", 0),
        ({q.id: False for q in SC.questions}, "none", 0),
        ({"checks_phone": True}, "some", 1),
        ({"checks_phone": True, "questions_followers": True}, "some", 2),
        ({"reads_chats": True, "demands_passwords": False}, "some", 2),
        ({"reads_chats": True, "demands_pins": True}, "serious", 4),
        ({"knows_whereabouts": True}, "serious", 3),
        ({"images_shared": True, "checks_phone": True}, "serious", 4),
        ({"threatens_to_share": True}, "urgent", 3),
        ({"demands_in_exchange": True, "checks_phone": False}, "urgent", 3),
        ({"threats_of_harm": True, "reads_chats": True}, "urgent", 5),
    ],
)
def test_levels(answers, level, score):
    result = assess(answers, "en")
    assert (result.level, result.score) == (level, score)
    assert result.title == SC.level_text(level).title.en
    assert result.level in LEVELS


def test_forms_are_ranked_by_weight_and_name_their_questions(kb):
    answers = {"reads_chats": True, "demands_passwords": True, "demands_pins": True, "account_breakin": True}
    result = assess(answers, "ru")
    assert [m.form.id for m in result.forms] == ["digital_control", "hacking"]
    assert result.forms[0].questions == ("reads_chats", "demands_passwords", "demands_pins")
    assert (result.forms[0].weight, result.forms[1].weight) == (6, 4)
    tie = assess({"reads_chats": True, "account_breakin": True}, "ru")  # equal weight: the glossary's order
    assert [m.form.id for m in tie.forms] == ["hacking", "digital_control"]
    assert result.plan.form_steps == (
        ("digital_control", kb.form("digital_control").t("ru").what_to_do),
        ("hacking", kb.form("hacking").t("ru").what_to_do),
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_safety_plan(kb, lang):
    result = assess({"threatens_to_share": True, "reads_chats": True}, lang)
    plan = result.plan
    assert plan.steps == tuple(s.text.get(lang) for s in SC.steps if "urgent" in s.levels)
    hygiene = kb.sections["digital_hygiene"].points.get(lang) + kb.sections["data_security"].points.get(lang)
    assert plan.digital_hygiene == hygiene
    assert plan.help == kb.help_services
    every = plan.all_steps
    assert len(every) == len(set(every))
    assert set(kb.form("sextortion").t(lang).what_to_do) <= set(every)


def test_no_red_flags_still_gets_hygiene_and_help(kb):
    result = assess({"checks_phone": False}, "kk")
    assert result.forms == ()
    assert result.plan.digital_hygiene == kb.sections["digital_hygiene"].points.get("kk")
    assert result.plan.steps == tuple(s.text.kk for s in SC.steps if "none" in s.levels)


@pytest.mark.parametrize("country", ["KG", "KZ"])
def test_help_narrowed_to_a_country(kb, country):
    assert assess({"reads_chats": True}, "ky", country=country).plan.help == kb.help_for(country)


@pytest.mark.parametrize(
    ("answers", "kwargs", "field"),
    [
        ({}, {}, "answers"),
        ({"reads_chat": True}, {}, "answers.reads_chat"),
        ({"reads_chats": 1}, {}, "answers.reads_chats"),
        ({"reads_chats": "yes"}, {}, "answers.reads_chats"),
        ({"reads_chats": True}, {"country": "UZ"}, "country"),
    ],
)
def test_bad_answers_name_the_field(answers, kwargs, field):
    with pytest.raises(BadRecordError) as caught:
        assess(answers, "en", **kwargs)
    assert caught.value.field == field
    assert repr(field) in str(caught.value)


def test_unknown_language_is_refused():
    with pytest.raises(UnsupportedLanguageError):
        assess({"reads_chats": True}, "uz")


# ---- the API -----------------------------------------------------------------------------------------------
def test_api_selfcheck_lists_the_questions(client):
    body = client.get("/api/v1/selfcheck?lang=ky").json()
    assert [q["id"] for q in body["questions"]] == [q.id for q in SC.questions]
    assert body["questions"][0]["text"] == SC.questions[0].text.ky
    assert [g["id"] for g in body["groups"]] == [g.id for g in SC.groups]


def test_api_assess(client, kb):
    response = client.post(
        "/api/v1/assess", json={"answers": {"knows_whereabouts": True, "checks_phone": True}, "lang": "kk"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "serious" and body["score"] == 4
    assert body["explanation"] == SC.level_text("serious").explanation.kk
    assert [f["id"] for f in body["forms"]] == ["digital_control", "cyberstalking"]
    assert body["forms"][0]["name"] == kb.form("digital_control").t("kk").name
    plan = body["safety_plan"]
    assert set(plan) == {"steps", "digital_hygiene", "help"}
    assert kb.form("cyberstalking").t("kk").what_to_do[0] in plan["steps"]
    assert plan["help"] == [
        {
            "id": h.id,
            "country": h.country,
            "name": h.name.kk,
            "contact": h.contact,
            "notes": h.notes.kk,
            "source": h.source,
            "confidence": h.confidence,
        }
        for h in kb.help_services
    ]


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({}, 422, "body.answers"),
        ({"answers": []}, 422, "body.answers"),
        ({"answers": {}}, 400, "answers"),
        ({"answers": {"nope": True}}, 400, "answers.nope"),
        ({"answers": {"reads_chats": "yes"}}, 422, "body.answers.reads_chats"),
        ({"answers": {"reads_chats": 1}}, 422, "body.answers.reads_chats"),
        ({"answers": {"reads_chats": True}, "lang": "fr"}, 422, "body.lang"),
        ({"answers": {"reads_chats": True}, "country": "RU"}, 422, "body.country"),
        ({"answers": {"reads_chats": True}, "extra": 1}, 422, "body.extra"),
    ],
)
def test_api_assess_errors_name_the_field(client, body, status, named):
    response = client.post("/api/v1/assess", json=body)
    assert response.status_code == status
    assert named in response.json()["error"]
