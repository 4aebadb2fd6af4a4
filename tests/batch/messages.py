"""Fictional messages for the batch tests (written for them; names, numbers and addresses are made up)."""

from __future__ import annotations

MESSAGES: list[tuple[str, str | None]] = [
    ("Эгер акча которбосоң, сүрөттөрүңдү бардык туугандарыңа жиберем.", None),
    ("Сенин дарегиңди жана номериңди группага чыгарам, баары билсин.", "ky"),
    ("Эртең сабакка барасыңбы? Китепти ала келчи.", None),
    ("Скинь мне пароль от своего телефона, я хочу видеть с кем ты переписываешься.", "ru"),
    ("Если не пришлёшь ещё фото, я выложу твои интимные видео в канал.", None),
    ("Продаю велосипед, звоните 0555 12 34 56 после шести.", None),
    ("Сенің суреттеріңді барлық достарыңа жіберемін, ақша жібер.", "kk"),
    ("Ертең кездесеміз бе? Кітапханада күтемін.", None),
    ("Send me nudes or I will post your private pics everywhere.", "en"),
    ("I know where you live and I will come tonight, you cannot hide.", None),
    ("Thanks for the lovely dinner, see you at work on Monday!", None),
    ("Write to me at aigerim.demo@example.org about the meeting.", None),
]
