"""Understand "remind me tomorrow at 10am to call Acme" / "明天上午10点提醒我给客户打电话". Pure: ``now`` is a parameter.

Rules (``timewords.RULES``) pick out the parts of a time expression — recurrence, offsets, day words,
weekdays, absolute dates, clock times — in English and Chinese; English month-name dates are read by
``dateparser``; Chinese numerals by ``cn2an``; working days by :mod:`skills.reminders.workdays`;
recurrences are RFC 5545 RRULE strings expanded by ``dateutil.rrule``. What is left is the task.
A time in the past, an hour that may be a.m. or p.m. ("at 5"), or no time at all is never guessed:
the result says so and offers choices.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from skills.reminders.recurrence import first_occurrence
from skills.reminders.timewords import (
    PERIOD_DEFAULT,
    RULES,
    WEEKDAY_CODES,
    en_weekday,
    to_float,
    to_int,
    zh_period,
    zh_weekday,
)
from skills.reminders.workdays import add_working_days

__all__ = ["Parsed", "has_time_expression", "parse_reminder"]

OK, AMBIGUOUS, PAST, MISSING = "ok", "ambiguous", "past", "missing"
_DP_SETTINGS = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False, "DATE_ORDER": "DMY"}
_FILLER = re.compile(
    r"\b(?:please\s+)?(?:set\s+(?:a\s+|me\s+a\s+)?reminder|remind\s+me|reminder)\b\s*(?:to|about|of|that|for|:)?\s*"
    r"|(?:请|麻烦)?(?:帮我|给我)?(?:设(?:置)?(?:一个|个)?提醒|提醒我?一下|提醒我|提醒|别忘了|记得)[：:，,]?",
    re.I,
)
_EDGE = re.compile(r"^(?:[\s,.;:，。；：、!！]|to\b|at\b|on\b|by\b|in\b|and\b|then\b|要|去|在|于)+|(?:[\s,.;:，。；：、]|at\b|on\b|by\b|in\b|and\b)+$", re.I)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The reading of one message: a due time (officer-local), or the reason there is none plus choices."""

    status: str  # "ok" | "ambiguous" | "past" | "missing"
    due: datetime | None = None  # aware, in the officer's zone
    choices: tuple[datetime, ...] = ()
    recurrence: str | None = None  # RRULE body ("FREQ=WEEKLY;BYDAY=FR") or "WORKDAYS"
    task: str = ""
    urgent: bool = False
    matched: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == OK


@dataclass(slots=True)
class _Parts:
    day: date | None = None
    day_is_next_occurrence: bool = False  # bare weekday / day of month: already the next one
    clock: tuple[int, int] | None = None
    explicit_24h: bool = False
    ampm: str | None = None
    period: str | None = None
    delta: timedelta | None = None
    recurrence: str | None = None
    urgent: bool = False
    default_time: time | None = None
    by: bool = False
    matched: list[str] = field(default_factory=list)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text.replace("：", ":").replace("　", " ")


def has_time_expression(text: str, *, command: bool = False) -> bool:
    """True when ``text`` holds something this module reads as a time (used by the skill's ``score``)."""
    s = _normalise(text)
    if command and _SHORT.match(s):
        return True
    return any(p.search(s) for n, p in RULES.items() if n not in ("urgent",))


_MONTH_NUMBER = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                              "nov", "dec"), start=1)}
# The furthest ahead a relative time may reach; "in 9999 years" is asked about instead of scheduled.
MAX_AHEAD = timedelta(days=366 * 10)
_CLOCK_RULES = frozenset({"zh_time", "en_time", "en_noon", "zh_period", "en_period"})
_SHORT = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>m|min|mins|h|hr|hrs|d|w)\b", re.I)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks", "分": "minutes", "小": "hours", "钟": "hours",
         "天": "days", "日": "days", "周": "weeks", "星": "weeks", "礼": "weeks", "月": "months"}  # fmt: skip


