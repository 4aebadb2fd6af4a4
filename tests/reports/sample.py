"""A fictional case for report tests (and for anyone who needs a realistic :class:`ReportData`).

Айпери, from Bishkek, left Бекзат in February. Since then he writes every day on Telegram — insults, demands for
her passwords, threats to send her intimate photos to her family and her course group, messages showing that he
knows where she lives and works. His friend Канат in Almaty writes to her on WhatsApp in Kazakh. Every name, place,
message, hash and date here is made up.

The case's own words (title, description, messages, notes) are as the users wrote them; what Tumar generates
(finding explanations, pattern descriptions) is in the report's language, as the evidence locker would give it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tumar.reports.model import (
    CustodyRow,
    EvidenceRow,
    NoteRow,
    ReportData,
    ReportFinding,
    ReportMessage,
    ReportPattern,
)

__all__ = [
    "KAZAKH_MESSAGE",
    "KYRGYZ_MESSAGE",
    "long_report",
    "sample_report",
]

KYRGYZ_MESSAGE = "Сүрөттөрүңдү бардыгына жиберем, апаңа да көрсөтөм. Ошондо көрөсүң кимге кеттиң"
KAZAKH_MESSAGE = (
    "Гауһар маған бәрін айтты. Суреттерің менде, Бекзатқа қайт, әйтпесе бүкіл топқа жіберем, ұят болады ғой"
)

# Why Tumar flagged a message, per form, in each report language.
_WHY: dict[str, dict[str, str]] = {
    "sextortion": {
        "ky": "Интимдик сүрөттөрдү таратам деп коркутуп, талабын аткарууга мажбурлайт.",
        "ru": "Угрожает разослать интимные фото, чтобы заставить выполнить требование.",
        "kk": "Интимдік суреттерді таратамын деп қорқытып, талабын орындауға мәжбүрлейді.",
        "en": "Threatens to send out intimate photos to force her to do what he wants.",
    },
    "slut_shaming": {
        "ky": "Сексуалдык жүрүм-туруму үчүн уяткарып, кордойт.",
        "ru": "Оскорбляет, стыдя её за сексуальность.",
        "kk": "Жыныстық мінез-құлқы үшін ұялтып, қорлайды.",
        "en": "Insults her by shaming her sexuality.",
    },
    "online_harassment": {
        "ky": "Жазышууда кайра-кайра кордоп, басым көрсөтөт.",
        "ru": "Раз за разом оскорбляет и давит в переписке.",
        "kk": "Хат алмасуда қайта-қайта қорлап, қысым көрсетеді.",
        "en": "Insults and pressures her again and again in the chat.",
    },
    "digital_control": {
        "ky": "Аккаунттарынын сыр сөздөрүн талап кылат.",
        "ru": "Требует пароли от её аккаунтов.",
        "kk": "Аккаунттарының құпиясөздерін талап етеді.",
        "en": "Demands the passwords to her accounts.",
    },
    "cyberstalking": {
        "ky": "Анын кайда жүргөнүн аңдып турганын билдирет.",
        "ru": "Даёт понять, что следит за её перемещениями.",
        "kk": "Оның қайда жүргенін аңдып жүргенін білдіреді.",
        "en": "Makes it clear he is tracking where she goes.",
    },
    "doxxing": {
        "ky": "Анын дарегин же иштеген жерин атайт.",
        "ru": "Называет её адрес или место работы.",
        "kk": "Оның мекенжайын немесе жұмыс орнын атайды.",
        "en": "Names her home address or workplace.",
    },
}

_PATTERNS: dict[str, dict[str, str]] = {
    "contact_after_refusal": {
        "ky": "Айпери 3-мартта жазбай кой деп суранганына карабай, Бекзат жаза берди: кийинки 5 күндө 41 билдирүү.",
        "ru": "Бекзат продолжал писать после того, как 3 марта Айпери попросила его прекратить: "
        "41 сообщение за следующие 5 дней.",
        "kk": "Айпери 3 наурызда жазуды доғаруды сұрағанына қарамастан, Бекзат жаза берді: "
        "келесі 5 күнде 41 хабарлама.",
        "en": "Бекзат kept writing after Айпери asked him to stop on 3 March: 41 messages over the next 5 days.",
    },
    "night_flood": {
        "ky": "9-марттын түнүндө саат 01:58ден 03:41ге чейин 23 билдирүү.",
        "ru": "23 сообщения с 01:58 до 03:41 в ночь на 9 марта.",
        "kk": "9 наурыз түні сағат 01:58-ден 03:41-ге дейін 23 хабарлама.",
        "en": "23 messages between 01:58 and 03:41 on the night of 9 March.",
    },
    "escalation": {
        "ky": "Билдирүүлөр кордоодон (2-март) интимдик сүрөттөрдү таратам деген коркутууларга (5–8-март), "
        "андан жумуштан кийин аңдууга (10-март) өттү.",
        "ru": "Сообщения перешли от оскорблений (2 марта) к угрозам разослать интимные фото (5–8 марта) "
        "и к слежке после работы (10 марта).",
        "kk": "Хабарламалар қорлаудан (2 наурыз) интимдік суреттерді таратамын деген қорқытуға (5–8 наурыз), "
        "одан жұмыстан кейін аңдуға (10 наурыз) ұласты.",
        "en": "The messages moved from insults (2 March) to threats to share intimate photos (5–8 March) "
        "and to following her after work (10 March).",
    },
}

_TG = "Бекзат"
_WA = "Канат Алматы"

# (date, chat, sender, text, ((form, confidence, cues), ...), urgent)
_MESSAGES: tuple[
    tuple[datetime, str, str, str, tuple[tuple[str, float, tuple[str, ...]], ...], bool], ...
] = (
    (
        datetime(2026, 3, 2, 23, 14, 5),
        _TG,
        "Бекзат",
        "Ты думала я не узнаю? Кому ты нужна такая, все знают какая ты шалава",
        (("slut_shaming", 0.91, ("шалава",)), ("online_harassment", 0.74, ("кому ты нужна",))),
        False,
    ),
    (
        datetime(2026, 3, 4, 1, 12, 40),
        _TG,
        "Бекзат",
        "Скинь пароль от инсты и телеги. Мне скрывать нечего, а тебе??\nНе скинешь до утра — сам зайду",
        (("digital_control", 0.88, ("скинь пароль",)),),
        False,
    ),
    (
        datetime(2026, 3, 5, 19, 3, 11),
        _TG,
        "Бекзат",
        KYRGYZ_MESSAGE,
        (("sextortion", 0.93, ("сүрөттөрүңдү бардыгына жиберем",)),),
        True,
    ),
    (
        datetime(2026, 3, 6, 8, 47, 0),
        _TG,
        "Бекзат",
        "kayda jurgonundu bilem. Jal 12 mkr, 5-podezd. bugun kara kurtka kiipsin",
        (("cyberstalking", 0.86, ("kayda jurgonundu bilem",)), ("doxxing", 0.62, ("Jal 12 mkr, 5-podezd",))),
        False,
    ),
    (
        datetime(2026, 3, 7, 22, 30, 18),
        _TG,
        "Бекзат",
        "Если до 22:00 завтра не ответишь, фотки уйдут в группу вашего курса. Я не шучу",
        (("sextortion", 0.95, ("фотки уйдут в группу",)),),
        True,
    ),
    (
        datetime(2026, 3, 8, 14, 5, 52),
        _WA,
        "Канат",
        KAZAKH_MESSAGE,
        (("sextortion", 0.89, ("бүкіл топқа жіберем",)),),
        True,
    ),
    (
        datetime(2026, 3, 9, 2, 14, 55),
        _TG,
        "Бекзат",
        "Я знаю где ты работаешь, ТЦ «Дордой Плаза», 3 этаж. И номер твоей мамы у меня есть 😉",
        (("doxxing", 0.90, ("где ты работаешь",)), ("cyberstalking", 0.70, ("я знаю где",))),
        False,
    ),
    (
        datetime(2026, 3, 9, 2, 16, 3),
        _TG,
        "Бекзат",
        "ответь\nответь!!!\nты меня игноришь чтоли",
        (("online_harassment", 0.58, ("ответь!!!",)),),
        False,
    ),
    (
        datetime(2026, 3, 10, 18, 20, 40),
        _TG,
        "Бекзат",
        "Спишь уже? Видел как ты с работы вышла в 18:05, с кем это ты была",
        (("cyberstalking", 0.92, ("видел как ты с работы вышла",)),),
        False,
    ),
    (
        datetime(2026, 3, 11, 21, 44, 9),
        _WA,
        "Канат",
        "Сен өзің кінәлісің, оны қорлап кеттің. Қыз бала осылай істей ме? Бәрі сені сөгеді",
        (("online_harassment", 0.66, ("бәрі сені сөгеді",)), ("slut_shaming", 0.55, ("қыз бала осылай",))),
        False,
    ),
)

_EVIDENCE: tuple[tuple[str, str, str, int, datetime, str], ...] = (
    (
        "EV-0001",
        "chat",
        "result.json",
        2_841_337,
        datetime(2026, 3, 12, 9, 14, 2, tzinfo=UTC),
        r"C:\Users\Aiperi\Downloads\Telegram Desktop\ChatExport_2026-03-12\result.json",
    ),
    (
        "EV-0002",
        "chat",
        "WhatsApp Chat - Канат Алматы.zip",
        1_204_877,
        datetime(2026, 3, 12, 9, 20, 45, tzinfo=UTC),
        "web upload",
    ),
    (
        "EV-0003",
        "screenshot",
        "Screenshot_20260309-021455_Telegram.jpg",
        412_903,
        datetime(2026, 3, 12, 9, 31, 10, tzinfo=UTC),
        "web upload",
    ),
    (
        "EV-0004",
        "file",
        "audio_2026-03-09_02-20-31.ogg",
        88_412,
        datetime(2026, 3, 12, 9, 33, 58, tzinfo=UTC),
        r"C:\Users\Aiperi\Downloads\Telegram Desktop\ChatExport_2026-03-12\voice_messages",
    ),
    (
        "EV-0005",
        "message",
        "Сообщение от Бекзата в Instagram",
        214,
        datetime(2026, 3, 12, 9, 40, 3, tzinfo=UTC),
        "pasted text",
    ),
)

_NOTES: tuple[tuple[datetime, str, str], ...] = (
    (
        datetime(2026, 3, 10, 13, 2, tzinfo=UTC),
        "aiperi",
        "9-мартта кечинде Бекзат жумуштун жанында күтүп турду, кара Камри. "
        "Кесиптешим Жылдыз көрдү, күбө боло алат.",
    ),
    (
        datetime(2026, 3, 12, 10, 5, tzinfo=UTC),
        "advocate.osmonova",
        "Рекомендовано подать заявление в Октябрьское РУВД г. Бишкек; "
        "скриншоты переписки заверить у нотариуса до подачи.",
    ),
)


def _sha256(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def _custody(evidence: tuple[EvidenceRow, ...]) -> tuple[CustodyRow, ...]:
    """A hash chain like the locker's: each entry's hash covers its fields and the previous hash."""
    events: list[tuple[datetime, str, str, str | None, str]] = [
        (datetime(2026, 3, 12, 9, 10, 0, tzinfo=UTC), "aiperi", "case_created", None, "")
    ]
    events += [(e.acquired_at, "aiperi", "item_added", e.item_id, f"sha256={e.sha256}") for e in evidence]
    events += [
        (datetime(2026, 3, 12, 9, 50, 12, tzinfo=UTC), "aiperi", "note_added", None, "note 1"),
        (datetime(2026, 3, 12, 10, 2, 40, tzinfo=UTC), "advocate.osmonova", "viewed", None, ""),
        (datetime(2026, 3, 12, 10, 5, 30, tzinfo=UTC), "advocate.osmonova", "note_added", None, "note 2"),
        (
            datetime(2026, 3, 12, 10, 11, 0, tzinfo=UTC),
            "advocate.osmonova",
            "report_written",
            None,
            "pdf, ru",
        ),
    ]
    rows: list[CustodyRow] = []
    prev = "0" * 64
    for seq, (at, actor, action, item_id, details) in enumerate(events, start=1):
        payload = {"seq": seq, "at": at.isoformat(), "actor": actor, "action": action}
        payload |= {"item": item_id, "details": details, "prev": prev}
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        rows.append(CustodyRow(seq, at, actor, action, item_id, details, prev, digest))
        prev = digest
    return tuple(rows)


def _message(index: int, spec: tuple, lang: str, shift: timedelta = timedelta()) -> ReportMessage:
    date, chat, sender, text, findings, urgent = spec
    item = "EV-0001" if chat == _TG else "EV-0002"
    return ReportMessage(
        item_id=item,
        message_id=str(1800 + index) if chat == _TG else f"L{340 + 3 * index}",
        chat=chat,
        date=date + shift,
        sender=sender,
        text=text,
        findings=tuple(ReportFinding(form, conf, _WHY[form][lang], cues) for form, conf, cues in findings),
        urgent=urgent,
    )


def sample_report(lang: str = "ru") -> ReportData:
    """The fictional case with ten abusive messages, five evidence items, a custody chain and two notes."""
    evidence = tuple(
        EvidenceRow(item_id, kind, name, _sha256(item_id, name, str(size)), size, at, source)
        for item_id, kind, name, size, at, source in _EVIDENCE
    )
    messages = tuple(_message(i, spec, lang) for i, spec in enumerate(_MESSAGES))
    return ReportData(
        case_id="KG-2026-0312-7F3A",
        title="Бекзат — угрозы и слежка после расставания",
        created_at=datetime(2026, 3, 12, 9, 10, 0, tzinfo=UTC),
        generated_at=datetime(2026, 3, 12, 10, 11, 0, tzinfo=UTC),
        description=(
            "Бывший парень Бекзат после расставания в феврале пишет каждый день, угрожает разослать фото. "
            "Его друг Канат из Алматы тоже пишет в WhatsApp.\n9 марта Бекзат ждал меня у работы."
        ),
        forms=(
            "sextortion",
            "cyberstalking",
            "online_harassment",
            "doxxing",
            "slut_shaming",
            "digital_control",
        ),
        urgent=True,
        abuser="Бекзат",
        messages=messages,
        patterns=(
            ReportPattern(
                "contact_after_refusal",
                _PATTERNS["contact_after_refusal"][lang],
                41,
                datetime(2026, 3, 3, 10, 2),
                datetime(2026, 3, 8, 23, 50),
                "Бекзат",
            ),
            ReportPattern(
                "night_flood",
                _PATTERNS["night_flood"][lang],
                23,
                datetime(2026, 3, 9, 1, 58),
                datetime(2026, 3, 9, 3, 41),
                "Бекзат",
            ),
            ReportPattern(
                "escalation", _PATTERNS["escalation"][lang], 3, datetime(2026, 3, 2), datetime(2026, 3, 10)
            ),
        ),
        evidence=evidence,
        custody=_custody(evidence),
        custody_verified=True,
        notes=tuple(NoteRow(at, author, text) for at, author, text in _NOTES),
        countries=("KG", "KZ"),
        message_count=1284,
        period=(datetime(2026, 2, 20, 9, 12), datetime(2026, 3, 11, 21, 44)),
    )


def long_report(lang: str = "ru", n: int = 200) -> ReportData:
    """The same case with ``n`` abusive messages: the ten repeated, a day later each round."""
    messages = tuple(
        _message(i, _MESSAGES[i % len(_MESSAGES)], lang, timedelta(days=i // len(_MESSAGES)))
        for i in range(n)
    )
    messages = tuple(sorted(messages, key=lambda m: m.date))
    last = messages[-1].date if messages else datetime(2026, 3, 11, 21, 44)
    return replace(
        sample_report(lang),
        messages=messages,
        message_count=12 * n,
        period=(datetime(2026, 2, 20, 9, 12), last),
    )
