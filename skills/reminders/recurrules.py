"""Rules for recurrences ("every other Friday", "19th of every month", "每周一到周五", "每月最后一个工作日").

Each :class:`~skills.reminders.parts.Rule` pairs a pattern with the resolver that fills ``Parts.rec``;
:func:`rrule_of` turns the result into an RRULE body (or ``WORKDAYS`` / ``LASTWORKDAY`` / ``FIRSTWORKDAY``).
"""

from __future__ import annotations

import re
from datetime import date

from skills.reminders.parts import Ctx, Parts, Rec, Rule
from skills.reminders.timewords import (
    EN_MONTH,
    EN_NUM,
    EN_ORD,
    EN_WD,
    NUM,
    WEEKDAY_CODES,
    ZH_WD,
    c,
    en_weekday,
    ordinal,
    to_int,
    zh_weekday,
)

__all__ = ["REC_RULES", "rrule_of"]

_WD_ANY = rf"(?:{EN_WD}|mon|tue|wed|thu|fri|sat|sun)"
_WD_LIST = rf"{_WD_ANY}s?(?:\s*(?:,|and|&|or|/)\s*(?:on\s+)?{_WD_ANY}s?)*"
_ZH_WEEK = r"(?:周|星期|礼拜)"


def _new(p: Parts, **kw: object) -> bool:
    if p.rec is not None:
        return False
    p.rec = Rec(**kw)  # type: ignore[arg-type]
    return True


def _days_en(text: str) -> list[str]:
    found = re.findall(r"mon|tue|wed|thu|fri|sat|sun", text.lower())
    return [WEEKDAY_CODES[i] for i in sorted({en_weekday(w) for w in found})]


def _range(a: int, b: int) -> list[str]:
    return [WEEKDAY_CODES[i] for i in (range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])]


def _interval(word: str | None) -> int:
    if not word:
        return 1
    w = word.strip().lower()
    if w in ("other", "second", "alternate", "隔", "隔一", "两", "二", "2"):
        return 2
    return to_int(w)


# -- English ----------------------------------------------------------------------------------------------


