"""Calendar arithmetic the time rules share: month/quarter ends, adding months, the next occurrence of a day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from skills.reminders.workdays import is_working_day

__all__ = [
    "add_months",
    "add_units",
    "first_of_next_month",
    "last_day",
    "next_mday",
    "next_period_end",
    "nth_weekday",
    "quarter_end",
    "working_day_of_month",
]


def last_day(year: int, month: int) -> date:
    """The last day of ``month``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, n: int) -> date:
    """``day`` plus ``n`` months, clamped to the target month's last day (31 Jan + 1 month → 28/29 Feb)."""
    idx = day.year * 12 + day.month - 1 + n
    year, month = divmod(idx, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_units(day: date, n: int, unit: str) -> date:
    """``day`` plus ``n`` days / weeks / months / years (``unit`` as typed: "weeks", "天", "个月"…)."""
    u = unit.lower().strip()
    if u.startswith(("d", "天", "日")):
        return day + timedelta(days=n)
    if u.startswith(("w", "周", "星", "礼")):
        return day + timedelta(weeks=n)
    if u.startswith(("mo", "月", "个月")) or u == "m":
        return add_months(day, n)
    if u.startswith(("y", "年")):
        return add_months(day, 12 * n)
    raise ValueError(unit)


def next_period_end(day: date, kind: str) -> date:
    """The end of the period after the one ``day`` ends: week (Friday), month, quarter or year."""
    if kind == "week":
        return day + timedelta(days=7)
    if kind == "quarter":
        return quarter_end(add_months(day.replace(day=1), 3))
    if kind == "year":
        return date(day.year + 1, 12, 31)
    nxt = add_months(day.replace(day=1), 1)
    return last_day(nxt.year, nxt.month)


def first_of_next_month(day: date) -> date:
    return add_months(day.replace(day=1), 1)


def quarter_end(day: date) -> date:
    """The last day of ``day``'s quarter."""
    month = (day.month - 1) // 3 * 3 + 3
    return last_day(day.year, month)


def next_mday(today: date, d: int, *, inclusive: bool = True) -> date | None:
    """The next date whose day of month is ``d`` (today counts when ``inclusive``); months without it are skipped."""
    month = today.replace(day=1)
    for _ in range(14):
        if d <= calendar.monthrange(month.year, month.month)[1]:
            candidate = month.replace(day=d)
            if candidate > today or (inclusive and candidate == today):
                return candidate
        month = add_months(month, 1)
    return None


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The ``n``-th (1…5, or -1 for last) ``weekday`` (Mon=0) of a month, or None when there is no fifth."""
    if n == -1:
        day = last_day(year, month)
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def working_day_of_month(year: int, month: int, first: bool, country: str) -> date:
    """The first or last working day of a month (holidays and 调休 respected)."""
    day = date(year, month, 1) if first else last_day(year, month)
    step = timedelta(days=1 if first else -1)
    while not is_working_day(day, country):
        day += step
    return day
