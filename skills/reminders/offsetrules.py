"""Rules for offsets: "in 20 minutes", "in 2 working days", "3天后", "一刻钟后", "3 fridays from now".

Each :class:`~skills.reminders.parts.Rule` pairs a pattern with its resolver (see :mod:`.daterules`).
"""

from __future__ import annotations

import re
from datetime import timedelta

from skills.reminders.dates import add_months
from skills.reminders.parts import Ctx, Parts, Rule, set_day
from skills.reminders.timewords import EN_NUM, EN_WD, NUM, c, en_weekday, to_float, to_int
from skills.reminders.workdays import add_working_days

__all__ = ["MAX_AHEAD_DAYS", "OFFSET_RULES"]

_set_day = set_day

_UNITS = {"mi": "minutes", "m": "minutes", "h": "hours", "d": "days", "w": "weeks", "mo": "months", "y": "years",
          "分": "minutes", "小": "hours", "钟": "hours", "天": "days", "日": "days", "周": "weeks", "星": "weeks",
          "礼": "weeks", "月": "months", "个": "months", "年": "years"}  # fmt: skip
MAX_AHEAD_DAYS = 366 * 10


def _unit(word: str) -> str:
    w = word.lower()
    if w.startswith("fortnight"):
        return "fortnights"
    return _UNITS.get(w[:2]) or _UNITS[w[0]]


def _offset(p: Parts, x: Ctx, n: float, unit: str) -> bool:
    if p.delta is not None or p.day is not None or n < 0:
        return False
    if unit in ("minutes", "hours"):
        delta = timedelta(**{unit: n})
        if delta > timedelta(days=MAX_AHEAD_DAYS) or delta < timedelta(minutes=1):
            return False
        p.delta = delta
        return True
    if unit in ("months", "years"):
        months = round(n * (12 if unit == "years" else 1))
        if months > MAX_AHEAD_DAYS // 31:
            return False
        return _set_day(p, add_months(x.today, months))
    days = n * {"weeks": 7, "fortnights": 14}.get(unit, 1)
    if days > MAX_AHEAD_DAYS:
        return False
    return _set_day(p, x.today + timedelta(days=round(days)))


def _en_offset(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    g = m.groupdict()
    if g.get("half"):
        return _offset(
            p, x, 30 if g["half"].lower().endswith("hour") else 0.5, "minutes" if "hour" in g["half"] else "days"
        )
    n = to_float(g["n"])
    if g.get("andhalf") or g.get("andhalf2"):
        n += 0.5
    unit = _unit(g["u"])
    if unit == "hours" and g.get("n2"):
        return _offset(p, x, n * 60 + to_float(g["n2"]), "minutes")
    return _offset(p, x, n, unit)


def _zh_offset(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    g = m.groupdict()
    n = 0.5 if g["n"] == "半" else to_float(g["n"])
    if g.get("half1") or g.get("half2"):
        n += 0.5
    return _offset(p, x, n, _unit(g["u"]))


def _workdays(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    n = to_int(m.group("n"))
    if n > 400:
        return False
    return _set_day(p, add_working_days(x.today, n, x.country))


def _nth_weekday_from_now(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "3 fridays from now": the third Friday after today."""
    n = to_int(m.group("n"))
    wd = en_weekday(m.group("wd"))
    if not 1 <= n <= 520:
        return False
    first = x.today + timedelta(days=(wd - x.today.weekday()) % 7 or 7)
    return _set_day(p, first + timedelta(weeks=n - 1))


OFFSET_RULES: tuple[Rule, ...] = (
    Rule(
        "en_n_weekdays",
        c(rf"\b(?P<n>{EN_NUM})\s+(?P<wd>{EN_WD}|mon|tue|wed|thu|fri|sat|sun)s\s+from\s+(?:now|today)\b"),
        _nth_weekday_from_now,
    ),
    Rule(
        "en_workdays",
        c(
            rf"\b(?:in|after|within)?\s*(?P<n>\d{{1,3}}|{EN_NUM})\s+(?:working|business|work)\s+days?\b"
            rf"(?:\s+(?:from\s+now|later|time))?"
        ),
        _workdays,
    ),
    Rule("zh_workdays", c(rf"(?<![后第])(?P<n>{NUM})\s*个?\s*工作日\s*(?:后|以后|之后|内|以内)?"), _workdays),
    Rule(
        "en_offset",
        c(
            rf"\b(?:(?:in|within|after)\s+(?:(?P<half>half\s+an?\s+(?:hour|day))|(?:about\s+|another\s+)?(?P<n>{EN_NUM})"
            rf"(?P<andhalf2>\s+and\s+a\s+half)?\s*"
            rf"(?P<u>minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|fortnights?|months?|mos?|years?|yrs?)\b"
            rf"(?P<andhalf>\s+and\s+a\s+half)?(?:\s*(?:and\s+)?(?P<n2>\d{{1,2}})\s*(?:minutes?|mins?|m)\b)?)"
            rf"|(?P<n3>{EN_NUM})\s+(?P<u3>minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?)\s+(?:from\s+now|later|hence))"
        ),
        lambda m, p, x: (
            _en_offset(m, p, x)
            if m.group("n3") is None
            else _offset(p, x, to_float(m.group("n3")), _unit(m.group("u3")))
        ),
    ),
    Rule(
        "zh_offset",
        c(
            rf"(?:过\s*)?(?<![月\d.])(?P<n>{NUM}(?:\.\d+)?|半)\s*(?P<half1>个半)?\s*个?\s*(?P<u>分钟|分|小时|钟头|天|日|周|星期|礼拜|月|年)"
            rf"(?P<half2>半)?\s*(?:后|以后|之后|过后)"
        ),
        _zh_offset,
    ),
    Rule(
        "en_upcoming_days",
        c(rf"\b(?:(?:upcoming|coming)\s+(?P<n>{EN_NUM})|(?P<n2>{EN_NUM})\s+(?:upcoming|coming))\s+days?\b"),
        lambda m, p, x: _offset(p, x, to_int(m.group("n") or m.group("n2")), "days"),
    ),
    Rule(
        "zh_quarter_hour",
        c(r"(?P<n>[一两三1-3])\s*刻钟\s*(?:后|以后|之后)"),
        lambda m, p, x: _offset(p, x, 15 * to_int(m.group("n")), "minutes"),
    ),
    Rule("zh_after", c(rf"过\s*(?P<n>{NUM}|半)\s*个?\s*(?P<u>分钟|小时|钟头|天)"), _zh_offset),
)
