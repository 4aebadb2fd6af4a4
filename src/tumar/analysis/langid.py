"""Language identification for Kyrgyz, Kazakh, Russian, English and mixed text.

The language is chosen by a naive Bayes model over the text's character n-grams (one to five characters, across
word boundaries, hashed into 2^18 buckets), fitted on the labeled corpus by ``training/langid_fit.py``: it reads
the letters people really type — Kyrgyz and Kazakh without their special letters, in Latin letters, mixed with
Russian. Marker words and suffixes of each language (read in the Cyrillic view, Latin words transliterated) tell
whether the text mixes languages, and stand in for the model when its data file is missing. A text mostly in
another script, or in Latin letters with no English word or English letter pattern (German, Turkish, "asdf"), is
"unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from tumar.analysis.doc import Doc

NB_LANGUAGES = ("ky", "kk", "ru", "en")
NGRAM_MAX = 5
BUCKET_BITS = 18
NB_CHARS = 2000  # the model reads the start of a long text
SHORT = 12  # letters; a shorter text goes by its marker words when it has any
_NONLETTER = re.compile(r"[\W\d_]+")
_PRIME = np.uint64(1000003)

KK_LETTERS = frozenset("әғқұһі")
KY_LETTERS = frozenset("өү")

# Marker words in folded form (special letters folded, ё→е). Shared words (мен, сен, деп, бул) are left out.
# fmt: off
_MARKERS: dict[str, frozenset[str]] = {
    "ky": frozenset("""
        азыр айт айтам анын апам атам аялдар балам барбы бер бербесен берем биз билем билесинби бирок болбойт
        болду болот болсо бугун го дагы жазба жазып жакшы жаман жатам жатасын жатат жибер жибербесен жиберем
        жигит жокпу кайда кантип качан келем келет керекпи кет кетем кечинде коркпо коркуп кыз кызым кыл кылам
        кылба кылып мага менин мындай неге номерин номеринди олтуром олтыром ооба ошол сага сени сенин силер
        сурот суроттор суротту суротун тааныш тарат таратам тарт тартып таштайм таштап тургай укпайсын уктун
        урам урап учун ушул ушундай уят уятсыз чалам чалба чыгарам чыгарып чык экен экенсин эле эмес эмне эмнеге
        эркек эртен
    """.split()),
    "kk": frozenset("""
        айелдер айт айтамын акем анам анау балам бер беремин бермесен биз билемин билесин бирак болады болды
        болмайды болса бугин гой екен емес еркек ертен жазба жазып жаксы жаман жатыр жатырмын жибер жиберемин
        жибермесен жигит жокпа казир кайда калай кашан келеди келемин керекпе кетемин кешке коркпа кыз кызым
        кыламын кылып ма маган менин мынау неге номиринди нөмирин олтиремин онын осы саган сендер сенин сонда
        суретин суреттер суретти тагы тарат таратамын тастаймын тусир урамын ушин уят уятсыз шыгар шыгарам
        шыгарамын шык
    """.split()),
    "ru": frozenset("""
        адрес будет будешь буду бы был была было в вот все всё вчера где да для до его ее если еще ещё её же за
        завтра зачем знаешь знаю и из или как когда кто меня мне можно мои мой моя на надо напиши не нет номер
        нужно о он она они от очень пиши по потому почему просто сегодня сейчас сказал сказала скину скинь так
        твои твой твоя тебе тебя тоже только ты у уже фото хочешь хочу что это я
    """.split()),
    "en": frozenset("""
        a about account again all also am an and anyone are at back be been being boy bro but by can come could
        dad did didn't do does doesn't don't down ever everybody everyone for from get girl go going gonna got
        had has have he her here him his how i i'll i'm if in into is it it's its just know like lol me message
        messages mine mom more must my need never ngl no nobody not now nudes number of omg on only or our out
        over phone photo photos pic pics please pls post posted really send sent she should sis so still that
        the their them there these they think this those to today tomorrow tonight too u up ur us very video
        wanna want was we were what when where which who why will with would wtf yes yesterday you you're your
    """.split()),
}
# fmt: on
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
_ENGLISH_SHAPES = re.compile(r"th|wh|sh|ing\b|ee|oo|ou|ck\b|ght|tion")
_WORDS = re.compile(r"[а-яё]+|[a-z']+")


@dataclass(frozen=True)
class LanguageGuess:
    """The main language, whether the text mixes languages, and the scores behind the guess."""

    language: str
    mixed: bool
    scores: tuple[tuple[str, float], ...]


def ngram_hashes(text: str) -> np.ndarray:
    """The bucket of every 1- to 5-gram of ``text`` (lower-cased, runs of non-letters as one space)."""
    padded = " " + _NONLETTER.sub(" ", text[:NB_CHARS].lower()) + " "
    chars = np.frombuffer(padded.encode("utf-32-le"), np.uint32).astype(np.uint64)
    level = chars
    parts = [level]
    for n in range(2, NGRAM_MAX + 1):
        level = level[:-1] * _PRIME + chars[n - 1 :] + np.uint64(n)
        parts.append(level)
    hashed = np.concatenate(parts)
    return (hashed ^ (hashed >> np.uint64(29))) & np.uint64((1 << BUCKET_BITS) - 1)


@dataclass(frozen=True)
class NaiveBayes:
    """Log-probabilities of each bucket per language."""

    log_probs: np.ndarray  # (2^BUCKET_BITS, 4) float16

    @classmethod
    def load(cls, path: Path) -> NaiveBayes:
        with np.load(path) as data:
            return cls(data["log_probs"])

    def save(self, path: Path) -> None:
        np.savez_compressed(path, log_probs=self.log_probs.astype(np.float16))

    def classify(self, text: str) -> str:
        buckets = ngram_hashes(text)
        return NB_LANGUAGES[int(self.log_probs[buckets].sum(0, dtype=np.float32).argmax())]


MODEL_PATH = "data/langid.npz"


@lru_cache(maxsize=1)
def naive_bayes() -> NaiveBayes | None:
    """The fitted model shipped with the package (``None`` before ``training/langid_fit.py`` has written it)."""
    path = resources.files("tumar.analysis").joinpath(MODEL_PATH)
    if not path.is_file():
        return None
    with resources.as_file(path) as file:
        return NaiveBayes.load(file)


def detect_language(doc: Doc, *, fast: bool = False) -> LanguageGuess:
    """Guess the main language of ``doc``: ky, kk, ru, en or unknown. ``fast`` (the lexicon-only mode) goes by
    the marker words alone: the n-gram model costs more than the rest of that mode."""
    text = doc.text.lower()
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return LanguageGuess("unknown", False, ())
    guess = _by_markers(doc, text)
    model = None if fast else naive_bayes()
    if model is None:
        return guess
    if sum(ch < "\u0250" or "\u0400" <= ch <= "\u04ff" for ch in letters) < len(letters) / 2:
        return LanguageGuess("unknown", False, guess.scores)  # another script
    language = model.classify(text)
    if len(letters) < SHORT and guess.scores and guess.scores[0][1] > 0:
        language = guess.language  # a word or two ("да", "ооба"): the marker words know them better
    if language == "en" and guess.language == "unknown":
        language = "unknown"  # Latin letters, but no English word or English letter pattern
    return LanguageGuess(language, guess.mixed, guess.scores)


def _by_markers(doc: Doc, text: str) -> LanguageGuess:
    """The guess of the marker words, suffixes and special letters."""
    kk_letters = sum(map(text.count, KK_LETTERS))
    ky_letters = sum(map(text.count, KY_LETTERS))

    scores = {lang: 0.0 for lang in _MARKERS}
    latin = [w for w in _WORDS.findall(doc.folded) if w.isascii()]
    english = _MARKERS["en"]
    english_like = sum(map(english.__contains__, latin)) >= max(1, len(latin) // 4)
    words = _WORDS.findall(doc.folded if english_like else doc.cyr)
    for lang in ("ky", "kk", "ru"):
        scores[lang] += sum(map(_MARKERS[lang].__contains__, words))
    long_words = [word for word in words if len(word) > 4]
    scores["ky"] += 0.5 * sum(word.endswith(_KY_SUFFIXES) for word in long_words)
    scores["kk"] += 0.5 * sum(word.endswith(_KK_SUFFIXES) for word in long_words)
    scores["en"] += sum(map(english.__contains__, latin))
    scores["kk"] += 3.0 * kk_letters
    scores["ky"] += 3.0 * ky_letters if not kk_letters else 0.0

    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, best_score = ranked[0]
    if best_score == 0:
        if doc.latin_share > 0.5:
            best = "en" if _ENGLISH_SHAPES.search(doc.folded) else "unknown"
        elif any("а" <= ch <= "я" for ch in doc.folded):
            best = "ru"
        else:
            best = "unknown"
        return LanguageGuess(best, False, tuple(ranked))
    turkic = scores["ky"] + scores["kk"]
    mixed = (scores["ru"] >= 1 and turkic >= 1) or (scores["en"] >= 1 and (scores["ru"] + turkic) >= 1)
    return LanguageGuess(best, mixed, tuple(ranked))
