"""Working days: weekends and public holidays of a country, with China's adjusted working weekends (调休).

China uses ``chinese_calendar`` (the State Council's yearly schedule, including make-up working
Saturdays/Sundays) for the years it covers, and ``holidays`` (estimated statutory days plus its known
weekend workdays) beyond; other countries use ``holidays``. Pure: no clock calls.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays

# ``chinese_calendar`` and ``holidays`` (about 50 ms to import) are imported on the first working-day
# question, not at start: /help, a quote or a client card never ask one.

__all__ = ["add_working_days", "is_official", "is_working_day", "next_working_day"]


@functools.lru_cache(maxsize=256)
def _calendar(country: str, year: int) -> holidays.HolidayBase:
    import holidays

    return holidays.country_holidays(country.upper(), years=year)


@functools.cache
def _cn_years() -> range:
    """The years ``chinese_calendar`` has the official schedule for."""
    import chinese_calendar

    known = chinese_calendar.constants.holidays
    return range(min(known).year, max(known).year + 1)


def _cn_supported(day: date) -> bool:
    return day.year in _cn_years()


def is_official(day: date, country: str = "CN") -> bool:
    """False when ``day`` is in a Chinese year whose official schedule ``chinese-calendar`` does not have yet.

    Such years fall back to ``holidays``' estimate (statutory days, no 调休 weekends): a best guess, and
    confirmations say so.
    """
    return (country or "CN").upper() != "CN" or _cn_supported(day)


def is_working_day(day: date, country: str = "CN") -> bool:
    """True when ``day`` is a working day in ``country``.

    In China a Saturday can be a working day (调休): 2026-10-10 is one, after the National Day week.

    >>> is_working_day(date(2026, 10, 10), "CN"), is_working_day(date(2026, 10, 5), "CN")
    (True, False)
    """
    country = (country or "CN").upper()
    if country == "CN" and _cn_supported(day):
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    cal = _calendar(country, day.year)
    return bool(cal.is_working_day(day))


def next_working_day(day: date, country: str = "CN") -> date:
    """The first working day on or after ``day``."""
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int, country: str = "CN") -> date:
    """The date ``n`` working days after ``start`` (``start`` itself is not counted; n=0 → next working day on/after).

    Business source: "in N working days" in chats and the application SLA both count working days only,
    so weekends and public holidays are skipped and 调休 Saturdays count.

    >>> add_working_days(date(2026, 9, 30), 1, "CN")  # Wed before National Day → Thu 8 Oct
    datetime.date(2026, 10, 8)
    """
    if n < 0:
        raise ValueError("n must be ≥ 0")
    if n == 0:
        return next_working_day(start, country)
    day = start
    left = n
    while left:
        day += timedelta(days=1)
        if is_working_day(day, country):
            left -= 1
    return day
