"""Explanations in the reader's language: the cues, the form's definition and what to do next."""

from __future__ import annotations

from tumar.knowledge.loader import KnowledgeBase

_PHRASES: dict[str, dict[str, str]] = {
    "cues": {"ky": "Белгилер", "ru": "Признаки", "kk": "Белгілері", "en": "Cues"},
    "model": {
        "ky": "текстти модель таанып-билди",
        "ru": "распознано моделью по смыслу текста",
        "kk": "мәтіннің мағынасы бойынша модель анықтады",
        "en": "recognised by the model from the meaning of the text",
    },
    "next": {"ky": "Эмне кылуу керек", "ru": "Что делать", "kk": "Не істеу керек", "en": "What to do"},
    "victim_report": {
        "ky": "Сиз муну өзүңүзгө болгон окуя катары сүрөттөп жатасыз — бул дагы эле ушул зомбулуктун түрү.",
        "ru": "Вы описываете то, что случилось с вами, — это всё равно эта форма насилия.",
        "kk": "Сіз мұны өзіңізбен болған оқиға ретінде сипаттап отырсыз — бұл да осы зорлық түрі.",
        "en": "You describe this as something done to you — it is still this form of abuse.",
    },
    "quoted_news": {
        "ky": "Текст жаңылыкка же маалыматтык постко окшош, ошондуктан ишеним төмөндөтүлдү.",
        "ru": "Текст похож на новость или информационный пост, поэтому уверенность снижена.",
        "kk": "Мәтін жаңалыққа не ақпараттық жазбаға ұқсайды, сондықтан сенімділік төмендетілді.",
        "en": "The text reads like news or an awareness post, so confidence was lowered.",
    },
    "reported_speech": {
        "ky": "Бул башка бирөөнүн сөздөрүн келтирүү окшойт.",
        "ru": "Похоже, здесь пересказаны чужие слова.",
        "kk": "Мұнда басқа біреудің сөзі айтылып отырған сияқты.",
        "en": "This seems to quote someone else's words.",
    },
    "negated": {
        "ky": "Аракет тануу менен айтылган.",
        "ru": "Действие упомянуто с отрицанием.",
        "kk": "Әрекет терістеумен айтылған.",
        "en": "The act is mentioned with a negation.",
    },
    "joking_hyperbole": {
        "ky": "Тамашага окшош апыртма белгилери бар.",
        "ru": "Есть признаки шутливого преувеличения.",
        "kk": "Әзіл-асқақтау белгілері бар.",
        "en": "There are signs of joking exaggeration.",
    },
    "own_contact_ad": {
        "ky": "Адам өзүнүн байланышын жарнамада берген окшойт — бул доксинг эмес.",
        "ru": "Похоже, человек сам даёт свой контакт в объявлении — это не доксинг.",
        "kk": "Адам өз байланысын хабарландыруда өзі берген сияқты — бұл доксинг емес.",
        "en": "The person seems to give her own contact in an ad — that is not doxxing.",
    },
    "help_seeking": {
        "ky": "Жардам сураган билдирүүгө окшош.",
        "ru": "Похоже на просьбу о помощи.",
        "kk": "Көмек сұраған хабарламаға ұқсайды.",
        "en": "This looks like a request for help.",
    },
}


def explain(kb: KnowledgeBase, form_id: str, lang: str, cues: list[str], adjustments: list[str]) -> str:
    """One paragraph: name, why (cues or model), rule notes, the definition and the first step to take."""
    text = kb.form(form_id).t(lang)
    why = (
        (f"{_PHRASES['cues'][lang]}: " + ", ".join(f"«{c}»" for c in cues[:4]))
        if cues
        else _PHRASES["model"][lang]
    )
    notes = " ".join(_PHRASES[a][lang] for a in dict.fromkeys(adjustments) if a in _PHRASES)
    parts = [
        f"{text.name}: {why}.",
        notes,
        text.definition,
        f"{_PHRASES['next'][lang]}: {text.what_to_do[0]}",
    ]
    return " ".join(p for p in parts if p)
