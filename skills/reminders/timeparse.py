"""Understand "remind me tomorrow at 10am to call Acme" / "明天上午10点提醒我给客户打电话". Pure: ``now`` is a parameter.

The parser is a table (:data:`TABLE`): each row pairs a pattern with its resolver (recurrences in
:mod:`~skills.reminders.recurrules`, days in :mod:`~skills.reminders.daterules`, clock times in
:mod:`~skills.reminders.clockrules`). Rows run in order over the message; a match a resolver accepts is
consumed, and what is left is the task. Traditional characters are read through OpenCC; Chinese numerals
through ``cn2an``, English number words through ``word2number``; festivals through ``lunar-python`` and
China's holiday schedule. A time in the past, a reading that genuinely differs (3/4 with no known locale,
"at 8" when 8 a.m. has passed but 8 p.m. has not), or no time at all is never guessed: the result says so
and offers the absolute candidates. Conventions: docs/reminders.md.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from skills.lazyre import lazy
from skills.reminders.clockrules import CLOCK_RULES, PERIOD_RULES, hours
from skills.reminders.daterules import DATE_RULES, SHIFT_RULES, apply_shift
from skills.reminders.dates import next_mday, next_period_end
from skills.reminders.festivalrules import FESTIVAL_RULES
from skills.reminders.offsetrules import OFFSET_RULES
from skills.reminders.parts import Ctx, Parts, Rule
from skills.reminders.recurrence import first_occurrence, occurrences
from skills.reminders.recurrules import REC_RULES, rrule_of
from skills.reminders.timewords import PERIOD_DEFAULT, c

if TYPE_CHECKING:
    import opencc

__all__ = ["TABLE", "Parsed", "date_order_for", "has_time_expression", "parse_reminder"]

OK, AMBIGUOUS, PAST, MISSING = "ok", "ambiguous", "past", "missing"

_URGENT = Rule(
    "urgent",
    c(r"\b(?:urgent(?:ly)?|asap)\b[,:]?|(?:紧急|加急)[，,:：]?"),
    lambda m, p, x: setattr(p, "urgent", True) or True,
)
# The whole table, in the order the rows run.
TABLE: tuple[Rule, ...] = (
    _URGENT,
    OFFSET_RULES[0],  # "3 fridays from now" before "fridays" reads as a recurrence
    *REC_RULES,
    Rule(
        "until",
        c(r"\b(?:until|till|through|thru|up\s+to|ending(?:\s+on)?|ends?(?:\s+on)?)\b|直到|截止到|截至|一直到|到"),
        lambda m, p, x: _until(m, p, x),
    ),
    *OFFSET_RULES[1:],
    SHIFT_RULES[0],  # "one year after Christmas": the shift before the festival takes "after"
    *FESTIVAL_RULES,
    *CLOCK_RULES,
    *DATE_RULES,
    *SHIFT_RULES[1:],
    *PERIOD_RULES,
)

# Rows that only qualify another time ("until", "5 times", "urgent"): not a time expression on their own.
_NOT_ALONE = frozenset({"urgent", "until", "en_count", "zh_count", "en_for_span"})

_FILLER = re.compile(
    r"\b(?:(?:please|pls|plz|can\s+you|could\s+you|hey|ok)\s+)*(?:set\s+(?:a\s+|me\s+a\s+|up\s+a\s+)?reminder|remind\s+me"
    r"|reminder|don'?t\s+let\s+me\s+forget|make\s+sure\s+i)\b\s*(?:to|about|of|that|for|:)?\s*"
    r"|(?:请|麻烦|帮忙)?(?:帮我|给我)?(?:设(?:置)?(?:一个|个)?提醒|提醒我?一下|提醒我|提醒|别忘了|记得|叫我)[：:，,]?",
    re.I,
)
_EDGE = re.compile(
    r"^(?:[\s,.;:，。；：、!！\-–]|\bto\b|\bat\b|\bon\b|\bby\b|\bin\b|\band\b|\bthen\b|\bfrom\b|\bstarting\b|在|于|，)+"
    r"|(?:[\s,.;:，。；：、\-–]|\bat\b|\bon\b|\bby\b|\bin\b|\band\b|\bfrom\b|\bstarting\b|的时候|开始|起|的)+$",
    re.I,
)
_SHORT = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>m|min|mins|h|hr|hrs|d|w)\b", re.I)
_SHORT_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_CJK = lazy(r"[\u3400-\u9fff]")
_MDY_ZONES = ("America/", "US/", "Canada/", "Pacific/Honolulu", "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin",
              "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Manila", "PRC")  # fmt: skip
_DMY_ZONES = ("Europe/", "Africa/", "Australia/", "Asia/Singapore", "Asia/Kolkata", "Asia/Calcutta", "Asia/Dubai",
              "Asia/Kuala_Lumpur", "Asia/Jakarta", "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Karachi", "Pacific/Auckland",
              "Atlantic/", "Indian/", "Asia/Jerusalem", "Asia/Riyadh")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Parsed:
    """The reading of one message: a due time (officer-local), or the reason there is none plus choices."""

    status: str  # "ok" | "ambiguous" | "past" | "missing"
    due: datetime | None = None  # aware, in the officer's zone
    choices: tuple[datetime, ...] = ()
    recurrence: str | None = None  # RRULE body ("FREQ=WEEKLY;BYDAY=FR") or "WORKDAYS" / "LASTWORKDAY" / "FIRSTWORKDAY"
    task: str = ""
    urgent: bool = False
    matched: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # "short_months", "estimated_holidays"
    reason: str = ""  # for "ambiguous": "ampm" | "date_order"

    @property
    def ok(self) -> bool:
        return self.status == OK


@functools.cache
def _t2s() -> opencc.OpenCC:
    import opencc  # on the first reminder, not at start

    return opencc.OpenCC("t2s")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("：", ":").replace("　", " ")
    return text.replace("’", "'").replace("‘", "'")


_ZH_VARIANTS = (
    ("廿", "二十"), ("卅", "三十"), ("听日", "明天"), ("大后日", "大后天"), ("晏昼", "下午"), ("今个月", "本月"),
    ("今个礼拜", "这个礼拜"), ("今个星期", "这个星期"), ("今礼拜", "这礼拜"), ("今星期", "这星期"),
)  # fmt: skip


def _simplified(text: str) -> str:
    """Simplified characters (OpenCC t2s) and common Cantonese/variant words in their Mandarin form."""
    if not _CJK.search(text):
        return text
    text = _t2s().convert(text)
    for old, new in _ZH_VARIANTS:
        text = text.replace(old, new)
    return re.sub(r"(?<![\d一二两三四五六七八九十])后日", "后天", text)


def date_order_for(tz: str, text: str = "") -> str:
    """ "MDY" or "DMY" for reading 3/4, from the message's language and the officer's zone; "" when unknown."""
    if _CJK.search(text) or tz.startswith(_MDY_ZONES):
        return "MDY"
    if tz.startswith(_DMY_ZONES) or tz in ("Europe/London", "GB"):
        return "DMY"
    return ""


def has_time_expression(text: str, *, command: bool = False) -> bool:
    """True when ``text`` holds something this module reads as a time (used by the skill's ``score``)."""
    s = _simplified(_normalise(text))
    if command and _SHORT.match(s):
        return True
    return any(rule.pattern.search(s) for rule in TABLE if rule.name not in _NOT_ALONE)


def parse_reminder(
    text: str,
    *,
    now: datetime,
    tz: str,
    country: str = "CN",
    default_time: time = time(9, 0),
    end_of_day: time = time(18, 0),
    command: bool = False,
    date_order: str | None = None,
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
    original = _normalise(text)
    s = _simplified(original)
    if len(s) != len(original):
        original = s
    ctx = Ctx(
        now=local_now,
        country=(country or "CN").upper(),
        eod=end_of_day,
        date_order=date_order if date_order is not None else date_order_for(tz, s),
    )
    parts = Parts()
    mask = list(s)

    def take(start: int, end: int) -> None:
        parts.matched.append(s[start:end].strip())
        for i in range(start, end):
            mask[i] = "\x00"

    if command:
        m = _SHORT.match(s)
        if m:
            unit = _SHORT_UNIT[m.group("unit")[0].lower()]
            n = float(m.group("n"))
            if unit in ("minutes", "hours") and n * (60 if unit == "hours" else 1) <= 60 * 24 * 366:
                parts.delta = timedelta(**{unit: n})
                take(m.start(), m.end())
            elif unit in ("days", "weeks") and n * (7 if unit == "weeks" else 1) <= 3660:
                parts.day = local_now.date() + timedelta(**{unit: n})
                take(m.start(), m.end())
    for rule in TABLE:
        current = "".join(mask)
        for m in rule.pattern.finditer(current):
            if "\x00" in m.group(0) or not m.group(0).strip():
                continue
            try:
                applied = rule.resolve(m, parts, ctx)
            except (ValueError, OverflowError, KeyError, IndexError):  # "31 Feb", "十十点": not a time we can read
                applied = False
            if applied is False:
                continue
            end = m.end() + (applied if isinstance(applied, int) and not isinstance(applied, bool) else 0)
            take(m.start(), end)
    rest = "".join(ch if mk != "\x00" else "\x00" for ch, mk in zip(original, mask, strict=True))
    task = _task(rest)
    parsed = _resolve(parts, ctx, zone, default_time, task)
    return replace(  # a wall time a DST change skips (02:30 on a spring-forward day) becomes the real instant
        parsed,
        due=parsed.due.astimezone(UTC).astimezone(zone) if parsed.due else None,
        choices=tuple(c.astimezone(UTC).astimezone(zone) for c in parsed.choices),
    )


def _until(m: re.Match[str], p: Parts, x: Ctx) -> bool | int:
    """ "every Friday until Dec 31" / "每天…直到12月31日为止": the date right after the word ends the series."""
    if p.rec is None or p.rec.until is not None or p.rec.count is not None:
        return False
    rest = m.string[m.end() :]
    lead = len(rest) - len(rest.lstrip())
    for rule in (*FESTIVAL_RULES, *DATE_RULES):
        found = rule.pattern.match(rest, lead)
        if found is None or "\x00" in found.group(0):
            continue
        probe = Parts()
        try:
            ok = rule.resolve(found, probe, x)
        except (ValueError, OverflowError, KeyError, IndexError):
            ok = False
        if ok is not False and probe.day is not None:
            p.rec.until = probe.day
            tail = re.match(r"\s*(?:为止|止|结束)?", rest[found.end() :])
            extra = found.end() + (tail.end() if tail else 0)
            return extra if extra else True
    return False


def _task(rest: str) -> str:
    text = re.sub(r"\x00+", " ", rest)
    text = _FILLER.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for _ in range(4):
        text = _EDGE.sub("", text).strip()
    return text


def _roll(day: date, roll: str, ctx: Ctx) -> date | None:
    """The next candidate day for a reading whose time has passed (None: do not roll, ask)."""
    if roll == "day":
        return day + timedelta(days=1)
    if roll == "week":
        return day + timedelta(days=7)
    if roll == "month":
        return next_mday(day, day.day, inclusive=False)
    if roll == "year":
        try:
            return day.replace(year=day.year + 1)
        except ValueError:
            return None
    return None


def _times(p: Parts, default: time) -> list[tuple[time, int]]:
    if p.clock is not None:
        return [(time(h, p.clock[1], p.clock[2]), carry) for h, carry in hours(p)]
    if p.period and not p.by:
        return [(PERIOD_DEFAULT[p.period], 0)]
    return [(p.default_time or default, 0)]


def _resolve(p: Parts, ctx: Ctx, zone: ZoneInfo, default: time, task: str) -> Parsed:
    now = ctx.now
    apply_shift(p, ctx)
    notes: list[str] = []
    if p.estimated:
        notes.append("estimated_holidays")
    common = {"task": task, "urgent": p.urgent, "matched": tuple(p.matched)}
    if p.delta is not None:
        due = (now.astimezone(UTC) + p.delta).astimezone(zone)  # elapsed time, across a DST change too
        return Parsed(OK, due=due, notes=tuple(notes), **common)  # type: ignore[arg-type]
    times = _times(p, default)
    if p.rec is not None:
        return _recurring(p, ctx, zone, times, notes, common)
    if p.alt_days:
        t, carry = times[0]
        dues = [datetime.combine(d + timedelta(days=carry), t, tzinfo=zone) for d in p.alt_days]
        future = sorted(d for d in dues if d > now)
        if len(future) == 1:
            return Parsed(OK, due=future[0], notes=tuple(notes), **common)  # type: ignore[arg-type]
        if future:
            return Parsed(AMBIGUOUS, choices=tuple(future), reason="date_order", **common)  # type: ignore[arg-type]
        return Parsed(PAST, due=dues[-1], choices=_past_choices(dues[-1], now, zone), **common)  # type: ignore[arg-type]
    if p.day is None and p.clock is None and not p.period and p.default_time is None:
        return Parsed(MISSING, **common)  # type: ignore[arg-type]
    day = p.day if p.day is not None else now.date()
    roll = p.roll if p.day is not None else "day"
    if p.day is None and p.clock is None and p.default_time is not None:
        roll = "day"  # "下班前" / "EOD" alone: today's end of day, tomorrow's once it has passed
    preferred, carry = times[0]
    if p.clock is None and not p.period and p.default_time is None and day == now.date():
        eod = datetime.combine(day, ctx.eod, tzinfo=zone)
        if datetime.combine(day, preferred, tzinfo=zone) <= now < eod:
            preferred = ctx.eod  # a date alone that is today, after the default hour: its end of day
    due = datetime.combine(day + timedelta(days=carry), preferred, tzinfo=zone)
    if len(times) > 1:  # a bare hour: ask only when the preferred reading has passed and the other has not
        other, ocarry = times[1]
        other_due = datetime.combine(day + timedelta(days=ocarry), other, tzinfo=zone)
        if due <= now < other_due:
            rolled = _roll(day, roll, ctx)
            choices = [other_due]
            if rolled is not None:
                choices.append(datetime.combine(rolled + timedelta(days=carry), preferred, tzinfo=zone))
            return Parsed(AMBIGUOUS, choices=tuple(choices), reason="ampm", notes=tuple(notes), **common)  # type: ignore[arg-type]
    if due <= now:
        if roll.startswith("period:"):
            due = datetime.combine(next_period_end(day, roll.split(":")[1]), preferred, tzinfo=zone)
        else:
            rolled = _roll(day, roll, ctx)
            if rolled is None:
                return Parsed(PAST, due=due, choices=_past_choices(due, now, zone), **common)  # type: ignore[arg-type]
            due = datetime.combine(rolled + timedelta(days=carry), preferred, tzinfo=zone)
            if due <= now:
                return Parsed(PAST, due=due, choices=_past_choices(due, now, zone), **common)  # type: ignore[arg-type]
    return Parsed(OK, due=due, notes=tuple(notes), **common)  # type: ignore[arg-type]


def _past_choices(due: datetime, now: datetime, zone: ZoneInfo) -> tuple[datetime, ...]:
    tomorrow = datetime.combine(now.date() + timedelta(days=1), due.timetz().replace(tzinfo=None), tzinfo=zone)
    return (tomorrow, (now + timedelta(hours=1)).replace(second=0))


def _recurring(
    p: Parts, ctx: Ctx, zone: ZoneInfo, times: list[tuple[time, int]], notes: list[str], common: dict[str, object]
) -> Parsed:
    rec = p.rec
    assert rec is not None
    start = p.day or ctx.today
    if rec.freq == "YEARLY" and p.day is not None and not rec.bymonth:
        rec.bymonth, rec.bymonthday = [p.day.month], [p.day.day]
    if rec.freq == "MONTHLY" and p.day is not None and not rec.bymonthday and not rec.byday and rec.interval == 1:
        rec.bymonthday = [p.day.day]
    t, _carry = times[0]
    if rec.freq in ("HOURLY", "MINUTELY") and p.clock is None:
        t = ctx.now.time().replace(second=0)  # "every hour": from now on, not from the default hour
    rule = rrule_of(rec, start)
    if rec.freq == "MONTHLY" and any(d >= 29 for d in rec.bymonthday):
        notes.append("short_months")
    floor = max(ctx.now, datetime.combine(start, time(0), tzinfo=zone) - timedelta(seconds=1))
    try:
        if rec.interval > 1 and rec.freq in (
            "DAILY",
            "WEEKLY",
        ):  # "every other Friday": the series starts at the next Friday
            single = ";".join(x for x in rule.split(";") if not x.startswith("INTERVAL="))
            due = first_occurrence(single, t, floor, ctx.country)
        else:
            due = first_occurrence(rule, t, floor, ctx.country)
    except ValueError:
        return Parsed(MISSING, **common)  # type: ignore[arg-type]
    if rec.count:
        last = occurrences(rule, due, rec.count, ctx.country)[-1]
        rule = rule.split(";UNTIL=")[0] + f";UNTIL={last:%Y%m%dT%H%M%S}"
    return Parsed(OK, due=due, recurrence=rule, notes=tuple(notes), **common)  # type: ignore[arg-type]
