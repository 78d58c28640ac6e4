"""Rules for the day of a reminder: absolute and relative dates, weekdays, month/quarter/year ends, arithmetic.

Each :class:`~skills.reminders.parts.Rule` pairs a pattern with its resolver. Conventions
(docs/reminders.md): "next Friday" / 下周五 = that weekday of next week; a bare weekday = the next one after
today; a bare day of the month = its next occurrence (today while still ahead); a date without a year = its
next occurrence; a numeric date that reads two ways (3/4) follows the officer's locale, or is asked about.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from skills.reminders.dates import (
    add_months,
    add_units,
    first_of_next_month,
    last_day,
    next_mday,
    next_period_end,
    nth_weekday,
    quarter_end,
    working_day_of_month,
)
from skills.reminders.parts import Ctx, Parts, Rule, set_day
from skills.reminders.timewords import (
    EN_MONTH,
    EN_NUM,
    EN_ORD,
    EN_WD,
    NUM,
    ZH_WD,
    c,
    en_month,
    en_weekday,
    ordinal,
    to_int,
    zh_weekday,
)
from skills.reminders.workdays import add_working_days

__all__ = ["DATE_RULES", "SHIFT_RULES", "apply_shift"]

_set_day = set_day

_WD_SHORT = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_ZH_WEEK = r"(?:周|星期|礼拜)"


def _shift(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.shift is not None:
        return False
    n = to_int(m.group("n")) if m.group("n") else 1
    sign = -1 if m.group("dir").lower() in ("before", "prior to", "前", "之前", "以前") else 1
    p.shift = (sign * n, m.group("u"))
    return True


# -- absolute dates ---------------------------------------------------------------------------------------


def _ymd(p: Parts, x: Ctx, year: int | None, month: int, day: int) -> bool:
    try:
        if year is not None:
            return _set_day(p, date(year, month, day))
        candidate = date(x.today.year, month, day)
    except ValueError:
        if year is None and month == 2 and day == 29:
            y = x.today.year + 1
            while y % 4:
                y += 1
            return _set_day(p, date(y, 2, 29), "year")
        return False
    if candidate < x.today:
        candidate = date(x.today.year + 1, month, day)
    return _set_day(p, candidate, "year")


def _year(s: str | None, x: Ctx) -> int | None:
    if not s:
        return None
    if s in ("今", "本"):
        return x.today.year
    if s == "明":
        return x.today.year + 1
    if s == "后":
        return x.today.year + 2
    if s.isdigit():
        return int(s) + (2000 if len(s) == 2 else 0)
    return int("".join(str("零一二三四五六七八九".index(ch.replace("〇", "零"))) for ch in s))


def _iso(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _ymd(p, x, int(m.group("y")), int(m.group("m")), int(m.group("d")))


def _zh_date(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _ymd(p, x, _year(m.group("y"), x), to_int(m.group("m")), to_int(m.group("d")))


def _numeric(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """1/20, 15/12, 12.15, 23.04.2027, 12/15/27: month/day order by locale where both readings exist."""
    a, b, sep = int(m.group("a")), int(m.group("b")), m.group("sep")
    year = _year(m.group("y"), x) if m.group("y") else None
    orders: list[tuple[int, int]] = []
    if sep == "." and year is not None:
        orders = [(b, a)]  # 23.04.2027: European day.month.year
    elif sep in ".·":
        orders = [(a, b)] if a <= 12 else [(b, a)]  # 12.15 / 1.20: month.day (Chinese usage); 23.04 day.month
    else:
        if a > 12 or b > 12:
            orders = [(a, b)] if a <= 12 else [(b, a)]
        elif a == b or x.date_order == "MDY":
            orders = [(a, b)]
        elif x.date_order == "DMY":
            orders = [(b, a)]
        else:
            orders = [(a, b), (b, a)]
    days: list[date] = []
    for month, day in orders:
        probe = Parts()
        if _ymd(probe, x, year, month, day) and probe.day is not None:
            days.append(probe.day)
    if not days:
        return False
    if len(days) > 1:
        if p.day is not None or p.alt_days:
            return False
        p.alt_days = tuple(sorted(days))
        return True
    return _set_day(p, days[0], "" if year else "year")


def _en_date(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    month = en_month(m.group("m1") or m.group("m2"))
    day = ordinal(m.group("d1") or m.group("d2"))
    year = (
        int(m.group("y")) if m.group("y") else (2000 + int(m.group("y2")) if m.group("y2") and m.group("m1") else None)
    )
    if m.group("y2") and not m.group("m1"):
        return False
    return _ymd(p, x, year, month, day)


def _which_month(word: str, x: Ctx) -> date:
    """The first day of the month a phrase names: "next month", "this month", "July", "7月", "下个月"."""
    w = word.strip().lower()
    first = x.today.replace(day=1)
    if w.startswith(("next", "下")):
        return add_months(first, 2 if w.startswith("下下") else 1)
    if w in (
        "",
        "month",
        "the month",
        "this month",
        "current month",
        "本月",
        "同月",
        "这个月",
        "这月",
        "当月",
        "该月",
        "今个月",
        "今月",
    ):
        return first
    year_m = re.search(r"(\d{4})", w)
    month = en_month(w) if re.match(r"[a-z]", w) else to_int(w.rstrip("月"))
    candidate = date(int(year_m.group(1)) if year_m else x.today.year, month, 1)
    if not year_m and last_day(candidate.year, candidate.month) < x.today:
        candidate = candidate.replace(year=candidate.year + 1)
    return candidate


def _nth_wd(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    o = m.group("o").lower()
    n = -1 if o in ("last", "最后一") else (to_int(o) if re.fullmatch(NUM, o) else ordinal(o))
    wd_s = m.group("wd")
    wd = zh_weekday(wd_s) if re.fullmatch(ZH_WD, wd_s) else en_weekday(wd_s)
    first = _which_month(m.group("which") or "", x)
    explicit = bool(re.search(r"\d{4}", m.group("which") or ""))
    for _ in range(2):
        day = nth_weekday(first.year, first.month, wd, n)
        if day is not None and day >= x.today:
            return _set_day(p, day, "")
        if explicit or (m.group("which") or "").lower().startswith(("next", "下")):
            return False
        first = add_months(
            first,
            12
            if re.match(r"[a-z0-9]", (m.group("which") or "x").lower()[0])
            and (m.group("which") or "").lower() not in ("month", "the month", "this month")
            else 1,
        )
    return False


def _month_edge(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "last day of next month", "first working day of the month", "下个月最后一天", "本月最后一个工作日"."""
    g = m.groupdict()
    edge = (g.get("edge") or "").lower()
    first = _which_month(g.get("which") or "", x)
    working = bool(g.get("work"))
    is_first = edge in ("first", "第一", "1st", "beginning", "start", "初")
    if working:
        day = working_day_of_month(first.year, first.month, is_first, x.country)
    else:
        day = first if is_first else last_day(first.year, first.month)
    if day < x.today:
        if (g.get("which") or "").strip():
            if not re.search(r"month|月", g["which"]):
                return _set_day(p, day.replace(year=day.year + 1) if is_first else last_day(day.year + 1, day.month))
            return False
        nxt = add_months(first, 1)
        day = (
            working_day_of_month(nxt.year, nxt.month, is_first, x.country)
            if working
            else nxt
            if is_first
            else last_day(nxt.year, nxt.month)
        )
    return _set_day(p, day)


