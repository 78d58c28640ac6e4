"""Vocabulary of reminder time expressions in English and Chinese: regex fragments and number/weekday helpers.

Chinese numerals go through ``cn2an``, English number words through ``word2number``.
"""

from __future__ import annotations

import re
from datetime import time

from word2number import w2n

from skills.lazyre import LazyPattern

__all__ = [
    "EN_HOUR",
    "EN_MONTH",
    "EN_NUM",
    "EN_ORD",
    "EN_WD",
    "NUM",
    "PERIOD_DEFAULT",
    "WEEKDAY_CODES",
    "ZH_WD",
    "LazyPattern",
    "c",
    "en_month",
    "en_weekday",
    "ordinal",
    "to_float",
    "to_int",
    "zh_period",
    "zh_weekday",
]

# A number as officers type it: Arabic digits or Chinese numerals ("两", "十二", "二十三").
NUM = r"(?:\d{1,4}|[零〇一二两三四五六七八九十]{1,3})"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty"
_EN_WORD = rf"(?:(?:{_TENS})(?:[\s-](?:{_ONES}))?|{_TEENS}|{_ONES})"
# A number in digits or words ("3", "1.5", "three", "thirty-five", "a", "a couple of").
EN_NUM = rf"(?:\d+(?:\.\d+)?|{_EN_WORD}|an?|a\s+couple(?:\s+of)?|a\s+few|couple(?:\s+of)?|few)"
# An hour of the clock in digits or words.
EN_HOUR = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
EN_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
# Weekday names; bare three-letter forms ("Mon") are read only with a marker, see the rules.
EN_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|thurs|thur|weds)"
EN_WD_SHORT = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "last": -1,
}  # fmt: skip
EN_ORD = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|" + "|".join(sorted((k for k in _ORDINALS if k != "last"), key=len, reverse=True)) + ")"
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ZH_WD = r"[一二三四五六日天末1-7]"
_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_SMALL = {"a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a couple": 2, "couple": 2, "a few": 3, "few": 3}

# Default clock time for a part of day given without a time ("this afternoon", "今晚").
PERIOD_DEFAULT = {
    "early": time(6, 0),
    "morning": time(9, 0),
    "noon": time(12, 0),
    "afternoon": time(15, 0),
    "dusk": time(18, 0),
    "evening": time(20, 0),
    "night": time(20, 0),
    "late": time(23, 0),
}
_ZH_PERIOD = {
    "上午": "morning", "早上": "morning", "早晨": "morning", "早": "morning", "清早": "morning", "一早": "morning",
    "大清早": "morning", "早间": "morning", "明早": "morning", "今早": "morning", "明晨": "morning",
    "中午": "noon", "正午": "noon", "午间": "noon", "下午": "afternoon", "午后": "afternoon",
    "傍晚": "dusk", "黄昏": "dusk", "晚上": "evening", "晚间": "evening", "晚": "evening", "今晚": "evening",
    "明晚": "evening", "夜里": "night", "夜间": "night", "夜晚": "night", "今夜": "night", "深夜": "late",
    "半夜": "late", "凌晨": "early",
}  # fmt: skip


def c(pattern: str) -> LazyPattern:
    """A case-insensitive rule pattern, compiled on first use, not at import.

    The parser's table holds over a hundred large patterns; compiling them all at import cost every
    command (``/help`` included) about a fifth of a second (see :class:`~skills.lazyre.LazyPattern`).

    >>> rule = c("noon|midday")
    >>> rule.search("at NOON").group(), rule.pattern
    ('NOON', 'noon|midday')
    """
    return LazyPattern(pattern, re.I)


def to_int(token: str) -> int:
    """A number token (``"12"``, ``"两"``, ``"十二"``, ``"two"``, ``"thirty-five"``) as an int."""
    token = re.sub(r"\s+", " ", token.strip().lower())
    if token.isdigit():
        return int(token)
    if token in _SMALL:
        return _SMALL[token]
    if re.fullmatch(r"[a-z -]+", token):
        return int(w2n.word_to_num(token.replace("-", " ")))
    try:
        import cn2an  # 0.2 s to import: loaded with the first Chinese numeral, not with every command

        return int(cn2an.cn2an(token, "smart"))
    except KeyError:  # cn2an's own failure on some malformed runs ("万亿八"); callers expect ValueError
        raise ValueError(token) from None


def to_float(token: str) -> float:
    """Like :func:`to_int` but accepts ``"1.5"``."""
    try:
        return float(token.strip())
    except ValueError:
        return float(to_int(token))


def ordinal(token: str) -> int:
    """``"3rd"`` / ``"third"`` / ``"twenty-first"`` / ``"last"`` → 3 / 3 / 21 / -1."""
    token = token.strip().lower().replace("-", " ")
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", token)
    if m:
        return int(m.group(1))
    if token in _ORDINALS:
        return _ORDINALS[token]
    tens, _, unit = token.partition(" ")
    if not unit and token[:6] in ("twenty", "thirty"):
        tens, unit = token[:6], token[6:]
    return {"twenty": 20, "thirty": 30}[tens] + _ORDINALS[unit]


def zh_weekday(char: str) -> int:
    """Monday=0 … Sunday=6 for ``一``…``日``/``天`` or ``1``…``7`` (``末``: Saturday)."""
    if char.isdigit():
        return (int(char) - 1) % 7
    return _ZH_WEEKDAY[char]


def en_weekday(word: str) -> int:
    """Monday=0 … Sunday=6 for an English day name or abbreviation (plural allowed)."""
    return ("mo", "tu", "we", "th", "fr", "sa", "su").index(word.lower()[:2])


def en_month(word: str) -> int:
    """1…12 for an English month name or abbreviation."""
    key = word.lower()[:3]
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(key) + 1


def zh_period(word: str | None) -> str | None:
    """The part of day a Chinese word names (``下午`` → ``afternoon``)."""
    return _ZH_PERIOD.get(word) if word else None
