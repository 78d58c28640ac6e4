"""Rules for the day of a reminder: offsets, festivals, absolute and relative dates, weekdays, month/quarter ends.

Each :class:`~skills.reminders.parts.Rule` pairs a pattern with its resolver. Conventions
(docs/reminders.md): "next Friday" / 下周五 = that weekday of next week; a bare weekday or day of the
month = its next occurrence (today while still ahead); a date without a year = its next occurrence; a
numeric date that reads two ways (3/4) follows the officer's locale, or is asked about.
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
from skills.reminders.festivals import after_holiday, before_holiday, festival_date, lunar_date
from skills.reminders.parts import Ctx, Parts, Rule
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
    to_float,
    to_int,
    zh_weekday,
)
from skills.reminders.workdays import add_working_days, is_official

__all__ = ["DATE_RULES", "FESTIVAL_RULES", "OFFSET_RULES"]

_WD_SHORT = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_ZH_WEEK = r"(?:周|星期|礼拜)"


def _set_day(p: Parts, day: date, roll: str = "") -> bool:
    if p.day is not None or p.delta is not None or p.alt_days:
        return False  # one date per reminder; a second one stays in the task
    p.day, p.roll = day, roll
    return True


# -- offsets ----------------------------------------------------------------------------------------------

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


def _shift(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.shift is not None:
        return False
    n = to_int(m.group("n")) if m.group("n") else 1
    sign = -1 if m.group("dir").lower() in ("before", "prior to", "前", "之前", "以前") else 1
    p.shift = (sign * n, m.group("u"))
    return True


def _nth_weekday_from_now(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """"3 fridays from now": the third Friday after today."""
    n = to_int(m.group("n"))
    wd = en_weekday(m.group("wd"))
    if not 1 <= n <= 520:
        return False
    first = x.today + timedelta(days=(wd - x.today.weekday()) % 7 or 7)
    return _set_day(p, first + timedelta(weeks=n - 1))


OFFSET_RULES: tuple[Rule, ...] = (
    Rule("en_n_weekdays", c(rf"\b(?P<n>{EN_NUM})\s+(?P<wd>{EN_WD}|mon|tue|wed|thu|fri|sat|sun)s\s+from\s+(?:now|today)\b"),
         _nth_weekday_from_now),
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
    Rule("en_upcoming_days", c(rf"\b(?:(?:upcoming|coming)\s+(?P<n>{EN_NUM})|(?P<n2>{EN_NUM})\s+(?:upcoming|coming))\s+days?\b"),
         lambda m, p, x: _offset(p, x, to_int(m.group("n") or m.group("n2")), "days")),
    Rule("zh_quarter_hour", c(r"(?P<n>[一两三1-3])\s*刻钟\s*(?:后|以后|之后)"),
         lambda m, p, x: _offset(p, x, 15 * to_int(m.group("n")), "minutes")),
    Rule("zh_after", c(rf"过\s*(?P<n>{NUM}|半)\s*个?\s*(?P<u>分钟|小时|钟头|天)"), _zh_offset),
)


# -- festivals --------------------------------------------------------------------------------------------

_ZH_FEST = {
    "元旦": "new_year", "春节": "spring", "过年": "spring", "大年初一": "spring", "除夕": "eve", "大年三十": "eve",
    "年三十": "eve", "元宵": "lantern", "元宵节": "lantern", "情人节": "valentine", "妇女节": "women",
    "清明": "qingming", "清明节": "qingming", "劳动节": "labour", "五一": "labour", "青年节": "youth",
    "儿童节": "children", "六一": "children", "端午": "dragon_boat", "端午节": "dragon_boat", "七夕": "qixi",
    "中秋": "mid_autumn", "中秋节": "mid_autumn", "国庆": "national", "国庆节": "national", "十一": "national",
    "重阳": "double_ninth", "重阳节": "double_ninth", "腊八": "laba", "腊八节": "laba", "小年": "xiaonian",
    "阳历新年": "new_year", "农历新年": "spring", "新春": "spring", "正月正时": "spring", "正月朔日": "spring",
    "春节假期": "spring", "圣瓦伦丁节": "valentine", "平安夜": "christmas_eve", "圣诞": "christmas", "圣诞节": "christmas",
}  # fmt: skip
_EN_FEST = {
    "new year's day": "new_year", "new years day": "new_year", "new year": "new_year",
    "chinese new year": "spring", "lunar new year": "spring", "spring festival": "spring", "cny": "spring",
    "chinese new year's eve": "eve", "chinese new year's day": "spring", "lunar new year's day": "spring", "lantern festival": "lantern", "valentine's day": "valentine",
    "valentines day": "valentine", "valentine day": "valentine", "valentine's": "valentine", "women's day": "women", "qingming": "qingming", "qingming festival": "qingming",
    "tomb sweeping day": "qingming", "tomb-sweeping day": "qingming", "labour day": "labour", "labor day": "labour",
    "may day": "labour", "dragon boat festival": "dragon_boat", "dragon boat": "dragon_boat",
    "mid-autumn festival": "mid_autumn", "mid autumn festival": "mid_autumn", "mid-autumn": "mid_autumn",
    "moon festival": "mid_autumn", "national day": "national", "golden week": "national",
    "christmas eve": "christmas_eve", "christmas day": "christmas", "christmas": "christmas", "xmas": "christmas",
    "easter": "easter", "easter sunday": "easter", "the ides of march": "ides_march", "ides of march": "ides_march",
    "new year's eve": "new_year_eve", "new years eve": "new_year_eve", "nye": "new_year_eve",
}  # fmt: skip
_MAJOR = ("new_year", "spring", "qingming", "labour", "dragon_boat", "mid_autumn", "national")
_ZH_FEST_RE = "|".join(sorted(_ZH_FEST, key=len, reverse=True))
_EN_FEST_RE = "|".join(re.escape(k) for k in sorted(_EN_FEST, key=len, reverse=True))
_ZH_BEFORE = ("前", "之前", "以前", "前最后一个工作日", "前最后一天", "放假前", "假期前", "前一个工作日")
_HOLIDAY = r"(?:节)?(?:假期|长假|小长假|放假|假)?"


def _festival_day(key: str, how: str, x: Ctx, p: Parts, year_said: int | None = None) -> bool:
    """``how``: "" (the day), "before"/"after" (working day around the holiday), "eve"/"next" (day before/after)."""
    best: tuple[date, bool] | None = None
    years = (year_said,) if year_said else (x.today.year - 1, x.today.year, x.today.year + 1, x.today.year + 2)
    for year in years:
        try:
            if how == "before":
                day, official = before_holiday(key, year, x.country)
            elif how == "after":
                day, official = after_holiday(key, year, x.country)
            else:
                day = festival_date(key, year) + timedelta(days={"eve": -1, "next": 1}.get(how, 0))
                official = True
        except ValueError:
            continue
        if day >= x.today and (best is None or day < best[0]):
            best = (day, official)
    if best is None or not _set_day(p, best[0], "festival"):
        return False
    if how in ("before", "after") and not (best[1] and is_official(best[0], x.country)):
        p.estimated = True
    return True


def _zh_festival(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    rel = m.group("rel") or ""
    how = ""
    if rel.endswith("前一天"):
        how = "eve"
    elif rel.endswith("后一天") and "上班" not in rel:
        how = "next"
    elif rel.startswith(("前", "之前", "以前", "放假前", "假期前")) or rel in _ZH_BEFORE:
        how = "before"
    elif rel:
        how = "after"
    return _festival_day(_ZH_FEST[m.group("f")], how, x, p)


def _zh_holiday_generic(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "节前" / "节后" / "假期后": around the next holiday block."""
    how = "before" if "前" in m.group(0) else "after"
    best: tuple[date, str] | None = None
    for key in _MAJOR:
        probe = Parts()
        if _festival_day(key, how, x, probe) and probe.day and (best is None or probe.day < best[0]):
            best = (probe.day, key)
    return best is not None and _festival_day(best[1], how, x, p)


