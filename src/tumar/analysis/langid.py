"""Language identification for Kyrgyz, Kazakh, Russian, English and mixed text.

Letters decide first (ә ғ қ ұ һ і ⇒ Kazakh; ө ү ⇒ Kyrgyz). Text typed without them, or in Latin letters, is
scored by marker words and suffixes of each language, read in the Cyrillic view of the text (Latin words are
transliterated first), with ``py3langid`` as the referee between English and the rest for Latin text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tumar.analysis.doc import Doc

KK_LETTERS = frozenset("әғқұһі")
KY_LETTERS = frozenset("өү")

# Marker words in folded form (special letters folded, ё→е). Shared words (мен, сен, деп, бул) are left out.
_MARKERS: dict[str, frozenset[str]] = {
    "ky": frozenset(
        [
            "эмес",
            "эмне",
            "эмнеге",
            "учун",
            "болот",
            "болбойт",
            "экен",
            "ушул",
            "ушундай",
            "сага",
            "мага",
            "дагы",
            "бирок",
            "азыр",
            "жатат",
            "жатам",
            "жатасын",
            "эле",
            "ошол",
            "мындай",
            "кылам",
            "кылып",
            "кыл",
            "кылба",
            "жазба",
            "жазып",
            "чыгарам",
            "чыгарып",
            "чык",
            "кетем",
            "кет",
            "тургай",
            "менин",
            "сенин",
            "анын",
            "силер",
            "биз",
            "келет",
            "келем",
            "берем",
            "бербесен",
            "бер",
            "кайда",
            "качан",
            "кантип",
            "неге",
            "го",
            "жакшы",
            "жаман",
            "кыз",
            "кызым",
            "балам",
            "апам",
            "атам",
            "тааныш",
            "суроттор",
            "суротун",
            "суротту",
            "сурот",
            "номеринди",
            "номерин",
            "олтуром",
            "урам",
            "урап",
            "коркпо",
            "коркуп",
            "кечинде",
            "бугун",
            "эртен",
            "тартып",
            "тарт",
            "жибер",
            "жиберем",
            "жибербесен",
            "аялдар",
            "эркек",
            "уят",
            "уятсыз",
            "жигит",
            "айтам",
            "айт",
            "уктун",
            "укпайсын",
            "билесинби",
            "билем",
            "экенсин",
            "болсо",
            "болду",
            "чалам",
            "чалба",
            "таратам",
            "тарат",
            "таштайм",
            "таштап",
            "керекпи",
            "барбы",
            "жокпу",
            "ооба",
            "олтуром",
            "олтыром",
            "сени",
        ]
    ),
    "kk": frozenset(
        [
            "емес",
            "неге",
            "ушин",
            "болады",
            "болмайды",
            "екен",
            "осы",
            "сонда",
            "саган",
            "маган",
            "тагы",
            "бирак",
            "казир",
            "жатыр",
            "жатырмын",
            "кыламын",
            "кылып",
            "жазба",
            "жазып",
            "шыгарамын",
            "шыгар",
            "шык",
            "кетемин",
            "менин",
            "сенин",
            "онын",
            "сендер",
            "биз",
            "келеди",
            "келемин",
            "беремин",
            "бермесен",
            "бер",
            "кайда",
            "кашан",
            "калай",
            "гой",
            "мынау",
            "анау",
            "жаксы",
            "жаман",
            "кыз",
            "кызым",
            "балам",
            "анам",
            "акем",
            "суреттер",
            "суретин",
            "суретти",
            "нөмирин",
            "номиринди",
            "олтиремин",
            "урамын",
            "коркпа",
            "бугин",
            "ертен",
            "кешке",
            "тусир",
            "жибер",
            "жиберемин",
            "жибермесен",
            "айелдер",
            "еркек",
            "уят",
            "уятсыз",
            "жигит",
            "айтамын",
            "айт",
            "билесин",
            "билемин",
            "болса",
            "болды",
            "таратамын",
            "тарат",
            "тастаймын",
            "керекпе",
            "ма",
            "жокпа",
            "шыгарам",
            "олтиремин",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "в",
            "не",
            "на",
            "я",
            "что",
            "ты",
            "тебя",
            "тебе",
            "меня",
            "мне",
            "это",
            "как",
            "все",
            "всё",
            "так",
            "его",
            "ее",
            "её",
            "он",
            "она",
            "вот",
            "же",
            "бы",
            "если",
            "или",
            "по",
            "за",
            "от",
            "до",
            "у",
            "о",
            "из",
            "для",
            "уже",
            "только",
            "когда",
            "очень",
            "сейчас",
            "мой",
            "моя",
            "мои",
            "твой",
            "твоя",
            "твои",
            "они",
            "был",
            "была",
            "было",
            "будет",
            "буду",
            "будешь",
            "знаю",
            "знаешь",
            "хочу",
            "хочешь",
            "можно",
            "нужно",
            "надо",
            "нет",
            "да",
            "где",
            "кто",
            "зачем",
            "почему",
            "потому",
            "тоже",
            "еще",
            "ещё",
            "сегодня",
            "завтра",
            "вчера",
            "просто",
            "сказал",
            "сказала",
            "пиши",
            "напиши",
            "скинь",
            "скину",
            "фото",
            "номер",
            "адрес",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "and",
            "you",
            "your",
            "i",
            "me",
            "my",
            "is",
            "are",
            "was",
            "to",
            "of",
            "in",
            "it",
            "that",
            "this",
            "for",
            "on",
            "with",
            "be",
            "will",
            "have",
            "not",
            "do",
            "don't",
            "if",
            "what",
            "i'll",
            "you're",
            "send",
            "pics",
            "photos",
            "everyone",
            "know",
        ]
    ),
}
_KY_SUFFIXES = (
    "лор",
    "дор",
    "тор",
    "лордун",
    "дордун",
    "торду",
    "лорду",
    "гон",
    "ган",
    "ныкы",
    "чу",
    "бы",
    "пы",
)
_KK_SUFFIXES = ("мын", "мин", "сын", "син", "ныз", "низ", "лар", "лер", "дар", "дер", "тар", "тер", "генде")
_WORDS = re.compile(r"[а-яё]+|[a-z']+")


@dataclass(frozen=True)
class LanguageGuess:
    """The main language, whether the text mixes languages, and the scores behind the guess."""

    language: str
    mixed: bool
    scores: tuple[tuple[str, float], ...]


@lru_cache(maxsize=1)
def _langid_model():  # pragma: no cover - trivial adapter
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "ru", "kk", "ky", "tr", "uz", "de", "fr", "es"])
    return identifier


def detect_language(doc: Doc) -> LanguageGuess:
    """Guess the main language of ``doc``: ky, kk, ru, en or unknown."""
    text = doc.text.lower()
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return LanguageGuess("unknown", False, ())
    kk_letters = sum(1 for ch in text if ch in KK_LETTERS)
    ky_letters = sum(1 for ch in text if ch in KY_LETTERS)

    scores = {lang: 0.0 for lang in _MARKERS}
    latin = [w for w in _WORDS.findall(doc.folded) if w.isascii()]
    english_like = sum(1 for w in latin if w in _MARKERS["en"]) >= max(1, len(latin) // 4)
    for word in _WORDS.findall(doc.folded if english_like else doc.cyr):
        for lang in ("ky", "kk", "ru"):
            if word in _MARKERS[lang]:
                scores[lang] += 1.0
        if len(word) > 4:
            scores["ky"] += 0.5 * word.endswith(_KY_SUFFIXES)
            scores["kk"] += 0.5 * word.endswith(_KK_SUFFIXES)
    for word in latin:
        if word in _MARKERS["en"]:
            scores["en"] += 1.0
    scores["kk"] += 3.0 * kk_letters
    scores["ky"] += 3.0 * ky_letters if not kk_letters else 0.0

    if (
        latin
        and doc.latin_share > 0.5
        and 0 < scores["en"] <= max(scores["ru"], scores["ky"], scores["kk"]) + 1
    ):
        lang, prob = _langid_model().classify(doc.text)
        if lang == "en":
            scores["en"] += 2.0 * prob

    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, best_score = ranked[0]
    if best_score == 0:
        if doc.latin_share > 0.5:
            lang, _ = _langid_model().classify(doc.text)
            best = lang if lang in ("en", "ru", "kk", "ky") else "unknown"
        elif any("а" <= ch <= "я" for ch in doc.folded):
            best = "ru"
        else:
            best = "unknown"
        return LanguageGuess(best, False, tuple(ranked))
    turkic = scores["ky"] + scores["kk"]
    mixed = (scores["ru"] >= 1 and turkic >= 1) or (scores["en"] >= 1 and (scores["ru"] + turkic) >= 1)
    return LanguageGuess(best, mixed, tuple(ranked))