def _nth_last_day(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "the 5th last day of May": counted back from the month's last day."""
    n = ordinal(m.group("n"))
    first = _which_month(m.group("which"), x)
    day = last_day(first.year, first.month) - timedelta(days=n - 1)
    if day < x.today or day.month != first.month:
        return False
    return _set_day(p, day)


def _mday(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    d_s = m.group("d")
    d = ordinal(d_s) if re.match(r"[a-z\d]", d_s, re.I) and not d_s.isdigit() else to_int(d_s)
    which = (m.groupdict().get("which") or "").strip()
    if not 1 <= d <= 31:
        return False
    if which:
        first = _which_month(which, x)
        try:
            day = first.replace(day=d)
        except ValueError:
            return False
        return _set_day(p, day)  # this month's day already gone: asked about, not moved
    day_found = next_mday(x.today, d)
    return day_found is not None and _set_day(p, day_found, "month")


# -- relative days ----------------------------------------------------------------------------------------


def _zh_day(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = m.group("w")
    shift = {"大后天": 3, "后天": 2, "昨天": -1, "前天": -2}.get(w, 1 if w.startswith("明") else 0)
    if not _set_day(p, x.today + timedelta(days=shift), ""):
        return False
    period = {"早": "morning", "晨": "morning", "晚": "evening", "夜": "night"}.get(w[-1])
    if period and not p.period:
        p.period = period
    return True


def _en_day(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    if "after" in w or w == "overmorrow":
        shift = 2
    elif w == "yesterday":
        shift = -1
    elif w in ("today", "tonight", "this night"):
        shift = 0
    else:
        shift = 1
    if not _set_day(p, x.today + timedelta(days=shift), ""):
        return False
    period = (m.group("p") or "").lower() or ("night" if w in ("tonight", "this night") else "")
    if period and not p.period:
        p.period = {"tonight": "night"}.get(period, period)
    return True


def _this_period(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if not _set_day(p, x.today):
        return False
    p.period = p.period or m.group("p").lower()
    return True


def _week_word(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "next week" / 下周 → its Monday; "weekend" / 周末 → Saturday (of next week for "next")."""
    w = m.group(0).lower()
    monday = x.today - timedelta(days=x.today.weekday())
    weeks = 2 if "下下" in w else 1 if ("next" in w or "下" in w) else 0
    if "末" in w or "weekend" in w:
        day = monday + timedelta(days=7 * weeks + 5)
        return _set_day(p, day if day >= x.today else day + timedelta(days=7), "")
    return _set_day(p, monday + timedelta(days=7 * max(weeks, 1)))


def _month_word(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = m.group(0).lower()
    if p.day is not None and p.roll in ("year", "month"):  # "next year on Jan 5", "next month on the 15th"
        if ("year" in w or "年" in w) and p.roll == "year":
            try:
                p.day, p.roll = p.day.replace(year=x.today.year + 1), ""
            except ValueError:
                return False
            return True
        if ("month" in w or "月" in w) and p.roll == "month":
            try:
                p.day, p.roll = first_of_next_month(x.today).replace(day=p.day.day), ""
            except ValueError:
                return False
            return True
        return False
    if "year" in w or "年" in w:
        return _set_day(p, date(x.today.year + 1, 1, 1))
    return _set_day(p, first_of_next_month(x.today))


def _weekday(p: Parts, x: Ctx, wd: int, pre: str, post: str, by: bool) -> bool:
    monday = x.today - timedelta(days=x.today.weekday())
    if pre in ("下下", "下下个") or post == "after next":
        roll, day = (
            "",
            (
                monday + timedelta(days=14 + wd)
                if pre
                else x.today + timedelta(days=(wd - x.today.weekday()) % 7 or 7) + timedelta(days=7)
            ),
        )
    elif pre in ("下", "下个", "next") or post in ("next week", "下周"):
        roll, day = "", monday + timedelta(days=7 + wd)
    elif pre in ("这", "这个", "本", "this", "this week") or post == "this week":
        roll, day = "week", monday + timedelta(days=wd)
        if day < x.today:
            day += timedelta(days=7)
    elif pre in ("上", "上个", "last"):
        roll, day = "", monday + timedelta(days=wd - 7)
    else:
        roll, day = "week", x.today + timedelta(days=(wd - x.today.weekday()) % 7 or 7)
    if p.day is not None:
        return _agree(p, wd)
    if not _set_day(p, day, roll):
        return False
    p.by = p.by or by
    return True


def _agree(p: Parts, wd: int) -> bool:
    """A weekday said with a date ("Tuesday the 19th", "Fri, Jul 18"): the next such date on that weekday."""
    assert p.day is not None
    day = p.day
    for _ in range(40):
        if day.weekday() == wd:
            p.day = day
            return True
        if p.roll == "month":
            nxt = next_mday(day, p.day.day, inclusive=False)
            if nxt is None:
                return False
            day = nxt
        elif p.roll == "year":
            try:
                day = day.replace(year=day.year + 1)
            except ValueError:
                return False
        else:
            return False
    return False


def _looks_like_name(m: re.Match[str]) -> bool:
    """ "Wednesday Addams", "April May": a capitalised day name followed by a capitalised word, with no marker."""
    word = m.group("d")
    if m.group("pre") or m.group("by") or m.group(0).lower().startswith("on ") or not word[:1].isupper():
        return False
    after = m.string[m.end() :]
    nxt = re.match(r"\s+([A-Z][a-z]+)", after)
    return bool(nxt) and not re.fullmatch(
        r"(?:At|On|To|By|Next|This|Morning|Afternoon|Evening|Night|Noon)|" + EN_MONTH.replace("\\.?", ""),
        nxt.group(1),
        re.I,
    )


def _en_weekday(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if _looks_like_name(m):
        return False
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    pre = pre.replace("this coming", "coming").replace("the coming", "coming").replace("coming", "")
    post = re.sub(r"\s+", " ", (m.group("post") or "").lower())
    post = "next week" if post in ("next week", "of next week") else post.replace("of this week", "this week")
    return _weekday(p, x, en_weekday(m.group("d")), pre.strip(), post, bool(m.group("by")))


def _zh_weekday(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _weekday(p, x, zh_weekday(m.group("d")), m.group("pre") or "", "", bool(m.group("by")))


def _eod(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.default_time is not None:
        return False
    p.default_time = x.eod
    return True


def _period_end(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """End of week / month / quarter / year (this one, or "next"), at the end of the working day."""
    w = m.group(0).lower()
    nxt = bool(re.search(r"next|下|明年", w))
    t = x.today
    kind = "month"
    if re.search(r"week|eow|周", w):
        kind = "week"
        monday = t - timedelta(days=t.weekday())
        day = monday + timedelta(days=4 + (7 if nxt else 0))
        if day < t:
            day += timedelta(days=7)
    elif re.search(r"quarter|eoq|季", w):
        kind = "quarter"
        day = quarter_end(add_months(t.replace(day=1), 3) if nxt else t)
    elif re.search(r"year|eoy|年", w):
        kind = "year"
        day = date(t.year + (1 if nxt else 0), 12, 31)
    else:
        day = last_day(*(lambda d: (d.year, d.month))(add_months(t.replace(day=1), 1) if nxt else t))
    if p.day is not None or p.delta is not None:
        return False
    # this period's end once past (today's 18:00 gone, or "两天前" of it gone) → the next period's end
    p.day, p.roll, p.default_time = day, "" if nxt else f"period:{kind}", p.default_time or x.eod
    return True


def _zh_month_part(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """月初 / 月中 / 下月初 / 12月中旬 / 年初."""
    w = m.group(0)
    t = x.today
    if "年初" in w:
        return _set_day(p, date(t.year + 1, 1, 1))
    which = m.group("which") or ""
    part = m.group("part")
    d = {"初": 1, "上旬": 5, "中": 15, "中旬": 15, "下旬": 25}[part]
    if which:
        first = _which_month(which, x)
        day = first.replace(day=d)
        if day < t:
            return False
        return _set_day(p, day)
    day = next_mday(t, d)
    return day is not None and _set_day(p, day, "month")


def _en_month_part(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = m.group("part").lower()
    d = 1 if w in ("beginning", "start", "early") else 15
    which = m.group("which") or ""
    if which.strip().lower() in ("", "the month", "month", "this month"):
        day = next_mday(x.today, d)
        return day is not None and _set_day(p, day, "month")
    first = _which_month(which, x)
    return _set_day(p, first.replace(day=d))


_EN_WD_ALL = rf"(?:{EN_WD}|{_WD_SHORT})"
DATE_RULES: tuple[Rule, ...] = (
    # absolute
    Rule(
        "iso_date",
        c(r"(?<![\d/.])(?:on\s+)?(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?![\d/.])"),
        _iso,
    ),
    Rule(
        "zh_date",
        c(
            rf"(?<![\d年])(?:在|于)?(?:(?P<y>\d{{4}}|\d{{2}}|[零〇一二三四五六七八九]{{4}}|今|明|后|本)\s*年\s*)?(?P<m>{NUM})\s*月\s*"
            rf"(?P<d>{NUM})\s*(?:[日号]|(?=\s|[^\d个天周日号分小]|$))(?!\s*(?:后|之后|以后))(?P<by>之前|以前|前)?"
        ),
        lambda m, p, x: _zh_date(m, p, x) and (setattr(p, "by", p.by or bool(m.group("by"))) or True),
    ),
    Rule(
        "en_nth_weekday",
        c(
            rf"\b(?:on\s+)?(?:the\s+)?(?P<o>{EN_ORD}|last)\s+(?P<wd>{_EN_WD_ALL})\s+(?:of|in)\s+(?:the\s+)?"
            rf"(?P<which>next\s+month|this\s+month|month|{EN_MONTH}(?:\s+\d{{4}})?)\b"
        ),
        _nth_wd,
    ),
    Rule(
        "zh_nth_weekday",
        c(
            rf"(?P<which>下下?个?月|本月|这个?月|{NUM}月)(?:的)?(?:第(?P<o>{NUM})个|(?P<o2>最后一)个)\s*{_ZH_WEEK}(?P<wd>{ZH_WD})"
        ),
        lambda m, p, x: _nth_wd_zh(m, p, x),
    ),
    Rule(
        "en_date",
        c(
            rf"\b(?:on\s+|by\s+)?(?:(?:the\s+)?(?P<d1>{EN_ORD}|\d{{1,2}})(?:\s+day)?(?:\s+of)?[\s-]*(?P<m1>{EN_MONTH})"
            rf"|(?P<m2>{EN_MONTH})[\s/-]*(?:the\s+)?(?P<d2>{EN_ORD}|\d{{1,2}})(?!\d))(?:,?\s*(?P<y>\d{{4}})|(?<=[a-z.])\s+(?P<y2>\d{{2}})(?=\s|$)(?!\s*(?:am|pm|h\b|o'?clock)))?(?![\w:])"
        ),
        _en_date,
    ),
    Rule(
        "numeric_date",
        c(
            r"(?<![\d.:/\w])(?:on\s+|by\s+)?(?P<a>\d{1,2})(?P<sep>[/.·])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
            r"(?![\d:/%]|\.\d|\s*(?:am|pm|a\.m|p\.m|点|%|hours?|hrs?|h\b|days?|weeks?|months?|years?|minutes?|mins?|k\b|m\b|万))"
        ),
        _numeric,
    ),
    # month edges and parts
    Rule(
        "en_nth_last_day",
        c(
            rf"\b(?:the\s+)?(?P<n>{EN_ORD})\s+(?:to\s+)?last\s+day\s+(?:of|in)\s+(?:the\s+)?(?P<which>next\s+month|this\s+month|month|{EN_MONTH})\b"
        ),
        lambda m, p, x: _nth_last_day(m, p, x),
    ),
    Rule(
        "en_month_edge",
        c(
            rf"\b(?:on\s+|by\s+)?(?:the\s+)?(?P<edge>first|last|1st)\s+(?P<work>(?:working|business|work)\s*)?day\s+(?:of|in)\s+(?:the\s+)?"
            rf"(?P<which>next\s+month|this\s+month|month|{EN_MONTH}(?:\s+\d{{4}})?)\b"
        ),
        _month_edge,
    ),
    Rule(
        "zh_month_edge",
        c(
            rf"(?P<which>下下?个?月|本月|这个?月|当月|{NUM}月)(?:的)?(?P<edge>第一|最后一)(?:个)?(?:(?P<work>工作日)|天)"
            rf"|(?P<which2>下下?个?月|本月|这个?月)(?P<edge2>初)(?:的)?第一个(?P<work2>工作日)"
        ),
        lambda m, p, x: _month_edge_zh(m, p, x),
    ),
    Rule(
        "zh_month_part",
        c(
            rf"(?:(?P<which>下下?个?月|本月|这个?月|{NUM}月)|月)?(?P<part>初|上旬|中旬|下旬)(?![一二三四五六七八九十])"
            rf"|(?P<which2>下下?个?月|本月|这个?月)中|(?<![\u4e00-\u9fff])月中|明?年初"
        ),
        lambda m, p, x: _zh_month_part_any(m, p, x),
    ),
    Rule(
        "en_month_part",
        c(
            rf"\b(?:at\s+|by\s+|in\s+)?(?:the\s+)?(?P<part>beginning|start|early|middle|mid)(?:\s+of|-)?\s*(?:the\s+)?"
            rf"(?P<which>next\s+month|this\s+month|month|{EN_MONTH})\b"
        ),
        _en_month_part,
    ),
    Rule(
        "period_end",
        c(
            r"\b(?:by\s+|at\s+|before\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?(?:next\s+)?(?:week|month|quarter|year)"
            r"|(?:next\s+)?(?:week|month|quarter|year)[\s-]end|eow|eom|eoq|eoy)\b"
            r"|(?:下(?:个)?|这个|本|今)?(?:月底|月末|周末前|季度末|季末|季度底|年底|年末)(?:前(?!\s*[\d一二两三四五六七八九十]+\s*个?[天周]))?"
            r"|明年(?:年底|年末)"
            r"|下个?季度?末"
        ),
        _period_end,
    ),
    Rule(
        "eod",
        c(
            r"\b(?:by\s+|at\s+|before\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|to)?day|eod|close\s+of\s+business|cob"
            r"|end\s+of\s+business|eob|before\s+(?:i|we)\s+(?:leave|go\s+home)|after\s+work)\b"
            r"|(?:今天)?(?:下班前|下班之前|下班以前|收工前|下班时|下班后)"
        ),
        _eod,
    ),
    # relative days
    Rule(
        "zh_day",
        c(r"(?:在|于)?(?P<w>大后天|后天|明天|明日|明儿|明早|明晚|明晨|明夜|今天|今日|今儿|今晚|今早|今夜|昨天|前天)"),
        _zh_day,
    ),
    Rule(
        "en_day",
        c(
            r"\b(?:sometime\s+)?(?P<w>(?:the\s+)?day\s+after\s+tomorrow|overmorrow|tomorrows?|tomorow|tmrw|tmr|2moro|today|tonight|this\s+night"
            r"|yesterday)\b(?:\s+(?:in\s+the\s+)?(?P<p>morning|afternoon|evening|night))?"
        ),
        _en_day,
    ),
    Rule("en_this_period", c(r"\bthis\s+(?P<p>morning|afternoon|evening)\b"), _this_period),
    Rule(
        "en_mday",
        c(
            rf"\b(?:on\s+|by\s+|before\s+)?(?:the\s+)?(?P<d3>{EN_ORD}|\d{{1,2}})(?:\s+day)?\s+of\s+(?:the\s+)?"
            rf"(?P<which>(?:next|this|current|coming|following)\s+month)\b"
            rf"|\b(?:on\s+|by\s+|before\s+)?the\s+(?P<d>{EN_ORD})(?:\s+day)?(?:\s+of\s+(?:the\s+)?(?P<which2>month))?"
            rf"(?!\s+(?:day\s+)?(?:of|in)\s+(?:{EN_MONTH}))\b|\bon\s+(?P<d2>\d{{1,2}}(?:st|nd|rd|th))\b"
        ),
        lambda m, p, x: _mday_en(m, p, x),
    ),
    Rule(
        "zh_mday",
        c(
            rf"(?:在|于)?(?:(?P<which>下下?个?月|本月|这个?月|今个?月|同月)|(?<![月\d]))(?P<d>{NUM})\s*(?:号|日(?!\s*(?:后|之后|以后)))"
        ),
        _mday,
    ),
    Rule(
        "wd_mday",
        c(
            rf"\b(?P<wd>{EN_WD}|{_WD_SHORT})\.?,?\s+(?:the\s+)?(?P<d>\d{{1,2}}(?:st|nd|rd|th)|{EN_ORD})\b"
            rf"(?!\s+(?:day\s+)?(?:of\s+)?(?:{EN_MONTH}))"
        ),
        lambda m, p, x: _wd_mday(m, p, x),
    ),
    Rule(
        "zh_weekday",
        c(
            rf"(?:在|于)?(?P<pre>下下个?|下个?|这个?|本|上个?)?\s*{_ZH_WEEK}(?P<d>[一二三四五六日天1-7])(?P<by>前|之前|以前)?"
        ),
        _zh_weekday,
    ),
    Rule(
        "en_weekday",
        c(
            rf"\b(?P<by>by\s+|before\s+|until\s+)?(?:on\s+)?(?:(?P<pre>next|this\s+coming|this|coming|the\s+coming|last)\s+)?(?P<d>{EN_WD})\b\.?"
            rf"(?:\s+(?P<post>(?:of\s+)?next\s+week|after\s+next|(?:of\s+)?this\s+week))?"
            rf"|\b(?P<by2>by\s+|before\s+)?(?:(?:on|next|this|coming)\s+)(?P<d2>{_WD_SHORT})\b\.?"
            rf"|(?:^\s*|(?<=remind me ))(?P<d3>{_WD_SHORT})\b\.?(?=\s+[\d\x00]|\s+at\b|\s+to\b|\s+(?:morning|afternoon|evening|night)\b|\s*,|\s*$)"
            rf"|(?<=[\d\x00], )(?P<d4>{_WD_SHORT})\b\.?"
        ),
        lambda m, p, x: _en_weekday_any(m, p, x),
    ),
    # day of the month
    Rule(
        "week_word",
        c(
            r"\b(?:next\s+week(?:end)?|this\s+weekend|(?:on\s+|at\s+)?the\s+weekend|weekend)\b"
            r"|(?:下下|下个|下|这个?|本)?(?:周|星期|礼拜)末|下下?(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7])"
        ),
        _week_word,
    ),
    Rule(
        "month_word",
        c(
            r"\bnext\s+(?:month|year)\b|下(?:个)?月(?![\d一二三四五六七八九十底末初中])|明年(?![\d一二三四五六七八九十])"
        ),
        _month_word,
    ),
)


def _nth_wd_zh(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    class _M:
        def __init__(self, g: dict[str, str | None]) -> None:
            self.g = g

        def group(self, k: str) -> str | None:
            return self.g[k]

    which = m.group("which")
    o = "last" if m.group("o2") else m.group("o")
    return _nth_wd(_M({"o": o, "wd": m.group("wd"), "which": which}), p, x)  # type: ignore[arg-type]


def _month_edge_zh(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    class _M:
        def __init__(self, g: dict[str, str | None]) -> None:
            self.g = g

        def groupdict(self) -> dict[str, str | None]:
            return self.g

    if m.group("which2"):
        g = {"which": m.group("which2"), "edge": "first", "work": "work"}
    else:
        g = {
            "which": m.group("which"),
            "edge": "first" if m.group("edge") == "第一" else "last",
            "work": m.group("work"),
        }
    return _month_edge(_M(g), p, x)  # type: ignore[arg-type]


def _zh_month_part_any(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = m.group(0)
    if "年初" in w:
        return _set_day(p, date(x.today.year + 1, 1, 1))
    if m.group("which2") or w == "月中":
        which = m.group("which2") or ""
        if not which:
            day = next_mday(x.today, 15)
            return day is not None and _set_day(p, day, "month")
        return _set_day(p, _which_month(which, x).replace(day=15))
    return _zh_month_part(m, p, x)


def _wd_mday(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "Tuesday the 19th", "Thu 15th": the next 15th that is a Thursday."""
    d = ordinal(m.group("d"))
    day = next_mday(x.today, d)
    if day is None or not _set_day(p, day, "month"):
        return False
    if _agree(p, en_weekday(m.group("wd"))):
        return True
    p.day, p.roll = None, ""
    return False


def _en_weekday_any(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if m.group("d"):
        return _en_weekday(m, p, x)
    d = m.group("d2") or m.group("d3") or m.group("d4")
    pre = ""
    if m.group("d2"):
        head = m.group(0).lower().split()
        pre = next((w for w in head if w in ("next", "this")), "")
    return _weekday(p, x, en_weekday(d), pre, "", bool(m.group("by2")))


def _mday_en(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    class _M:
        def __init__(self, g: dict[str, str | None]) -> None:
            self.g = g

        def group(self, k: str) -> str | None:
            return self.g[k]

        def groupdict(self) -> dict[str, str | None]:
            return self.g

    which = m.group("which") or ""
    which = "next month" if re.match(r"(?:next|coming|following)", which, re.I) else ("this month" if which else "")
    return _mday(_M({"d": m.group("d") or m.group("d2") or m.group("d3"), "which": which}), p, x)  # type: ignore[arg-type]


def apply_shift(p: Parts, x: Ctx) -> None:
    """Apply "2 weeks from …" to the date found (today when none)."""
    if p.shift is None:
        return
    n, unit = p.shift
    base = p.day or x.today
    for _ in range(3):  # "月底前两天" on the 30th: the next month's end, two days before
        if re.match(r"(?:working|business|work)", unit, re.I):
            day = add_working_days(base, n, x.country) if n >= 0 else base
        else:
            day = add_units(base, n, unit)
        if day >= x.today or p.day is None:
            break
        if p.roll == "week":
            base = base + timedelta(days=7)
        elif p.roll == "month":
            nxt = next_mday(base, base.day, inclusive=False)
            if nxt is None:
                break
            base = nxt
        elif p.roll == "year":
            base = base.replace(year=base.year + 1) if not (base.month == 2 and base.day == 29) else base
        elif p.roll.startswith("period:"):
            base = next_period_end(base, p.roll.split(":")[1])
        else:
            break
    p.day = day
    p.roll = ""


SHIFT_RULES: tuple[Rule, ...] = (
    Rule(
        "en_shift",
        c(
            rf"\b(?:(?P<n>{EN_NUM})\s+(?P<u>days?|weeks?|months?|years?|(?:working|business)\s+days?)|the\s+(?P<u2>day|week))\s+"
            rf"(?P<dir>from|after|following|before|prior\s+to)\s+(?!now\b|today\b(?!\s))"
        ),
        lambda m, p, x: _shift_en(m, p, x),
    ),
    Rule(
        "zh_shift",
        c(
            rf"(?<=\x00)\s*(?:的)?(?P<dir>之后|以后|后|起|前|之前|以前)\s*(?:第)?(?P<n>{NUM})\s*个?(?P<u>天|周|星期|礼拜|月|年)"
        ),
        _shift,
    ),
)


def _shift_en(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.shift is not None:
        return False
    if m.group("u2"):
        n, unit = 1, m.group("u2")
    else:
        n, unit = to_int(m.group("n")), m.group("u")
    sign = -1 if m.group("dir").lower().startswith(("before", "prior")) else 1
    p.shift = (sign * n, unit)
    return True
