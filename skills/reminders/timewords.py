"""Vocabulary of reminder time expressions in English and Chinese: regexes and small number/weekday helpers.

Pure data and helpers for :mod:`skills.reminders.timeparse`; Chinese numerals go through ``cn2an``.
"""

from __future__ import annotations

import re
from datetime import time

import cn2an

__all__ = [
    "EN_MONTHS",
    "NUM",
    "PERIOD_DEFAULT",
    "RULES",
    "WEEKDAY_CODES",
    "en_weekday",
    "to_int",
    "zh_weekday",
]

# A number as officers type it: Arabic digits or Chinese numerals ("两", "十二", "二十三").
NUM = r"(?:\d{1,4}|[零〇一二两三四五六七八九十]{1,3})"
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_EN_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + r")"

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_EN_DAYS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
_EN_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)"
EN_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ZH_WD = r"[一二三四五六日天1-7]"

# Default clock time for a part of day given without a time ("this afternoon", "今晚").
PERIOD_DEFAULT = {
    "morning": time(9, 0),
    "noon": time(12, 0),
    "afternoon": time(15, 0),
    "evening": time(20, 0),
    "night": time(20, 0),
    "early": time(6, 0),
}
_ZH_PERIOD = {
    "上午": "morning", "早上": "morning", "早晨": "morning", "早": "morning", "清早": "morning",
    "中午": "noon", "下午": "afternoon", "晚上": "evening", "傍晚": "evening", "晚": "evening",
    "夜里": "night", "夜间": "night", "凌晨": "early",
}  # fmt: skip


