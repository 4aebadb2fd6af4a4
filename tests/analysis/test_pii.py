"""Personal-data recognizers: one case per line — text, expected (type, text) pairs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from tumar.analysis.doc import Doc
from tumar.recognizers.pii import find_pii, iban_is_valid, iin_is_valid, kg_pin_is_valid, luhn_is_valid

CASES = [
    ("Вот её номер +996 555 12 34 56, звоните ей ночью", [("phone", "+996 555 12 34 56")]),
    ("номери 0700 123 456 экен", [("phone", "0700 123 456")]),
    ("пиши ей 8 701 234 56 78", [("phone", "8 701 234 56 78")]),
    ("+7 (727) 250-11-22 рабочий", [("phone", "+7 (727) 250-11-22")]),
    ("ИИН 900101300017", [("iin", "900101300017")]),
    ("ИИН 900101300018", []),  # wrong checksum
    ("ПИН 21504199012345", [("pin", "21504199012345")]),
    ("ПИН 21599199012345", []),  # no 15th month
    ("карта 4111 1111 1111 1111", [("card", "4111 1111 1111 1111")]),
    ("карта 4111 1111 1111 1112", []),  # fails Luhn
    ("счет KZ86125KZT5004100100", [("iban", "KZ86125KZT5004100100")]),
    ("мой email aizhan.k@mail.ru", [("email", "aizhan.k@mail.ru")]),
    ("инстасы @aizhan_k", [("social_handle", "@aizhan_k")]),
    ("канал t.me/bishkek_girls_leaks", [("url", "t.me/bishkek_girls_leaks")]),
    ("паспорт AN1234567 берип кой", [("passport", "AN1234567")]),
    ("Ахунбаев көчөсү 12, кв. 45 жашайт", [("address", "Ахунбаев көчөсү 12, кв. 45")]),
    ("живет на ул. Киевская 77, кв 3", [("address", "ул. Киевская 77, кв 3")]),
    ("Абай көшесі 10 үйде тұрады", [("address", "Абай көшесі 10")]),
    ("5 мкр, дом 14", [("address", "5 мкр, дом 14")]),
    ("учится в школе №61", [("school", "школе №61")]),
    ("61-мектепте окуйт", [("school", "61-мектепте")]),
    ("ее зовут Айгерим Сапарова", [("person_name", "Айгерим Сапарова")]),
    ("салам, кандайсын?", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pii(text, expected):
    assert [(p.type, p.text) for p in find_pii(Doc(text))] == expected


def test_spans_point_into_the_text():
    text = "номер +996 555 12 34 56 и адрес ул. Киевская 77"
    for p in find_pii(Doc(text)):
        assert text[p.start : p.end].strip() == p.text


@pytest.mark.parametrize(
    ("check", "value", "ok"),
    [
        (iin_is_valid, "900101300017", True),
        (iin_is_valid, "12345", False),
        (kg_pin_is_valid, "11201198500123", True),
        (kg_pin_is_valid, "31201198500123", False),
        (luhn_is_valid, "79927398713", True),
        (luhn_is_valid, "79927398710", False),
        (iban_is_valid, "KZ86125KZT5004100100", True),
        (iban_is_valid, "KZ86125KZT5004100101", False),
    ],
)
def test_validation_hooks(check, value, ok):
    assert check(value) is ok


def test_gates_change_no_result():
    """The cheap gates before the personal-data patterns skip only patterns that could not have matched."""
    texts = [text for text, _ in CASES]
    for path in sorted((REPO / "training" / "corpus").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts += ["УЛ. КИЕВСКАЯ 7, КВ. 3", "Её ЗОВУТ Алия", "PASSPORT N 12345678", "https://t.me/x 5 МКР дом 4"]
    found = 0
    for text in texts:
        doc = Doc(text)
        gated = find_pii(doc)
        assert gated == find_pii(doc, gates=False), text
        found += len(gated)
    assert found > 300