def _every_n_days(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    n = _interval(m.group("n"))
    unit = m.group("u").lower()
    freq = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY", "h": "HOURLY"}[unit[0]]
    if unit.startswith("mi"):
        freq = "MINUTELY"
    byday = _days_en(m.group("wd") or "") if m.group("wd") else []
    return _new(p, freq=freq, interval=n, byday=byday)


def _workdays(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, special="WORKDAYS")


def _weekdays(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="WEEKLY", byday=_range(0, 4))


def _daily(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if m.groupdict().get("p"):
        p.period = p.period or {"morning": "morning", "evening": "evening", "night": "night", "afternoon": "afternoon",
                                "nightly": "night"}.get(m.group("p").lower())  # fmt: skip
    return _new(p, freq="DAILY")


def _biweekly(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="WEEKLY", interval=2, byday=_days_en(m.group("wd") or ""))


def _weekly_range(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="WEEKLY", byday=_range(en_weekday(m.group("a")), en_weekday(m.group("b"))))


def _weekly_days(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="WEEKLY", byday=_days_en(m.group("days")))


def _weekly(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="WEEKLY", byday=_days_en(m.group("wd") or ""))


def _monthly_day(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    d = ordinal(m.group("d"))
    if not 1 <= d <= 31:
        return False
    return _new(p, freq="MONTHLY", bymonthday=[d])


def _monthly_last(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="MONTHLY", bymonthday=[-1])


def _monthly_workday(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    first = m.group("w").lower() in ("first", "第一个", "1st")
    return _new(p, special="FIRSTWORKDAY" if first else "LASTWORKDAY")


def _monthly_nth(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    o = m.group("o")
    n = -1 if o in ("last", "最后一", "最后一个", "最后") else (ordinal(o) if not re.fullmatch(NUM, o) else to_int(o))
    wd_s = m.group("wd")
    wd = zh_weekday(wd_s) if re.fullmatch(ZH_WD, wd_s) else en_weekday(wd_s)
    if not (1 <= n <= 5 or n == -1):
        return False
    return _new(p, freq="MONTHLY", byday=[f"{n}{WEEKDAY_CODES[wd]}"])


def _monthly(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="MONTHLY")


def _quarter_end(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="MONTHLY", bymonth=[3, 6, 9, 12], bymonthday=[-1])


def _quarterly(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="MONTHLY", interval=3)


def _yearly(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="YEARLY")


def _hourly(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="HOURLY", interval=_interval(m.groupdict().get("n")))


def _count(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.rec is None or p.rec.count is not None:
        return False
    n = to_int(m.group("n"))
    if not 1 <= n <= 1000:
        return False
    p.rec.count = n
    return True


def _for_span(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "daily for 2 weeks": the series ends that long after today."""
    if p.rec is None or p.rec.until is not None:
        return False
    from skills.reminders.dates import add_units

    n = to_int(m.group("n"))
    p.rec.until = add_units(x.today, n, m.group("u"))
    return True


# -- Chinese ----------------------------------------------------------------------------------------------


def _zh_every_n(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    n = _interval(m.group("n"))
    if "隔" in m.group(0) and n == 1:
        n = 2  # 每隔一天 / 每隔一周: every other day / week
    u = m.group("u")
    freq = "HOURLY" if "时" in u else "DAILY" if u in ("天", "日") else "WEEKLY" if u[-1] in "周期拜" else "MONTHLY"
    if u == "分钟":
        freq = "MINUTELY"
    days = [WEEKDAY_CODES[zh_weekday(ch)] for ch in (m.group("wd") or "")]
    return _new(p, freq=freq, interval=n, byday=sorted(set(days), key=WEEKDAY_CODES.index))


def _zh_range(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _new(p, freq="WEEKLY", byday=_range(zh_weekday(m.group("a")), zh_weekday(m.group("b"))))


def _zh_days(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    chars = re.findall(r"[一二三四五六日天末1-7]", m.group("days"))
    idx = sorted({zh_weekday(ch) for ch in chars})
    if m.group("days").endswith("末"):
        idx = sorted({*idx, 5, 6} - ({5} if len(chars) > 1 else set()))
        idx = [5] if len(chars) == 1 else idx
    return _new(p, freq="WEEKLY", byday=[WEEKDAY_CODES[i] for i in idx])


def _zh_monthly_day(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = m.group("w")
    d = 1 if w in ("初", "第一天") else 15 if w == "中" else to_int(m.group("d"))
    if not 1 <= d <= 31:
        return False
    return _new(p, freq="MONTHLY", bymonthday=[d])


def _zh_yearly_date(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    month, day = to_int(m.group("m")), to_int(m.group("d"))
    try:
        date(2024, month, day)
    except ValueError:
        return False
    return _new(p, freq="YEARLY", bymonth=[month], bymonthday=[day])


_EVERY = r"(?:every|each)"
REC_RULES: tuple[Rule, ...] = (
    # English
    Rule(
        "en_every_n",
        c(
            rf"\b{_EVERY}\s+(?P<n>other|second|alternate|{EN_NUM})\s+(?P<u>days?|weeks?|months?|years?|hours?|minutes?|mins?)"
            rf"\b(?:\s+on\s+(?P<wd>{_WD_LIST}))?"
        ),
        _every_n_days,
    ),
    Rule("en_every_wd_other", c(rf"\b{_EVERY}\s+(?:other|second|alternate)\s+(?P<wd>{_WD_LIST})\b"), _biweekly),
    Rule(
        "en_biweekly",
        c(rf"\b(?:bi-?weekly|fortnightly|{_EVERY}\s+fortnight)\b(?:\s+on\s+(?P<wd>{_WD_LIST})\b)?"),
        _biweekly,
    ),
    Rule(
        "en_workdays",
        c(
            rf"\b(?:{_EVERY}\s+(?:working|business|work)\s*day|on\s+(?:working|business)\s+days"
            rf"|{_EVERY}\s+workday|(?:on\s+)?workdays)\b"
        ),
        _workdays,
    ),
    Rule(
        "en_weekdays",
        c(
            rf"\b(?:{_EVERY}\s+week\s*day|(?:on\s+)?weekdays|(?:{_EVERY}\s+|on\s+)?mon(?:day)?\s*(?:-|–|to|through|thru|till)"
            rf"\s*fri(?:day)?s?)\b"
        ),
        _weekdays,
    ),
    Rule(
        "en_weekly_range",
        c(rf"\b(?:{_EVERY}\s+|on\s+)(?P<a>{_WD_ANY})\s*(?:-|–|to|through|thru|till)\s*(?P<b>{_WD_ANY})s?\b"),
        _weekly_range,
    ),
    Rule(
        "en_daily",
        c(rf"\b(?:daily|everyday|{_EVERY}\s+day|{_EVERY}\s+(?P<p>morning|evening|night|afternoon)|(?P<n2>nightly))\b"),
        _daily,
    ),
    Rule(
        "en_weekly_days",
        c(
            rf"\b(?:{_EVERY}\s+(?P<days>{_WD_LIST})|(?:on\s+)?(?P<plural>(?:{EN_WD}|mon|tue|wed|thu|fri|sat|sun)s"
            rf"(?:\s*(?:,|and|&|or|/)\s*{_WD_ANY}s?)*))\b"
        ),
        lambda m, p, x: _new(p, freq="WEEKLY", byday=_days_en(m.group("days") or m.group("plural"))),
    ),
    Rule("en_weekly", c(rf"\b(?:weekly|{_EVERY}\s+week|once\s+a\s+week)\b(?:\s+on\s+(?P<wd>{_WD_LIST})\b)?"), _weekly),
    Rule(
        "en_monthly_workday",
        c(
            rf"\b(?:on\s+)?(?:the\s+)?(?P<w>last|first)\s+(?:working|business|work)\s*day\s+of\s+{_EVERY}\s+month\b"
            rf"|\b{_EVERY}\s+month'?s?\s+(?P<w2>last|first)\s+(?:working|business)\s+day\b"
        ),
        lambda m, p, x: _new(
            p, special="FIRSTWORKDAY" if (m.group("w") or m.group("w2")).lower() == "first" else "LASTWORKDAY"
        ),
    ),
    Rule(
        "en_monthly_last",
        c(
            rf"\b(?:(?:on\s+)?(?:the\s+)?last\s+day\s+of\s+{_EVERY}\s+month|(?:{_EVERY}\s+month|monthly)\s+on\s+the\s+last\s+day"
            rf"|(?:at\s+)?(?:the\s+)?end\s+of\s+{_EVERY}\s+month|{_EVERY}\s+month[\s-]end)\b"
        ),
        _monthly_last,
    ),
    Rule(
        "en_every_nth_wd",
        c(rf"\b{_EVERY}\s+(?P<o>{EN_ORD}|last)\s+(?P<wd>{_WD_ANY})\b(?:\s+of\s+the\s+month)?"),
        lambda m, p, x: _monthly_nth_en_simple(m, p),
    ),
    Rule(
        "en_every_date",
        c(rf"\b{_EVERY}\s+(?=(?:{EN_MONTH})[\s-]*(?:the\s+)?(?:{EN_ORD}|\d{{1,2}})\b|(?:the\s+)?(?:{EN_ORD}|\d{{1,2}})\s+(?:of\s+)?(?:{EN_MONTH}))"),
        _yearly,
    ),
    Rule(
        "en_quarter_start",
        c(rf"\b(?:on\s+)?(?:the\s+)?first\s+day\s+of\s+{_EVERY}\s+quarter\b|\b{_EVERY}\s+quarter[\s-]start\b"),
        lambda m, p, x: _new(p, freq="MONTHLY", bymonth=[1, 4, 7, 10], bymonthday=[1]),
    ),
    Rule(
        "en_monthly_nth",
        c(
            rf"\b(?:on\s+)?(?:the\s+)?(?P<o>{EN_ORD}|last)\s+(?P<wd>{_WD_ANY})\s+(?:of\s+)?{_EVERY}\s+month\b"
            rf"|\b(?:{_EVERY}\s+month|monthly)\s+on\s+the\s+(?P<o2>{EN_ORD}|last)\s+(?P<wd2>{_WD_ANY})\b"
        ),
        lambda m, p, x: _monthly_nth_en(m, p, x),
    ),
    Rule(
        "en_monthly_days",
        c(
            rf"\b(?:on\s+)?(?:the\s+)?(?P<days>{EN_ORD}(?:\s*(?:,|and|&)\s*(?:the\s+)?{EN_ORD})+)(?:\s+days?)?\s+of\s+{_EVERY}\s+month\b"
        ),
        lambda m, p, x: _new(p, freq="MONTHLY", bymonthday=sorted({ordinal(d) for d in re.findall(EN_ORD, m.group("days"), re.I)})),
    ),
    Rule(
        "en_monthly_day",
        c(
            rf"\b(?:(?:on\s+)?(?:the\s+)?(?P<d>{EN_ORD})(?:\s+day)?\s+of\s+{_EVERY}\s+month"
            rf"|(?:{_EVERY}\s+month|monthly)\s+on\s+the\s+(?P<d2>{EN_ORD})(?:\s+day)?"
            rf"|{_EVERY}\s+(?P<d3>{EN_ORD})(?:\s+of\s+the\s+month)?)\b"
        ),
        lambda m, p, x: _monthly_day_en(m, p, x),
    ),
    Rule("en_monthly", c(rf"\b(?:monthly|{_EVERY}\s+month|once\s+a\s+month)\b"), _monthly),
    Rule(
        "en_quarter_end",
        c(rf"\b(?:(?:at\s+)?(?:the\s+)?end\s+of\s+{_EVERY}\s+quarter|{_EVERY}\s+quarter[\s-]end)\b"),
        _quarter_end,
    ),
    Rule("en_quarterly", c(rf"\b(?:quarterly|{_EVERY}\s+quarter|once\s+a\s+quarter)\b"), _quarterly),
    Rule("en_yearly", c(rf"\b(?:yearly|annually|{_EVERY}\s+year|once\s+a\s+year)\b"), _yearly),
    Rule("en_hourly", c(rf"\b(?:hourly|{_EVERY}\s+hour)\b"), _hourly),
    Rule("en_count", c(rf"\b(?:for\s+)?(?P<n>\d{{1,3}}|{EN_NUM})\s+times\b"), _count),
    Rule(
        "en_for_span",
        c(rf"\bfor\s+(?:the\s+next\s+)?(?P<n>\d{{1,3}}|{EN_NUM})\s+(?P<u>days?|weeks?|months?|years?)\b"),
        _for_span,
    ),
    # Chinese
    Rule(
        "zh_every_n",
        c(
            rf"每隔?(?P<n>{NUM}|两|一)\s*个?(?P<u>分钟|小时|天|日|周|星期|礼拜|月)(?:的)?(?:{_ZH_WEEK}(?P<wd>{ZH_WD}+))?"
            rf"|(?:隔周|双周)(?:的)?(?:{_ZH_WEEK}(?P<wd2>{ZH_WD}+))?"
        ),
        lambda m, p, x: _zh_every_n_any(m, p, x),
    ),
    Rule("zh_every_other_day", c(r"隔天|隔日"), lambda m, p, x: _new(p, freq="DAILY", interval=2)),
    Rule(
        "zh_workdays",
        c(r"每(?:个)?工作日|每逢工作日|(?<![\d一二两三四五六七八九十个])工作日(?:每天)?(?!\s*(?:后|之后|以后|内))"),
        _workdays,
    ),
    Rule(
        "zh_range",
        c(
            rf"每(?:个)?{_ZH_WEEK}(?P<a>{ZH_WD})\s*(?:到|至|-|~|—)\s*{_ZH_WEEK}?(?P<b>{ZH_WD})(?:每天)?"
            rf"|(?<!下){_ZH_WEEK}(?P<a2>{ZH_WD})\s*(?:到|至|-|~|—)\s*{_ZH_WEEK}?(?P<b2>{ZH_WD})\s*(?:的)?每天"
        ),
        lambda m, p, x: _new(
            p,
            freq="WEEKLY",
            byday=_range(zh_weekday(m.group("a") or m.group("a2")), zh_weekday(m.group("b") or m.group("b2"))),
        ),
    ),
    Rule("zh_days", c(rf"每(?:个)?{_ZH_WEEK}(?P<days>{ZH_WD}(?:\s*[、，,和及与/]?\s*{_ZH_WEEK}?{ZH_WD})*)"), _zh_days),
    Rule("zh_weekly", c(rf"每(?:个)?{_ZH_WEEK}|每周"), lambda m, p, x: _new(p, freq="WEEKLY")),
    Rule("zh_daily", c(r"每(?:天|日)(?P<p>早上|晚上)?|天天|每(?P<z>早|晚)"), lambda m, p, x: _zh_daily(m, p)),
    Rule("zh_monthly_workday", c(r"每(?:个)?月(?:的)?(?P<w>最后一个|第一个)工作日"), _monthly_workday),
    Rule("zh_monthly_last", c(r"每(?:个)?月(?:的)?(?:最后一天|月?底|月?末)"), _monthly_last),
    Rule(
        "zh_monthly_nth",
        c(rf"每(?:个)?月(?:的)?(?:第(?P<o>{NUM})个|(?P<o2>最后一个))\s*{_ZH_WEEK}(?P<wd>{ZH_WD})"),
        lambda m, p, x: _zh_monthly_nth(m, p, x),
    ),
    Rule(
        "zh_monthly_days",
        c(rf"每(?:个)?月(?:的)?(?P<days>{NUM}\s*[号日]?(?:\s*[、，,和及与]\s*{NUM}\s*[号日]?)+)(?<=[号日])"),
        lambda m, p, x: _new(p, freq="MONTHLY", bymonthday=sorted({to_int(d) for d in re.findall(NUM, m.group("days"))})),
    ),
    Rule(
        "zh_monthly_day", c(rf"每(?:个)?月(?:的)?(?:(?P<d>{NUM})\s*[号日]|(?P<w>初|中|第一天)(?!\d))"), _zh_monthly_day
    ),
    Rule("zh_monthly", c(r"每(?:个)?月"), _monthly),
    Rule(
        "zh_quarter_start",
        c(r"每(?:个)?季度?(?:的)?(?:第一天|初)"),
        lambda m, p, x: _new(p, freq="MONTHLY", bymonth=[1, 4, 7, 10], bymonthday=[1]),
    ),
    Rule("zh_quarter_end", c(r"每(?:个)?季度?(?:的)?(?:末|底|最后一天)"), _quarter_end),
    Rule("zh_quarterly", c(r"每(?:个)?季度?"), _quarterly),
    Rule("zh_yearly_date", c(rf"每年(?:的)?(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[号日]?"), _zh_yearly_date),
    Rule("zh_yearly", c(r"每年"), _yearly),
    Rule("zh_hourly", c(r"每(?:个)?小时"), _hourly),
    Rule("zh_count", c(rf"(?:共|一共|重复|总共)?\s*(?P<n>{NUM})\s*次"), _count),
)


def _monthly_nth_en(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    o = (m.group("o") or m.group("o2")).lower()
    n = -1 if o == "last" else ordinal(o)
    wd = en_weekday(m.group("wd") or m.group("wd2"))
    if not (1 <= n <= 5 or n == -1):
        return False
    return _new(p, freq="MONTHLY", byday=[f"{n}{WEEKDAY_CODES[wd]}"])


def _monthly_day_en(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    d = ordinal(m.group("d") or m.group("d2") or m.group("d3"))
    if not 1 <= d <= 31:
        return False
    return _new(p, freq="MONTHLY", bymonthday=[d])


def _monthly_nth_en_simple(m: re.Match[str], p: Parts) -> bool:
    """"every 3rd Thursday" / "every last Friday": that weekday's n-th occurrence each month."""
    o = m.group("o").lower()
    n = -1 if o == "last" else ordinal(o)
    if not (1 <= n <= 5 or n == -1):
        return False
    return _new(p, freq="MONTHLY", byday=[f"{n}{WEEKDAY_CODES[en_weekday(m.group('wd'))]}"])


def _zh_every_n_any(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if m.group("n"):
        return _zh_every_n(m, p, x)
    days = [WEEKDAY_CODES[zh_weekday(ch)] for ch in (m.group("wd2") or "")]
    return _new(p, freq="WEEKLY", interval=2, byday=sorted(set(days), key=WEEKDAY_CODES.index))


def _zh_daily(m: re.Match[str], p: Parts) -> bool:
    word = m.group("p") or m.group("z")
    if word:
        p.period = p.period or ("morning" if word.startswith("早") else "evening")
    return _new(p, freq="DAILY")


def _zh_monthly_nth(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    n = -1 if m.group("o2") else to_int(m.group("o"))
    if not (1 <= n <= 5 or n == -1):
        return False
    return _new(p, freq="MONTHLY", byday=[f"{n}{WEEKDAY_CODES[zh_weekday(m.group('wd'))]}"])


def rrule_of(rec: Rec, start: date) -> str:
    """The RRULE body (or working-day extension) for ``rec``, anchored on ``start`` where it names no day."""
    until = f";UNTIL={rec.until:%Y%m%d}T235959" if rec.until else ""
    if rec.special:
        return rec.special + until
    parts = [f"FREQ={rec.freq}"]
    if rec.interval > 1:
        parts.append(f"INTERVAL={rec.interval}")
    if rec.freq == "WEEKLY" and not rec.byday:
        rec.byday = [WEEKDAY_CODES[start.weekday()]]
    if rec.freq == "MONTHLY" and not rec.byday and not rec.bymonthday and not rec.bymonth:
        rec.bymonthday = [start.day]
    if rec.freq == "YEARLY" and not rec.bymonth:
        rec.bymonth, rec.bymonthday = [start.month], [start.day]
    if rec.bymonth:
        parts.append("BYMONTH=" + ",".join(map(str, rec.bymonth)))
    if len(rec.bymonthday) == 1 and rec.bymonthday[0] >= 29 and (rec.freq == "MONTHLY" or rec.bymonth == [2]):
        parts.append(f"BYMONTHDAY={rec.bymonthday[0]},-1;BYSETPOS=1")  # short months: their last day
    elif rec.bymonthday:
        parts.append("BYMONTHDAY=" + ",".join(map(str, rec.bymonthday)))
    if rec.byday:
        parts.append("BYDAY=" + ",".join(rec.byday))
    return ";".join(parts) + until
