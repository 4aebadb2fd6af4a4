"""Personal data that doxxing exposes: phones, e-mails, KZ IIN, KG PIN, passports, cards, IBANs, addresses,
schools, workplaces, handles, links and names. Validation hooks (checksums, dates) keep false alarms down."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import phonenumbers

from tumar.analysis.doc import Doc
from tumar.analysis.finding import PiiEntity

Finder = Callable[[str], Iterator[tuple[str, int, int]]]


def iin_is_valid(digits: str) -> bool:
    """Kazakhstan's individual identification number: 12 digits, a birth date and a mod-11 checksum."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    if digits[6] not in "123456" or not _valid_date(digits[0:2], digits[2:4], digits[4:6], None):
        return False
    nums = [int(d) for d in digits]
    check = sum(w * n for w, n in zip(range(1, 12), nums[:11], strict=True)) % 11
    if check == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        check = sum(w * n for w, n in zip(weights, nums[:11], strict=True)) % 11
        if check == 10:
            return False
    return check == nums[11]


def kg_pin_is_valid(digits: str) -> bool:
    """Kyrgyzstan's personal number (ПИН): 14 digits, 1 or 2 for sex, then the birth date DDMMYYYY."""
    if len(digits) != 14 or not digits.isdigit() or digits[0] not in "12":
        return False
    return _valid_date(digits[5:9], digits[3:5], digits[1:3], digits[5:9])


def _valid_date(year: str, month: str, day: str, full_year: str | None) -> bool:
    try:
        y = int(full_year) if full_year else 1900 + int(year)
        date(y, int(month), int(day))
    except ValueError:
        return False
    return 1900 <= y <= 2100


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_is_valid(iban: str) -> bool:
    iban = iban.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


_DIGITS = re.compile(r"(?<![\d+])\d(?:[ -]?\d){11,18}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?\b")
_PASSPORT = re.compile(r"\b(?:AN|AC|ID|N)\s?\d{7,8}\b")
_PASSPORT_DIGITS = re.compile(r"(?i)(?:паспорт|pasport|passport)\w*\D{0,15}(\d{4}\s?\d{6}|\d{9})")
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_.]{2,31}\b")
_URL = re.compile(
    r"(?i)\b(?:https?://\S+|(?:t\.me|instagram\.com|vk\.com|tiktok\.com|facebook\.com|fb\.com|ok\.ru)/[\w./?=&-]+)"
)
_ADDRESS_PARTS = [
    re.compile(
        r"(?i)\b(?:ул\.|улица|улице|улицу|пр-т|проспект\w*|пер\.|переулок)\s*[А-ЯЁӨҮҢA-Z0-9][\w.-]*"
        r"(?:\s+[А-ЯЁӨҮҢ][\w-]*)?(?:,?\s*(?:д\.|дом)?\s*\d+[а-я]?(?:/\d+)?)?"
    ),
    re.compile(
        r"[А-ЯЁӨҮҢӘҒҚҰҺІ][\w-]+\s+(?:көчөсү|көчөсүндө|көчөсүнө|кочосу|кочосунда|көшесі|көшесінде|кошеси|"
        r"көш\.|көч\.)\w*(?:,?\s*\d+[а-я]?(?:/\d+)?)?"
    ),
    re.compile(
        r"(?i)\b(?:\d+\s*-?\s*)?(?:мкр|мкрн|м-н|микрорайон\w*|кичи\s+район\w*|ықшам\s*аудан\w*)\.?"
        r"(?:\s*[А-ЯЁӨҮҢ][\w-]+|\s*\d+)?(?:,?\s*\d+[а-я]?)?"
    ),
    re.compile(r"(?i)\b(?:кв\.?|квартира|кв-ра|үй|уй|дом|д\.|пәтер|батир)\s*№?\s*\d+[а-я]?\b"),
    re.compile(r"(?i)\b(?:\d+\s*-?\s*)?(?:подъезд|подьезд|этаж|кабат|қабат)\s*\d*"),
]
_SCHOOL = [
    re.compile(r"(?i)\b(?:школ[аеуыи]\w*|мектеп\w*|гимнази\w*|лице[йяюе]\w*)\s*(?:№\s*|n\s*)?\d+"),
    re.compile(r"(?i)\b\d+\s*-?\s*(?:школ\w*|мектеп\w*|гимнази\w*|лицей\w*|орто\s+мектеп\w*)"),
    re.compile(
        r"\b(?:КНУ|КГТУ|КРСУ|АУЦА|БГУ|ОшГУ|КГМА|КазНУ|ЕНУ|КБТУ|МУИТ|КИМЭП|КазНМУ|AUCA|KNU|KazNU|ENU|"
        r"SDU|NU)\b"
    ),
    re.compile(r"(?i)\b(?:университет\w*|колледж\w*|институт\w*|академи[яиюе]\w*)\b(?:\s+[А-ЯЁA-Z][\w-]+)?"),
]
_WORKPLACE = [
    re.compile(
        r"(?:работает|работаю|работает в|работает на)\s+(?:в|во|на)\s+[«\"]?[А-ЯЁA-Z][\w«»\" -]{2,30}?"
        r"(?=[,.!?\n]|$)"
    ),
    re.compile(
        r"[«\"]?[А-ЯЁӨҮҢA-Z][\w«»\"-]{2,30}\s*-?(?:да|де|та|те|до|дө|то|тө)\s+"
        r"(?:иштейт|иштейм|иштейсиң|жұмыс\s+істейді|істейді)"
    ),
]
_NAME_CUE = re.compile(
    r"(?i)(?:зовут|имя|аты|атым|есімі|аты-жөнү|аты-жөні|фамилия|name is|her name)\s*[:\-–]?\s*"
    r"([А-ЯЁӨҮҢӘҒҚҰҺІA-Z][\w-]+(?:\s+[А-ЯЁӨҮҢӘҒҚҰҺІA-Z][\w-]+)?)"
)
_FULL_NAME = re.compile(
    r"\b([А-ЯЁӨҮҢӘҒҚҰҺІ][а-яёөүңәғқұһі]+)\s+([А-ЯЁӨҮҢӘҒҚҰҺІ][а-яёөүңәғқұһі]+(?:ова|ева|ёва|ина|ына|кызы|уулы|"
    r"уулу|ов|ев|ин|бекова|бекович|баева|баев))\b"
)


