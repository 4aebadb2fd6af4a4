"""Dates and times as chat apps print them, with the day/month order decided from a whole file.

``31.12.2025``, ``12/31/25``, ``31/12/2025`` and ``2025-12-31`` all occur; a date like ``01/02/26`` is
ambiguous on its own. :class:`DateOrder` collects every date of a file once (a cheap first pass) and decides
per date shape (separator and year length): a first number above 12 means day first, a second number above 12
means month first. With no evidence, dotted dates are day first and slashed dates with AM/PM month first
(the US style); other slashed dates are day first.
"""

from __future__ import annotations

import re
from datetime import date as date_type
from datetime import datetime
from datetime import time as time_type

__all__ = ["DateOrder", "DateOrderConflictError", "to_datetime", "to_time"]

_DATE = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")

_Shape = tuple[str, int]  # (separator, digits of the last number)


class DateOrderConflictError(ValueError):
    """One file shows both day-first and month-first dates of the same shape."""

    def __init__(self, day_first_line: int, month_first_line: int) -> None:
        super().__init__(
            f"dates are day-first on line {day_first_line} but month-first on line {month_first_line}"
        )
        self.day_first_line = day_first_line
        self.month_first_line = month_first_line


class DateOrder:
    """Day-first or month-first, decided from every date of a file."""

    def __init__(self) -> None:
        self._day_first: dict[_Shape, int] = {}  # shape → first line proving day-first
        self._month_first: dict[_Shape, int] = {}
        self._twelve_hour: set[_Shape] = set()

    def add(self, date: str, *, twelve_hour: bool, line: int) -> None:
        """Count one date; raises :class:`DateOrderConflictError` when the file contradicts itself."""
        match = _DATE.match(date)
        if match is None or len(match.group(1)) == 4:
            return  # unparseable here (reported when parsed) or year first, which is never ambiguous
        first, sep, second, year = match.groups()
        shape = (sep, len(year))
        if twelve_hour:
            self._twelve_hour.add(shape)
        if int(first) > 12 and int(second) <= 12:
            self._day_first.setdefault(shape, line)
        elif int(second) > 12 and int(first) <= 12:
            self._month_first.setdefault(shape, line)
        if shape in self._day_first and shape in self._month_first:
            raise DateOrderConflictError(self._day_first[shape], self._month_first[shape])

    def day_first(self, date: str) -> bool:
        """Whether ``date`` (not year-first) reads day, month, year."""
        match = _DATE.match(date)
        if match is None:
            return True
        shape = (match.group(2), len(match.group(4)))
        if shape in self._day_first:
            return True
        if shape in self._month_first:
            return False
        return not (shape[0] == "/" and shape in self._twelve_hour)


def to_datetime(date: str, time: str, ampm: str | None, order: DateOrder) -> datetime:
    """The naive datetime for a date, a time and an optional AM/PM marker; ValueError if it is not a date."""
    match = _DATE.match(date)
    if match is None:
        raise ValueError(f"not a date: {date}")
    first, _sep, second, last = match.groups()
    if len(first) == 4:
        year_digits, month, day = first, int(second), int(last)
    elif order.day_first(date):
        day, month, year_digits = int(first), int(second), last
    else:
        month, day, year_digits = int(first), int(second), last
    if len(year_digits) not in (2, 4):
        raise ValueError(f"not a date: {date}")
    year = int(year_digits) + (2000 if len(year_digits) == 2 else 0)
    try:
        return datetime.combine(date_type(year, month, day), to_time(time, ampm))
    except ValueError:
        raise ValueError(f"not a date and time: {date} {time}") from None


def to_time(time: str, ampm: str | None = None) -> time_type:
    """``21:41``, ``21:41:05`` or ``9:41`` with ``PM``; ValueError if it is not a time of day."""
    clock = _TIME.match(time)
    if clock is None:
        raise ValueError(f"not a time: {time}")
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    if ampm:
        marker = ampm.replace(".", "").replace(" ", "").lower()
        if not 1 <= hour <= 12:
            raise ValueError(f"not a 12-hour time: {time} {ampm}")
        hour = hour % 12 + (12 if marker == "pm" else 0)
    try:
        return time_type(hour, minute, second)
    except ValueError:
        raise ValueError(f"not a time: {time}") from None