def to_int(token: str) -> int:
    """A number token (``"12"``, ``"两"``, ``"十二"``, ``"two"``) as an int."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if token in _EN_NUMBERS:
        return _EN_NUMBERS[token]
    try:
        return int(cn2an.cn2an(token, "smart"))
    except KeyError:  # cn2an's own failure on some malformed runs ("万亿八"); callers expect ValueError
        raise ValueError(token) from None


def to_float(token: str) -> float:
    """Like :func:`to_int` but accepts ``"1.5"``."""
    token = token.strip().lower()
    try:
        return float(token)
    except ValueError:
        return float(to_int(token))


def zh_weekday(char: str) -> int:
    """Monday=0 … Sunday=6 for ``一``…``日``/``天`` or ``1``…``7``."""
    if char.isdigit():
        return (int(char) - 1) % 7
    return _ZH_WEEKDAY[char]


def en_weekday(word: str) -> int:
    """Monday=0 … Sunday=6 for an English day name or abbreviation (plural allowed)."""
    return ("mo", "tu", "we", "th", "fr", "sa", "su").index(word.lower()[:2])


def zh_period(word: str | None) -> str | None:
    """The part of day a Chinese word names (``下午`` → ``afternoon``)."""
    return _ZH_PERIOD.get(word) if word else None


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Named rules, applied in this order; each match consumes its span of the text.
RULES: dict[str, re.Pattern[str]] = {
    "urgent": _c(r"\b(?:urgent(?:ly)?|asap)\b[,:]?|(?:紧急|加急)[，,:：]?"),
    # recurring
    "zh_rec_workday": _c(r"每(?:个)?工作日"),
    "zh_rec_daily": _c(r"每(?:天|日)"),
    "zh_rec_weekly": _c(
        rf"每(?:个)?(?:周|星期|礼拜)(?P<days>{_ZH_WD}(?:\s*[、，,和及与]\s*(?:周|星期|礼拜)?{_ZH_WD})*)"
    ),
    "zh_rec_monthly": _c(rf"每(?:个)?月(?:的)?(?:(?P<day>{NUM})\s*[号日]|(?P<last>月?底|月?末|最后一天)|(?P<first>初))"),
    "en_rec_workday": _c(r"\b(?:every|each)\s+(?:working|business|work)\s+day\b"),
    "en_rec_weekday": _c(r"\b(?:(?:every|each)\s+weekday|(?:on\s+)?weekdays)\b"),
    "en_rec_daily": _c(r"\b(?:daily|every\s*day|each\s+day)\b"),
    "en_rec_weekly": _c(
        rf"\b(?:(?:every|each)\s+(?P<d1>{_EN_WEEKDAY})|(?:weekly\s+)?on\s+(?P<d2>{_EN_DAYS}[a-z]*days|{_EN_DAYS}s))"
        rf"(?P<more>(?:\s*(?:,|and|&)\s*{_EN_WEEKDAY}s?)*)\b|\bweekly\b"
    ),
    "en_rec_monthly": _c(
        r"\b(?:monthly|(?:every|each)\s+month)(?:\s+on\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
        r"|\s+on\s+the\s+(?P<last>last\s+day))?\b"
        r"|\bon\s+the\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+of\s+(?:every|each)\s+month\b"
        r"|\b(?:at\s+the\s+)?end\s+of\s+(?:every|each)\s+month\b"
    ),
    # relative offsets
    "zh_workdays": _c(rf"(?P<n>{NUM})\s*个?\s*工作日\s*(?:后|以后|之后|内)?"),
    "zh_offset": _c(
        rf"(?:过\s*)?(?P<n>{NUM}|半)\s*(?P<half1>个半)?\s*个?\s*(?P<unit>分钟|分|小时|钟头|天|日|周|星期|礼拜|月)"
        rf"(?P<half2>半)?\s*(?:后|以后|之后)"
    ),
    "en_workdays": _c(rf"\b(?:in|after|within)?\s*(?P<n>{_EN_NUM})\s+(?:working|business|work)\s+days?\b"),
    "en_offset": _c(
        rf"\b(?:in\s+(?P<half>half\s+an?\s+hour)|in\s+(?P<n>{_EN_NUM})\s*(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d|"
        rf"weeks?|w|months?)|(?P<n2>{_EN_NUM})\s+(?P<unit2>minutes?|hours?|days?|weeks?)\s+from\s+now)\b"
    ),
    # day words
    "zh_day": _c(r"(?:在|于)?(?P<w>大后天|后天|明天|明日|明儿|明早|明晚|今天|今日|今儿|今晚|今早)"),
    "zh_eom": _c(r"(?:在|于)?(?P<next>下个?)?月(?:底|末)(?:前)?"),
    "zh_next_month": _c(rf"(?:在|于)?下(?:个)?月(?:(?P<d>{NUM})\s*[号日])?"),
    "zh_eod": _c(r"(?:今天)?(?:下班前|下班之前|收工前)"),
    "zh_next_week": _c(r"(?:在|于)?下(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7])"),
    "zh_weekday": _c(rf"(?:在|于)?(?P<pre>下下|下个|下|这个|这|本)?\s*(?:周|星期|礼拜)(?P<d>{_ZH_WD})(?P<by>前|之前|以前)?"),
    "en_day": _c(
        r"\b(?P<w>the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|tomorrow|tmrw|tmr|today|tonight)\b"
        r"(?:\s+(?P<p>morning|afternoon|evening|night))?"
    ),
    "en_this_period": _c(r"\bthis\s+(?P<p>morning|afternoon|evening)\b"),
    "en_eod": _c(r"\b(?:by\s+|at\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?day|eod|close\s+of\s+business|cob)\b"),
    "en_eom": _c(r"\b(?:by\s+|at\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?P<next>next\s+)?month|eom)\b"),
    "en_eow": _c(r"\b(?:by\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?week\b"),
    "en_next_week": _c(r"\bnext\s+week\b"),
    "en_next_month": _c(r"\bnext\s+month\b"),
    "en_weekday": _c(rf"\b(?P<by>by\s+|before\s+)?(?:on\s+)?(?:(?P<pre>next|this|coming)\s+)?(?P<d>{_EN_WEEKDAY})\b\.?"),
    # absolute dates
    "zh_date": _c(rf"(?:在|于)?(?:(?P<y>\d{{4}})\s*年\s*)?(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[日号]"),
    "iso_date": _c(r"\b(?:on\s+)?(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    "en_date": _c(
        rf"\b(?:on\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{EN_MONTHS})|(?P<m2>{EN_MONTHS})\s+"
        rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)(?:,?\s+(?P<y>\d{{4}}))?(?![\w:])"
    ),
    "zh_mday": _c(rf"(?:在|于)?(?<![月\d])(?P<d>{NUM})\s*号"),
    "en_mday": _c(r"\bon\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b"),
    # times of day
    "zh_time": _c(
        rf"(?P<p>上午|早上|早晨|清早|中午|下午|晚上|傍晚|夜里|凌晨|早|晚)?\s*(?P<h>{NUM})\s*(?P<sep>点钟|点|时|:)\s*"
        rf"(?:(?P<half>半)|(?P<q1>一刻)|(?P<q3>三刻)|(?P<m>{NUM})\s*分?)?(?!\d|\s*[ap]\.?m)"
    ),
    "en_time": _c(
        r"(?:\b(?:at|@)\s*)?\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?!\w)"
        r"|(?:\b(?:at|@)\s*)(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?(?:\s*o'?clock)?\b(?![.\d%]|\s*(?:days?|hours?|minutes?|d\b|h\b))"
        r"|(?<!\d)(?P<h3>\d{1,2}):(?P<m3>\d{2})(?!\d)"
        r"|\b(?P<h4>\d{1,2})\s*o'?clock\b"
    ),
    "en_noon": _c(r"\b(?:at\s+)?(?P<w>noon|midday|lunchtime|midnight)\b"),
    "zh_period": _c(r"(?P<p>上午|早上|早晨|中午|下午|晚上|傍晚)"),
    "en_period": _c(r"\b(?:in\s+the\s+)?(?P<p>morning|afternoon|evening)\b"),
}