def parse_reminder(
    text: str,
    *,
    now: datetime,
    tz: str,
    country: str = "CN",
    default_time: time = time(9, 0),
    end_of_day: time = time(18, 0),
    command: bool = False,
) -> Parsed:
    """Read a reminder request relative to ``now`` (aware) in zone ``tz``.

    >>> from datetime import UTC
    >>> p = parse_reminder("remind me tomorrow at 10am to call Acme", now=datetime(2026, 11, 30, 1, tzinfo=UTC),
    ...                    tz="Asia/Shanghai")
    >>> p.due.isoformat(), p.task
    ('2026-12-01T10:00:00+08:00', 'call Acme')
    """
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone).replace(microsecond=0)
    s = _normalise(text)
    parts = _Parts()
    consumed = list(s)

    def take(m: re.Match[str]) -> None:
        parts.matched.append(m.group(0).strip())
        for i in range(m.start(), m.end()):
            consumed[i] = "\x00"

    def current() -> str:
        return "".join(consumed)

    if command:
        m = _SHORT.match(s)
        if m:
            parts.delta = _delta(_UNIT[m.group("unit")[0].lower()], float(m.group("n")))
            if parts.delta is not None:
                take(m)
    for name, pattern in RULES.items():
        for m in list(pattern.finditer(current())):
            if "\x00" in m.group(0) or not m.group(0).strip():
                continue
            try:
                applied = _apply(name, m, parts, local_now, country, end_of_day)
            except (ValueError, OverflowError):  # "十十点", "31 Feb": not a time we can read; ask instead
                applied = False
            if applied:
                take(m)
    task = _task(current())
    return _resolve(parts, local_now, zone, default_time, task, country)


def _apply(name: str, m: re.Match[str], p: _Parts, now: datetime, country: str, eod: time) -> bool:
    """Record what rule ``name`` found; False leaves the text unconsumed (no fit, or already known)."""
    g = m.groupdict()
    today = now.date()
    if name == "urgent":
        p.urgent = True
        return True
    if name.endswith(("_rec_workday", "_rec_weekday", "_rec_daily", "_rec_weekly", "_rec_monthly")):
        if p.recurrence:
            return False
        p.recurrence = _recurrence(name, g, m.group(0), today)
        return True
    if name in _CLOCK_RULES:
        return _apply_clock(name, g, p)
    if p.delta is not None or p.day is not None:
        return False  # one date per reminder; a second one stays in the task text
    if name in ("zh_workdays", "en_workdays"):
        p.day = add_working_days(today, to_int(g["n"]), country)
        return True
    if name == "zh_offset":
        n = 0.5 if g["n"] == "半" else float(to_int(g["n"]))
        if g.get("half1") or g.get("half2"):
            n += 0.5
        return _offset(p, now, _UNIT[g["unit"][0]], n)
    if name == "en_offset":
        if g.get("half"):
            return _offset(p, now, "minutes", 30)
        n, unit = (g["n"], g["unit"]) if g.get("n") else (g["n2"], g["unit2"])
        key = {"mi": "minutes", "m": "minutes", "h": "hours", "d": "days", "w": "weeks", "mo": "months"}
        u = unit.lower()
        return _offset(p, now, key.get(u[:2]) or key[u[0]], to_float(n))
    if name == "zh_day":
        w = g["w"]
        shift = {"大后天": 3, "后天": 2}.get(w, 1 if w.startswith("明") else 0)
        p.day = today + timedelta(days=shift)
        p.period = {"明早": "morning", "今早": "morning", "明晚": "evening", "今晚": "evening"}.get(w, p.period)
        return True
    if name == "en_day":
        w = g["w"].lower()
        shift = 2 if "after" in w else (1 if w.startswith("t") and w not in ("today", "tonight") else 0)
        p.day = today + timedelta(days=shift)
        if w == "tonight":
            p.period = "evening"
        if g.get("p"):
            p.period = g["p"].lower()
        return True
    if name == "en_this_period":
        p.day, p.period = today, g["p"].lower()
        return True
    if name in ("zh_eod", "en_eod"):
        p.day, p.default_time = today, eod
        return True
    if name in ("zh_eom", "en_eom"):
        base = today if not g.get("next") else (today.replace(day=28) + timedelta(days=5))
        last = base.replace(day=calendar.monthrange(base.year, base.month)[1])
        if datetime.combine(last, eod, tzinfo=now.tzinfo) <= now:  # the month's last evening has passed
            base = last + timedelta(days=1)
            last = base.replace(day=calendar.monthrange(base.year, base.month)[1])
        p.day, p.default_time = last, eod
        return True
    if name == "en_eow":
        p.day = today + timedelta(days=(4 - today.weekday()) % 7)
        return True
    if name in ("zh_next_month", "en_next_month"):
        first = (today.replace(day=28) + timedelta(days=5)).replace(day=1)
        d = to_int(g["d"]) if g.get("d") else 1
        if not 1 <= d <= calendar.monthrange(first.year, first.month)[1]:
            return False
        p.day = first.replace(day=d)
        return True
    if name in ("zh_next_week", "en_next_week"):
        p.day = today + timedelta(days=7 - today.weekday())
        return True
    if name in ("zh_weekday", "en_weekday"):
        wd = zh_weekday(g["d"]) if name == "zh_weekday" else en_weekday(g["d"])
        pre = (g.get("pre") or "").lower()
        monday = today - timedelta(days=today.weekday())
        if pre in ("下", "下个", "next"):
            p.day = monday + timedelta(days=7 + wd)
        elif pre == "下下":
            p.day = monday + timedelta(days=14 + wd)
        elif pre in ("这", "这个", "本", "this"):
            p.day = monday + timedelta(days=wd)
        else:
            p.day = today + timedelta(days=(wd - today.weekday()) % 7)
            p.day_is_next_occurrence = True
        p.by = bool(g.get("by"))
        return True
    if name in ("zh_date", "iso_date"):
        year = int(g["y"]) if g.get("y") else None
        try:
            p.day = _dated(year, to_int(g["m"]), to_int(g["d"]), today)
        except ValueError:
            return False
        return True
    if name == "en_date":
        month = _MONTH_NUMBER.get((g.get("m1") or g.get("m2") or "")[:3].lower())
        day_s = g.get("d1") or g.get("d2")
        if month is not None and day_s:
            try:
                p.day = date(int(g["y"]), month, int(day_s)) if g.get("y") else _dated(None, month, int(day_s), today)
            except ValueError:
                return False
            return True
        parsed = dateparser.parse(m.group(0).removeprefix("on ").strip(), languages=["en"],
                                  settings={**_DP_SETTINGS, "RELATIVE_BASE": now.replace(tzinfo=None)})
        if parsed is None:
            return False
        p.day = parsed.date() if g.get("y") else _dated(None, parsed.month, parsed.day, today)
        return True
    if name in ("zh_mday", "en_mday"):
        d = to_int(g["d"])
        if not 1 <= d <= 31:
            return False
        month = date(today.year, today.month, 1)
        for _ in range(3):
            if d <= calendar.monthrange(month.year, month.month)[1] and date(month.year, month.month, d) >= today:
                p.day = date(month.year, month.month, d)
                p.day_is_next_occurrence = True
                return True
            month = (month + timedelta(days=32)).replace(day=1)
        return False
    return False


