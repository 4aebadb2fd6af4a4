"""Interface strings in Kyrgyz, Russian, Kazakh and English (one catalogue for CLI, web and reports)."""

from __future__ import annotations

from tumar.languages import check_language

_CATALOGUE: dict[str, dict[str, str]] = {
    "booklet_title": {
        "ky": "Технологияларды колдонуу менен гендердик зомбулук: глоссарий",
        "ru": "Гендерное насилие с использованием технологий: глоссарий",
        "kk": "Технологияларды қолданумен жасалатын гендерлік зорлық-зомбылық: глоссарий",
        "en": "Technology-facilitated gender-based violence: a glossary",
    },
    "classification": {
        "ky": "Формалардын классификациясы",
        "ru": "Классификация форм",
        "kk": "Түрлерінің жіктелуі",
        "en": "How the forms are grouped",
    },
    "a_to_z": {
        "ky": "Санариптик гендердик зомбулук А дан Я га чейин",
        "ru": "Цифровое гендерное насилие от А до Я",
        "kk": "Цифрлық гендерлік зорлық-зомбылық: А-дан Я-ға дейін",
        "en": "Digital gender-based violence from A to Z",
    },
    "group": {"ky": "Топ", "ru": "Группа", "kk": "Топ", "en": "Group"},
    "aliases": {
        "ky": "Башка аталыштары",
        "ru": "Другие названия",
        "kk": "Басқа атаулары",
        "en": "Also called",
    },
    "definition": {"ky": "Аныктама", "ru": "Определение", "kk": "Анықтама", "en": "Definition"},
    "etymology": {
        "ky": "Сөздүн келип чыгышы",
        "ru": "Происхождение термина",
        "kk": "Терминнің шығу тегі",
        "en": "Where the word comes from",
    },
    "how": {
        "ky": "Кандайча ишке ашырылат",
        "ru": "Как это происходит",
        "kk": "Қалай жүзеге асады",
        "en": "How it is done",
    },
    "red_flags": {
        "ky": "Кызыл желекчелер",
        "ru": "Тревожные признаки",
        "kk": "Қауіп белгілері",
        "en": "Red flags",
    },
    "what_to_do": {"ky": "Эмне кылуу керек", "ru": "Что делать", "kk": "Не істеу керек", "en": "What to do"},
    "related": {
        "ky": "Байланыштуу формалар",
        "ru": "Связанные формы",
        "kk": "Байланысты түрлері",
        "en": "Related forms",
    },
    "laws": {
        "ky": "Колдонулушу мүмкүн болгон мыйзамдар",
        "ru": "Какие законы могут применяться",
        "kk": "Қолданылуы мүмкін заңдар",
        "en": "Laws that may apply",
    },
    "cases": {
        "ky": "Турмуштан окуялар",
        "ru": "Истории из жизни",
        "kk": "Өмірден оқиғалар",
        "en": "Real cases",
    },
    "help": {
        "ky": "Кайда кайрылса болот",
        "ru": "Куда обратиться за помощью",
        "kk": "Қайда жүгінуге болады",
        "en": "Where to get help",
    },
    "severity": {
        "ky": "Коркунуч деңгээли",
        "ru": "Степень опасности",
        "kk": "Қауіп деңгейі",
        "en": "Severity",
    },
    "source": {"ky": "Булак", "ru": "Источник", "kk": "Дереккөз", "en": "Source"},
    "confidence": {"ky": "Ишенимдүүлүгү", "ru": "Надёжность", "kk": "Сенімділігі", "en": "Confidence"},
    "article": {"ky": "берене", "ru": "ст.", "kk": "бап", "en": "art."},
    "legal_disclaimer": {
        "ky": "Бул маалымат гана, юридикалык кеңеш эмес: өз ишиңизге колдонулушун жергиликтүү юрист тактап берсин.",
        "ru": "Это справочная информация, а не юридическая консультация: "
        "применимость к вашему случаю уточните у местного юриста.",
        "kk": "Бұл тек анықтамалық ақпарат, заңгерлік кеңес емес: "
        "сіздің жағдайыңызға қатысын жергілікті заңгерден нақтылаңыз.",
        "en": "This is information, not legal advice: ask a local lawyer to confirm how it applies to you.",
    },
    "verify_with_lawyer": {
        "ky": "глоссарийде айтылган; юрист менен тактаңыз",
        "ru": "приводится в глоссарии; уточните у юриста",
        "kk": "глоссарийде келтірілген; заңгермен нақтылаңыз",
        "en": "cited by the glossary; verify with a lawyer",
    },
    "country_KG": {"ky": "Кыргызстан", "ru": "Кыргызстан", "kk": "Қырғызстан", "en": "Kyrgyzstan"},
    "country_KZ": {"ky": "Казакстан", "ru": "Казахстан", "kk": "Қазақстан", "en": "Kazakhstan"},
    "severity_low": {"ky": "төмөн", "ru": "низкая", "kk": "төмен", "en": "low"},
    "severity_medium": {"ky": "орточо", "ru": "средняя", "kk": "орташа", "en": "medium"},
    "severity_high": {"ky": "жогору", "ru": "высокая", "kk": "жоғары", "en": "high"},
    "severity_urgent": {"ky": "шашылыш", "ru": "срочно", "kk": "шұғыл", "en": "urgent"},
    "severity_none": {"ky": "жок", "ru": "нет", "kk": "жоқ", "en": "none"},
    "confidence_high": {"ky": "жогору", "ru": "высокая", "kk": "жоғары", "en": "high"},
    "confidence_medium-high": {
        "ky": "орточодон жогору",
        "ru": "выше средней",
        "kk": "орташадан жоғары",
        "en": "medium-high",
    },
    "confidence_medium": {"ky": "орточо", "ru": "средняя", "kk": "орташа", "en": "medium"},
    "confidence_low-medium": {
        "ky": "орточодон төмөн",
        "ru": "ниже средней",
        "kk": "орташадан төмен",
        "en": "low-medium",
    },
    "confidence_seed": {
        "ky": "Тумардын баштапкы булагы",
        "ru": "исходный документ Tumar",
        "kk": "Tumar-дың бастапқы құжаты",
        "en": "Tumar's source document",
    },
    "confidence_seed-only": {
        "ky": "глоссарий гана",
        "ru": "только глоссарий",
        "kk": "тек глоссарий",
        "en": "glossary only",
    },
    "no_findings": {
        "ky": "Зомбулуктун белгилери табылган жок.",
        "ru": "Признаков насилия не найдено.",
        "kk": "Зорлық белгілері табылмады.",
        "en": "No signs of abuse found.",
    },
    "pii_found": {
        "ky": "Текстте жеке маалыматтар бар",
        "ru": "В тексте есть личные данные",
        "kk": "Мәтінде жеке деректер бар",
        "en": "Personal data in the text",
    },
    "nav_check": {
        "ky": "Билдирүүнү текшерүү",
        "ru": "Проверить сообщение",
        "kk": "Хабарламаны тексеру",
        "en": "Check a message",
    },
    "nav_glossary": {"ky": "Глоссарий", "ru": "Глоссарий", "kk": "Глоссарий", "en": "Glossary"},
    "search": {"ky": "Издөө", "ru": "Поиск", "kk": "Іздеу", "en": "Search"},
    "quick_exit": {"ky": "Тез чыгуу", "ru": "Быстрый выход", "kk": "Тез шығу", "en": "Quick exit"},
    "skip_to_content": {
        "ky": "Негизги мазмунга өтүү",
        "ru": "К основному содержанию",
        "kk": "Негізгі мазмұнға өту",
        "en": "Skip to content",
    },
    "footer_privacy": {
        "ky": "Tumar сиз жазган текстти сактабайт жана эч жакка жөнөтпөйт: баары ушул компьютерде иштейт.",
        "ru": "Tumar не сохраняет и никуда не отправляет то, что вы вводите: всё работает на этом компьютере.",
        "kk": "Tumar сіз жазған мәтінді сақтамайды және ешқайда жібермейді: бәрі осы компьютерде жұмыс істейді.",
        "en": "Tumar does not store or send anywhere what you type: everything runs on this computer.",
    },
    "check_intro": {
        "ky": "Алган билдирүүңүздү бул жерге коюңуз: Tumar анда санариптик зомбулуктун белгилери бар-жогун "
        "жана эмне кылуу керектигин айтып берет.",
        "ru": "Вставьте сюда полученное сообщение: Tumar подскажет, есть ли в нём признаки цифрового насилия "
        "и что можно сделать.",
        "kk": "Алған хабарламаңызды осында қойыңыз: Tumar онда цифрлық зорлық белгілері бар-жоғын және не "
        "істеуге болатынын айтады.",
        "en": "Paste a message you received: Tumar tells you whether it shows signs of digital abuse and what "
        "you can do.",
    },
    "check_label": {
        "ky": "Билдирүүнүн тексти",
        "ru": "Текст сообщения",
        "kk": "Хабарлама мәтіні",
        "en": "Message text",
    },
    "check_button": {"ky": "Текшерүү", "ru": "Проверить", "kk": "Тексеру", "en": "Check"},
    "urgent_note": {
        "ky": "Шашылыш: билдирүүдө өмүргө, ден соолукка же коопсуздукка коркунуч белгилери бар. "
        "Коркунучта болсоңуз, дароо милицияга же ишенген адамыңызга кайрылыңыз.",
        "ru": "Срочно: в сообщении есть признаки угрозы жизни, здоровью или безопасности. "
        "Если вы в опасности, сразу обратитесь в полицию или к человеку, которому доверяете.",
        "kk": "Шұғыл: хабарламада өмірге, денсаулыққа немесе қауіпсіздікке қатер белгілері бар. "
        "Қауіп төнсе, бірден полицияға немесе сенімді адамыңызға хабарласыңыз.",
        "en": "Urgent: the message shows signs of a threat to life, health or safety. "
        "If you are in danger, contact the police or someone you trust right away.",
    },
    "no_results": {
        "ky": "Эч нерсе табылган жок.",
        "ru": "Ничего не найдено.",
        "kk": "Ештеңе табылмады.",
        "en": "Nothing found.",
    },
}


def t(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``."""
    return _CATALOGUE[key][check_language(lang)]


def keys() -> tuple[str, ...]:
    return tuple(_CATALOGUE)
