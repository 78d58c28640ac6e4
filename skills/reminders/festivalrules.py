"""Rules for festivals: 春节, 元宵, 清明, 端午, 中秋, 国庆, 元旦, 除夕…, 节前/节后, lunar dates, Christmas, Easter.

Each :class:`~skills.reminders.parts.Rule` pairs a pattern with its resolver; dates and holiday blocks come
from :mod:`.festivals`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from skills.reminders.festivals import after_holiday, before_holiday, festival_date, lunar_date
from skills.reminders.parts import Ctx, Parts, Rule, set_day
from skills.reminders.timewords import c, to_int
from skills.reminders.workdays import is_official

__all__ = ["FESTIVAL_RULES"]

_set_day = set_day

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