def _en_festival(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    rel = (m.group("rel") or "").lower()
    how = ""
    if rel:
        if rel.startswith("the day before"):
            how = "eve"
        elif rel.startswith("the day after"):
            how = "next"
        else:
            how = "before" if "before" in rel else "after"
    year = int(m.group("y")) if m.group("y") else None
    return _festival_day(_EN_FEST[m.group("f").lower()], how, x, p, year)


def _lunar(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    month_s, day_s = m.group("m"), m.group("d")
    explicit = bool(m.group("pre")) or month_s in ("正", "冬", "腊") or day_s[0] in "初廿"
    if not explicit and (m.group("suffix") or not re.fullmatch(r"[一二三四五六七八九十]+", day_s)):
        return False
    month = {"正": 1, "冬": 11, "腊": 12}.get(month_s) or to_int(month_s)
    if day_s.startswith("初"):
        d = to_int(day_s[1:])
    elif day_s.startswith("廿"):
        d = 20 + (to_int(day_s[1:]) if len(day_s) > 1 else 0)
    else:
        d = to_int(day_s)
    if not (1 <= month <= 12 and 1 <= d <= 30):
        return False
    for year in (x.today.year - 1, x.today.year, x.today.year + 1):
        try:
            day = lunar_date(year, month, d)
        except Exception:
            continue
        if day >= x.today:
            return _set_day(p, day, "festival")
    return False


_ZH_LUNAR_DAY = r"(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]?|三十|[一二三四五六七八九十])"
FESTIVAL_RULES: tuple[Rule, ...] = (
    Rule(
        "zh_festival",
        c(
            rf"(?:在|于)?(?P<f>{_ZH_FEST_RE})(?![点号日月\d])(?P<rel>{_HOLIDAY}(?:前一天|后一天|前最后一个工作日|前最后一天"
            rf"|前一个工作日|之前|以前|前|结束后|之后|以后|过后|后(?:的)?(?:第一天上班|上班第一天|第一个工作日|第一天|上班|开工)?)"
            rf"|(?:假期|长假|小长假)?(?:收假后|后)?(?:的)?(?:第一天上班|上班第一天|第一个工作日|开工))?"
        ),
        _zh_festival,
    ),
    Rule(
        "zh_holiday",
        c(
            r"(?:节|假期|长假|放假)(?:前|后)(?:的)?(?:第一天上班|上班第一天|第一个工作日|最后一个工作日|最后一天)?"
            r"|收假后(?:第一天)?"
        ),
        _zh_holiday_generic,
    ),
    Rule(
        "zh_lunar",
        c(
            rf"(?P<pre>农历|阴历)?(?P<m>正|冬|腊|十一|十二|[一二三四五六七八九十])月(?P<d>{_ZH_LUNAR_DAY})(?P<suffix>[号日])?"
        ),
        _lunar,
    ),
    Rule(
        "en_festival",
        c(
            rf"\b(?:on\s+|by\s+)?(?P<rel>the\s+day\s+(?:before|after)|(?:the\s+)?(?:first|1st)\s+(?:working|business|work)\s+day"
            rf"\s+after|(?:the\s+)?last\s+(?:working|business|work)\s+day\s+before|right\s+(?:before|after)|before|after)?\s*"
            rf"(?:the\s+)?(?P<f>{_EN_FEST_RE})(?:\s+(?:holidays?|break|vacation))?\b(?:,?\s*(?:of\s+)?(?P<y>20\d\d)\b)?"
        ),
        _en_festival,
    ),
)


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
    year = int(m.group("y")) if m.group("y") else (2000 + int(m.group("y2")) if m.group("y2") and m.group("m1") else None)
    if m.group("y2") and not m.group("m1"):
        return False
    return _ymd(p, x, year, month, day)


def _which_month(word: str, x: Ctx) -> date:
    """The first day of the month a phrase names: "next month", "this month", "July", "7月", "下个月"."""
    w = word.strip().lower()
    first = x.today.replace(day=1)
    if w.startswith(("next", "下")):
        return add_months(first, 2 if w.startswith("下下") else 1)
    if w in ("", "month", "the month", "this month", "current month", "本月", "同月", "这个月", "这月", "当月", "该月", "今个月", "今月"):
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
    """"the 5th last day of May": counted back from the month's last day."""
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
    """"Wednesday Addams", "April May": a capitalised day name followed by a capitalised word, with no marker."""
    word = m.group("d")
    if m.group("pre") or m.group("by") or m.group(0).lower().startswith("on ") or not word[:1].isupper():
        return False
    after = m.string[m.end() :]
    nxt = re.match(r"\s+([A-Z][a-z]+)", after)
    return bool(nxt) and not re.fullmatch(
        r"(?:At|On|To|By|Next|This|Morning|Afternoon|Evening|Night|Noon)|" + EN_MONTH.replace("\\.?", ""),
        nxt.group(1), re.I)


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
        c(rf"\b(?:the\s+)?(?P<n>{EN_ORD})\s+(?:to\s+)?last\s+day\s+(?:of|in)\s+(?:the\s+)?(?P<which>next\s+month|this\s+month|month|{EN_MONTH})\b"),
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
            rf"|(?:^\s*|(?<=remind me ))(?P<d3>{_WD_SHORT})\b\.?(?=\s+\d|\s+at\b|\s+to\b|\s+(?:morning|afternoon|evening|night)\b|\s*,|\s*$)"
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
    """"Tuesday the 19th", "Thu 15th": the next 15th that is a Thursday."""
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