def _apply_clock(name: str, g: dict[str, str | None], p: _Parts) -> bool:
    if p.clock is not None and name != "zh_period" and name != "en_period":
        return False
    if name == "zh_time":
        h = to_int(g["h"] or "")
        if g["sep"] == ":" and g.get("m") is None:
            return False
        minute = 30 if g.get("half") else 15 if g.get("q1") else 45 if g.get("q3") else to_int(g["m"]) if g.get("m") else 0
        if h > 24 or minute > 59:
            return False
        p.clock = (h % 24, minute)
        p.explicit_24h = h == 0 or h >= 13 or (g["h"] or "").startswith("0")
        p.period = zh_period(g.get("p")) or p.period
        return True
    if name == "en_time":
        h_s = g.get("h") or g.get("h2") or g.get("h3") or g.get("h4") or ""
        m_s = g.get("m") or g.get("m2") or g.get("m3")
        h, minute = int(h_s), int(m_s) if m_s else 0
        if h > 23 or minute > 59:
            return False
        if g.get("ap"):
            if h > 12:
                return False
            p.ampm = "pm" if g["ap"].lower().startswith("p") else "am"
        p.clock = (h, minute)
        p.explicit_24h = h == 0 or h >= 13 or (h_s.startswith("0") and len(h_s) == 2)
        return True
    if name == "en_noon":
        w = (g.get("w") or "").lower()
        p.clock, p.explicit_24h = ((0, 0) if w == "midnight" else (12, 0)), True
        return True
    if name in ("zh_period", "en_period"):
        if p.period:
            return False
        p.period = zh_period(g["p"]) if name == "zh_period" else (g["p"] or "").lower()
        return True
    return False


def _delta(unit: str, n: float) -> timedelta | None:
    """``n`` minutes/hours/days/weeks as a timedelta, or None beyond ``MAX_AHEAD`` ("in 9999 years")."""
    try:
        delta = timedelta(**{unit: n})
    except (OverflowError, ValueError):
        return None
    return delta if timedelta(0) <= delta <= MAX_AHEAD else None