def _regex_finder(kind: str, patterns: list[re.Pattern[str]]) -> Finder:
    def find(text: str) -> Iterator[tuple[str, int, int]]:
        for pattern in patterns:
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    yield kind, m.start(), m.end()

    return find


def _find_digit_ids(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 12 and iin_is_valid(digits):
            yield "iin", m.start(), m.end()
        elif len(digits) == 14 and kg_pin_is_valid(digits):
            yield "pin", m.start(), m.end()
        elif 13 <= len(digits) <= 19 and luhn_is_valid(digits):
            yield "card", m.start(), m.end()


_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,3}\d){6}")


def _find_phones(text: str) -> Iterator[tuple[str, int, int]]:
    if not _SEVEN_DIGITS.search(text):
        return
    seen: set[tuple[int, int]] = set()
    for region in ("KG", "KZ"):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            number = match.number
            digits = sum(ch.isdigit() for ch in match.raw_string)
            if number.country_code not in (996, 7) or len(str(number.national_number)) < 9 or digits > 12:
                continue
            if (match.start, match.end) not in seen:
                seen.add((match.start, match.end))
                yield "phone", match.start, match.end


def _find_iban(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _IBAN.finditer(text):
        if iban_is_valid(m.group()):
            yield "iban", m.start(), m.end()


def _find_passport(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _PASSPORT.finditer(text):
        yield "passport", m.start(), m.end()
    for m in _PASSPORT_DIGITS.finditer(text):
        yield "passport", m.start(1), m.end(1)


def _find_named(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _NAME_CUE.finditer(text):
        yield "person_name", m.start(1), m.end(1)


def _find_full_names(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _FULL_NAME.finditer(text):
        yield "person_name", m.start(), m.end()


def _merge_addresses(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    parts = sorted(f for f in found if f[0] == "address")
    merged: list[tuple[str, int, int]] = []
    for kind, start, end in parts:
        if merged and start - merged[-1][2] <= 3:
            merged[-1] = (kind, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((kind, start, end))
    return [f for f in found if f[0] != "address"] + merged


@dataclass(frozen=True)
class _Gate:
    """When a finder is worth running: a digit in the text (``digit``) and/or one of ``words`` in the
    lower-cased text. Every match of the finder's patterns contains them, so the gate changes no result; it
    only spares the case-insensitive patterns on the many messages that cannot match."""

    words: tuple[str, ...] = ()
    digit: bool = False

    @cached_property
    def _words(self) -> re.Pattern[str] | None:
        return re.compile("|".join(map(re.escape, self.words))) if self.words else None

    def opens(self, lowered: str, has_digit: bool) -> bool:
        if self.digit and not has_digit:
            return False
        return self._words is None or self._words.search(lowered) is not None


_ALWAYS = _Gate()
_DIGIT = _Gate(digit=True)


def _gated(
    kind: str, patterns: list[re.Pattern[str]], gates: tuple[_Gate, ...]
) -> tuple[tuple[str, Finder, _Gate], ...]:
    """One finder per pattern, each behind its own gate."""
    return tuple(
        (kind, _regex_finder(kind, [pattern]), gate) for pattern, gate in zip(patterns, gates, strict=True)
    )


_ADDRESS_GATES = (
    _Gate(("ул.", "улиц", "пр-т", "проспект", "пер.", "переулок")),
    _Gate(("көч", "коч", "көш", "кош")),
    _Gate(("мкр", "м-н", "микрорайон", "кичи", "ықшам")),
    _Gate(("кв", "үй", "уй", "дом", "д.", "пәтер", "батир"), digit=True),
    _Gate(("подъезд", "подьезд", "этаж", "кабат", "қабат")),
)
_UNIVERSITIES = (
    "кну", "кгту", "крсу", "ауца", "бгу", "ошгу", "кгма", "казну", "ену", "кбту", "муит", "кимэп", "казнму", "auca",
    "knu", "kaznu", "enu", "sdu", "nu",
)  # fmt: skip
_SCHOOL_GATES = (
    _Gate(("школ", "мектеп", "гимнази", "лице"), digit=True),
    _Gate(("школ", "мектеп", "гимнази", "лице"), digit=True),
    _Gate(_UNIVERSITIES),
    _Gate(("университет", "колледж", "институт", "академи")),
)
_WORKPLACE_GATES = (_Gate(("работа",)), _Gate(("иштей", "жұмыс", "істейді")))

# Order matters: earlier finders win overlaps (a valid IIN is not also a phone number).
FINDERS: tuple[tuple[str, Finder, _Gate], ...] = (
    ("digit_ids", _find_digit_ids, _DIGIT),
    ("iban", _find_iban, _DIGIT),
    ("email", _regex_finder("email", [_EMAIL]), _Gate(("@",))),
    (
        "url",
        _regex_finder("url", [_URL]),
        _Gate(("://", "t.me", "instagram.com", "vk.com", "tiktok.com", "facebook.com", "fb.com", "ok.ru")),
    ),
    ("phone", _find_phones, _DIGIT),
    ("passport", _find_passport, _DIGIT),
    ("social_handle", _regex_finder("social_handle", [_HANDLE]), _Gate(("@",))),
    *_gated("address", _ADDRESS_PARTS, _ADDRESS_GATES),
    *_gated("school", _SCHOOL, _SCHOOL_GATES),
    *_gated("workplace", _WORKPLACE, _WORKPLACE_GATES),
    ("person_name", _find_named, _Gate(("зовут", "имя", "аты", "есімі", "фамилия", "name is", "her name"))),
    ("person_name", _find_full_names, _ALWAYS),
)
_QUICK = re.compile(r"\d|@|[A-ZА-ЯЁӨҮҢӘҒҚҰҺІ]|://|\.(?:me|com|ru|kz|kg)/")
_ANY_DIGIT = re.compile(r"\d")


def find_pii(doc: Doc, *, gates: bool = True) -> tuple[PiiEntity, ...]:
    """All personal data in ``doc``, non-overlapping, in text order. ``gates=False`` runs every pattern on
    every text (the same result, slower; for tests of the gates)."""
    text = doc.text
    if not _QUICK.search(text):
        return ()
    lowered = text.lower()
    has_digit = bool(_ANY_DIGIT.search(text))
    found: list[tuple[str, int, int]] = []
    for _, finder, gate in FINDERS:
        if not gates or gate.opens(lowered, has_digit):
            found.extend(finder(text))
    found = _merge_addresses(found)
    taken: list[tuple[int, int]] = []
    entities: list[PiiEntity] = []
    for kind, start, end in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        entities.append(PiiEntity(kind, text[start:end].strip(), start, end, f"pii.{kind}"))
    return tuple(sorted(entities, key=lambda e: e.start))
