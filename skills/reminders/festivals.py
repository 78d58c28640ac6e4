"""Chinese and common festivals by year (lunar ones through ``lunar-python``), and the working days around them.

"国庆前" is the last working day before the holiday block that contains the festival, "国庆后" the first
working day after it; the block and working days come from :mod:`skills.reminders.workdays` (China's
official schedule from ``chinese-calendar`` where published, an estimate from ``holidays`` beyond).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta

# ``lunar_python`` and ``dateutil.easter`` are imported on a festival's first date, not at start.
from skills.reminders.workdays import is_official, is_working_day

__all__ = ["FESTIVALS", "after_holiday", "before_holiday", "festival_date", "lunar_date"]


@functools.lru_cache(maxsize=1024)
def lunar_date(year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar ``month``/``day`` in the lunar year that starts in Gregorian ``year``."""
    from lunar_python import Lunar

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    from lunar_python import Lunar

    s = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


def _easter(year: int) -> date:
    """Western Easter Sunday (``dateutil``'s default method)."""
    from dateutil.easter import easter

    return easter(year)


def _eve(year: int) -> date:
    return lunar_date(year, 1, 1) - timedelta(days=1)


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _lunar(month: int, day: int) -> Callable[[int], date]:
    return lambda year: lunar_date(year, month, day)


# Canonical festival key → date in a given Gregorian year.
FESTIVALS: dict[str, Callable[[int], date]] = {
    "new_year": _fixed(1, 1),
    "spring": _lunar(1, 1),
    "eve": _eve,
    "lantern": _lunar(1, 15),
    "valentine": _fixed(2, 14),
    "women": _fixed(3, 8),
    "qingming": _qingming,
    "labour": _fixed(5, 1),
    "youth": _fixed(5, 4),
    "children": _fixed(6, 1),
    "dragon_boat": _lunar(5, 5),
    "qixi": _lunar(7, 7),
    "mid_autumn": _lunar(8, 15),
    "national": _fixed(10, 1),
    "double_ninth": _lunar(9, 9),
    "laba": _lunar(12, 8),
    "xiaonian": _lunar(12, 23),
    "easter": _easter,
    "ides_march": _fixed(3, 15),
    "christmas_eve": _fixed(12, 24),
    "christmas": _fixed(12, 25),
    "new_year_eve": _fixed(12, 31),
}


@functools.lru_cache(maxsize=512)
def festival_date(key: str, year: int) -> date:
    """The festival's date in ``year`` (除夕 may fall in the previous Gregorian year's lunar cycle)."""
    return FESTIVALS[key](year)


def _block(day: date, country: str) -> tuple[date, date]:
    """The run of non-working days around ``day`` (``day`` itself when it is a working day)."""
    start = end = day
    if is_working_day(day, country):
        return day, day
    while not is_working_day(start - timedelta(days=1), country):
        start -= timedelta(days=1)
    while not is_working_day(end + timedelta(days=1), country):
        end += timedelta(days=1)
    return start, end


@functools.lru_cache(maxsize=512)
def before_holiday(key: str, year: int, country: str) -> tuple[date, bool]:
    """The last working day before the festival's holiday block, and whether the schedule is official."""
    start, _ = _block(festival_date(key, year), country)
    day = start - timedelta(days=1)
    while not is_working_day(day, country):
        day -= timedelta(days=1)
    return day, is_official(day, country) and is_official(start, country)


@functools.lru_cache(maxsize=512)
def after_holiday(key: str, year: int, country: str) -> tuple[date, bool]:
    """The first working day after the festival's holiday block, and whether the schedule is official."""
    start, end = _block(festival_date(key, year), country)
    day = end + timedelta(days=1)
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day, is_official(day, country) and is_official(start, country)