def _offset(p: _Parts, now: datetime, unit: str, n: float) -> bool:
    """Record "in N units"; an offset we cannot keep is left unconsumed, so the officer is asked when."""
    if unit == "months":
        if not 0 <= n <= MAX_AHEAD.days // 31:
            return False
        month = now.month - 1 + int(n)
        year, month = now.year + month // 12, month % 12 + 1
        p.day = date(year, month, min(now.day, calendar.monthrange(year, month)[1]))
        return True
    delta = _delta(unit, n)
    if delta is None:
        return False
    if unit in ("minutes", "hours"):
        p.delta = delta
    else:
        p.day = now.date() + delta
    return True


def _dated(year: int | None, month: int, day: int, today: date) -> date:
    if year is not None:
        return date(year, month, day)
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def _recurrence(name: str, g: dict[str, str | None], text: str, today: date) -> str:
    if name.endswith("_rec_workday"):
        return "WORKDAYS"
    if name.endswith("_rec_weekday"):
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if name.endswith("_rec_daily"):
        return "FREQ=DAILY"
    if name.endswith("_rec_weekly"):
        if name.startswith("zh"):
            days = sorted({zh_weekday(c) for c in re.findall(r"[一二三四五六日天1-7]", g["days"] or "")})
        else:
            words = re.findall(r"mon|tue|wed|thu|fri|sat|sun", text.lower())
            days = sorted({en_weekday(w) for w in words}) or [today.weekday()]
        return "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days)
    if g.get("last") or "end" in text.lower():
        return "FREQ=MONTHLY;BYMONTHDAY=-1"
    if g.get("first"):
        return "FREQ=MONTHLY;BYMONTHDAY=1"
    day = g.get("day") or g.get("day2")
    return f"FREQ=MONTHLY;BYMONTHDAY={to_int(day) if day else today.day}"


def _task(rest: str) -> str:
    text = re.sub(r"\x00+", " ", rest)
    text = _FILLER.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for _ in range(4):
        text = _EDGE.sub("", text).strip()
    return text


def _hours(p: _Parts) -> list[int]:
    """Candidate 24-hour values for the clock time read (two when a.m./p.m. is unclear)."""
    assert p.clock is not None
    h = p.clock[0]
    if p.ampm == "am":
        return [0 if h == 12 else h]
    if p.ampm == "pm":
        return [h if h == 12 else h + 12]
    if p.explicit_24h:
        return [h]
    if p.period in ("afternoon", "evening", "night"):
        return [h + 12 if h < 12 else h]
    if p.period == "noon":
        return [h + 12 if h < 6 else h]
    if p.period in ("morning", "early"):
        return [0 if h == 12 and p.period == "early" else h]
    if 7 <= h <= 12:
        return [h]
    return [h, h + 12]


def _resolve(p: _Parts, now: datetime, zone: ZoneInfo, default: time, task: str, country: str) -> Parsed:
    common = {"task": task, "urgent": p.urgent, "matched": tuple(p.matched), "recurrence": p.recurrence}
    if p.delta is not None:
        return Parsed(OK, due=(now + p.delta).astimezone(zone), **common)  # type: ignore[arg-type]
    if p.clock is not None:
        times = [time(h, p.clock[1]) for h in _hours(p)]
    elif p.period and not p.by:
        times = [PERIOD_DEFAULT[p.period]]
    else:
        times = [p.default_time or default]
    if p.recurrence:
        dues = [first_occurrence(p.recurrence, t, now, country) for t in times]
    elif p.day is None:
        if p.clock is None and not p.period and p.default_time is None:
            return Parsed(MISSING, **common)  # type: ignore[arg-type]
        dues = []
        for t in times:
            due = datetime.combine(now.date(), t, tzinfo=zone)
            dues.append(due if due > now else datetime.combine(now.date() + timedelta(days=1), t, tzinfo=zone))
    else:
        dues = []
        for t in times:
            due = datetime.combine(p.day, t, tzinfo=zone)
            if due <= now and p.day_is_next_occurrence and p.day == now.date():
                due = datetime.combine(p.day + timedelta(days=7), t, tzinfo=zone) if p.by is False else due
            dues.append(due)
    future = sorted(d for d in dues if d > now)
    if len(future) == 1:
        return Parsed(OK, due=future[0], **common)  # type: ignore[arg-type]
    if len(future) > 1:
        return Parsed(AMBIGUOUS, choices=tuple(future), **common)  # type: ignore[arg-type]
    past = dues[-1]
    tomorrow = datetime.combine(now.date() + timedelta(days=1), past.timetz().replace(tzinfo=None), tzinfo=zone)
    return Parsed(PAST, due=past, choices=(tomorrow, now + timedelta(hours=1)), **common)  # type: ignore[arg-type]
