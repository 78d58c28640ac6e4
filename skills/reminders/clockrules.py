"""Rules for the clock time of a reminder: "2pm", "14:55", "415pm", "half past nine", "ten to six", "nine fifteen",
"5ish", "noon", "midnight", "下午3点半", "晚上12点", "凌晨2点", and part-of-day words ("in the morning", 傍晚).

Each :class:`~skills.reminders.parts.Rule` pairs a pattern with its resolver; :func:`hours` turns the
clock, a.m./p.m. and part of day into 24-hour readings (documented in docs/reminders.md).
"""

from __future__ import annotations

import re

from skills.reminders.parts import Ctx, Parts, Rule
from skills.reminders.timewords import EN_HOUR, NUM, c, to_int, zh_period

__all__ = ["CLOCK_RULES", "PERIOD_RULES", "hours"]

_AP = r"(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
_AT = r"(?:(?:\b(?:at|around|about|approximately|approx\.?|by|before|till|until|from|for)\b|@)\s*)"
_MINWORD = (
    r"(?:oh[\s-](?:one|two|three|four|five|six|seven|eight|nine)|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?)"
)
_HOURWORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_NOT_QTY = (
    r"(?![\d.,:%/]|\s*(?:st|nd|rd|th|days?|hours?|hrs?|h\b|minutes?|mins?|weeks?|months?|years?|%|k\b|m\b|working"
    r"|business|percent|times|pcs|units|people|clients?|invoices?|usd|rmb|cny|元|万|号|日|个|天|月))"
)


# Fixed-width look-behinds (one per day word and separator) so the day word itself is left for the date rules.
_DAY_WORDS = (
    "tomorrow", "tmrw", "tmr", "tmw", "2moro", "2mrw", "today", "tdy", "tonight", "mon", "monday", "tue", "tues",
    "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday",
    "sun", "sunday",
)  # fmt: skip
_AFTER_DAY = "|".join(rf"(?<=\b{w} )|(?<=\b{w}, )" for w in _DAY_WORDS)


def _set(p: Parts, h: int, minute: int = 0, sec: int = 0, *, ap: str | None = None, h24: bool = False) -> bool:
    if p.clock is not None or not (0 <= h <= 24 and 0 <= minute <= 59 and 0 <= sec <= 59):
        return False
    if ap and not 1 <= h <= 12:
        return False
    if h == 24:
        h, p.day_plus = 0, 1
    p.clock = (h, minute, sec)
    if ap:
        p.ampm = "pm" if ap.lower().startswith("p") else "am"
    p.clock_24h = h24
    return True


def _hnum(s: str) -> int:
    return int(s) if s.isdigit() else to_int(s)


def _colon(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    h_s = m.group("h")
    h = int(h_s)
    # "14:00", "09:30", "10:00", "15h30": a 24-hour clock; "5:30" with one digit reads office hours like "at 5"
    ap = m.group("ap") or m.group("ap1")
    h24 = not ap and (m.group("sep").lower() == "h" or h == 0 or len(h_s) == 2)
    if not _set(p, h, int(m.group("m")), int(m.group("s") or 0), ap=ap, h24=h24):
        return False
    p.soft_24h = h24 and 10 <= h <= 12 and m.group("sep") == ":"
    return True


def _ap(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if m.group("hm"):
        hm = m.group("hm")
        return _set(p, int(hm[:-2]), int(hm[-2:]), ap=m.group("ap"))
    return _set(p, _hnum(m.group("h")), int(m.group("m") or 0), ap=m.group("ap"))


def _relative(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "half past nine", "quarter to 6", "ten to six", "20 past 4"."""
    mins_s = m.group("mins").lower()
    mins = 30 if mins_s == "half" else 15 if "quarter" in mins_s else to_int(mins_s)
    h_s = m.group("h").lower()
    if h_s in ("noon", "midnight"):
        h, h24 = (12, True) if h_s == "noon" else (0, True)
    else:
        h, h24 = _hnum(h_s), False
    if not 0 < mins < 60:
        return False
    if m.group("rel").lower() == "from" and not m.group("ap") and not h24:
        return False  # "5 from 3" is not a time; "15 minutes from 1pm" is
    if m.group("rel").lower() in ("to", "till", "til", "before", "of"):
        total = (h * 60 - mins) % (24 * 60) if h24 else ((h - 1) % 12 or 12) * 60 + 60 - mins
        h, minute = divmod(total, 60)
        if not h24:
            h = h % 12 or 12
    else:
        minute = mins
    if not _set(p, h, minute, ap=m.group("ap"), h24=h24):
        return False
    if h24 and h_s == "midnight" and m.group("rel").lower() not in ("to", "till", "til", "before", "of"):
        p.day_plus = 1
    return True


def _words(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "at nine", "nine fifteen", "six thirty-five pm", "nine oh five"."""
    h = to_int(m.group("h"))
    mins_s = (m.group("m") or "").lower().replace("oh", "").strip(" -")
    minute = to_int(mins_s) if mins_s else 0
    return _set(p, h, minute, ap=m.group("ap"))


def _ish(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    return _set(p, _hnum(m.group("h")), int(m.group("m") or 0))


def _at(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    h_s = m.group("h")
    h = _hnum(h_s)
    if h > 24:
        return False
    return _set(p, h, 0, h24=h == 0 or h >= 13 or (len(h_s) == 2 and h_s[0] == "0"))


def _noon(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    w = m.group("w").lower().replace("-", "").replace(" ", "")
    if w == "midnight":
        if not _set(p, 0, h24=True):
            return False
        p.day_plus = 1
        return True
    return _set(p, 12, h24=True)


def _h_then_period(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    """ "8 in the morning", "7 tonight": the hour; the part of day is read by the period rules."""
    return _set(p, _hnum(m.group("h")), int(m.group("m") or 0))


def _zh(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    g = m.groupdict()
    h = to_int(g["h"])
    minute = 30 if g.get("half") else 15 if g.get("q1") else 45 if g.get("q3") else to_int(g["m"]) if g.get("m") else 0
    k = g.get("k") or g.get("k2")
    if k:  # Cantonese 三点踏三 / 三点三个字: marks of five minutes
        minute = 30 if k == "半" else 5 * to_int(k)
    sec = to_int(g["s"]) if g.get("s") else 0
    if g.get("cha"):  # 差5分10点 / 10点差5分
        minute = -to_int(g["cha"])
    if minute < 0:
        h, minute = h - 1, 60 + minute
    period = zh_period(g.get("p"))
    h24 = h == 0 or h >= 13 or (g["h"].startswith("0") and len(g["h"]) == 2)
    if not _set(p, h, minute, sec, h24=h24):
        return False
    if period:
        p.period = period
    return True


def _zh_midnight(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if not _set(p, 0, h24=True):
        return False
    p.day_plus = 1
    return True


_PERIODS_ZH = r"(?:大清早|清早|一早|上午|早上|早晨|早间|中午|正午|午间|下午|午后|傍晚|黄昏|晚上|晚间|夜里|夜间|夜晚|深夜|半夜|凌晨|早|晚)"
CLOCK_RULES: tuple[Rule, ...] = (
    Rule("en_relative", c(
        rf"{_AT}?\b(?P<mins>half|(?:a\s+)?quarter|\d{{1,2}}|{_MINWORD}|five|six|seven|eight|nine)(?:\s+minutes?)?\s+"
        rf"(?P<rel>past|after|to|till|til|before|of|from)\s+(?P<h>{EN_HOUR}|noon|midnight)(?![\d:])(?:\s*{_AP}|\s*h\b)?"),
        _relative),
    Rule("en_half_h", c(rf"{_AT}?\bhalf\s+(?P<h>{EN_HOUR})\b(?!\s*(?:hours?|days?|weeks?|an?\b))(?:\s*{_AP})?"),
         lambda m, p, x: _set(p, _hnum(m.group("h")), 30, ap=m.group("ap"))),
    Rule("en_colon", c(
        rf"{_AT}?(?<![\d:/.])(?P<h>\d{{1,2}})\s*(?P<sep>[:h])\s*(?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?(?!\d)(?:\s*{_AP}|(?P<ap1>[ap])(?=\s|$|[,.]))?"),
        _colon),
    Rule("en_words", c(
        rf"{_AT}(?P<h>{_HOURWORD})\b(?:[\s-](?P<m>{_MINWORD}))?(?:\s*o'?clock)?(?:\s*{_AP})?"
        rf"|\b(?P<h2>{_HOURWORD})(?:[\s-](?P<m2>{_MINWORD}))?\s*(?:o'?clock\b|{_AP.replace('ap', 'ap2')})"
        rf"|\b(?P<h3>{_HOURWORD})[\s-](?P<m3>{_MINWORD})\b(?=\s+(?:tomorrow|today|tonight|on|this|next|in\s+the)\b)"),
        lambda m, p, x: _words_any(m, p, x)),
    Rule("en_ap", c(
        rf"{_AT}?(?<![\d:/.])(?:(?P<hm>\d{{3,4}})|(?P<h>\d{{1,2}}|{_HOURWORD})(?:\.(?P<m>\d{{2}}))?)\s*(?:o'?clock\s*)?{_AP}"),
        _ap),
    Rule("en_h24", c(r"(?:\b(?:at|around|about|by|before)\s+)?\b(?P<h>[01]?\d|2[0-3])h\b"),
         lambda m, p, x: _set(p, int(m.group("h")), h24=True)),
    Rule("en_compact", c(
        rf"(?:{_AT}|\bapproximately\s+)(?P<hm>\d{{3,4}})\b(?:\s*-?\s*ish\b)?(?![\d.,:%/]|\s*(?:hours?|days?|usd|rmb|元|万|k\b))"
        r"|\b(?P<hm2>\d{3,4})\s*-?\s*ish\b"),
        lambda m, p, x: _compact(m, p)),
    Rule("en_h_mm", c(rf"{_AT}(?P<h>\d{{1,2}})\s+(?P<m>[0-5]\d)\b(?!\s*(?:%|hours?|days?|minutes?|mins?|weeks?|months?))"),
         lambda m, p, x: _set(p, int(m.group("h")), int(m.group("m")))),
    Rule("en_ish", c(rf"{_AT}?\b(?P<h>\d{{1,2}}|{_HOURWORD})(?::(?P<m>\d{{2}}))?\s*-?\s*ish\b"), _ish),
    Rule("en_noon", c(
        r"\b(?:at\s+|by\s+|around\s+|before\s+)?(?P<w>noon|midday|mid\s+day|lunchtime|lunch\s+time|midnight|mid-night)\b"),
        _noon),
    # "tomorrow 10 call Acme", "tmr 9 chase docs", "fri 3 ring Orion": an hour right after a day word reads as
    # "at 10" (the day word stays for the date rules); "tomorrow 10 invoices" is a quantity, not a time.
    Rule("en_day_hour", c(rf"(?:{_AFTER_DAY})(?P<h>\d{{1,2}}){_NOT_QTY}(?!\s*(?:-|to|and|or)\s*\d)"), _at),
    Rule("en_at", c(rf"{_AT}(?P<h>\d{{1,2}}){_NOT_QTY}(?:\s*o'?clock)?|\b(?P<h2>\d{{1,2}})\s*o'?clock\b"),
         lambda m, p, x: _at_any(m, p, x)),
    Rule("en_h_period", c(
        rf"\b(?P<h>\d{{1,2}}|{_HOURWORD})(?::(?P<m>\d{{2}}))?(?=\s+(?:in\s+the\s+(?:morning|afternoon|evening|am|pm|a\.m\.|p\.m\.)"
        rf"|at\s+night|tonight|this\s+(?:morning|afternoon|evening)|tomorrow\s+(?:morning|afternoon|evening|night)))"),
        _h_then_period),
    Rule("zh_clock", c(
        rf"(?:(?<![今明昨])(?P<p>{_PERIODS_ZH}))?\s*(?:差(?P<cha>{NUM})分?)?(?P<h>{NUM})\s*(?P<sep>点钟|点|时)\s*"
        rf"(?:(?P<half>半)|(?P<q1>一刻|1刻)|(?P<q3>三刻|3刻)|[踏搭](?P<k>{NUM}|半)(?:个字)?|(?P<k2>{NUM})个字"
            rf"|(?:过|零)?(?P<m>{NUM})\s*分?(?:\s*(?P<s>{NUM})\s*秒)?)?"
        r"(?!\s*[ap]\.?m|\s*(?:后|以后|之后))"), _zh),
    Rule("same_time", c(r"\b(?:at\s+)?(?:this|the\s+same)\s+time\b|这个时候|这个时间|同一时间|此时"),
         lambda m, p, x: _set(p, x.now.hour, x.now.minute, h24=True)),
    Rule("zh_midnight", c(r"午夜|子夜|半夜十二点|半夜12点"), _zh_midnight),
)


def _compact(m: re.Match[str], p: Parts) -> bool:
    """"at 1030", "around 730", "150ish": hours and minutes run together."""
    hm = m.group("hm") or m.group("hm2")
    h = int(hm[:-2])
    return _set(p, h, int(hm[-2:]), h24=hm.startswith("0") or h >= 13)


def _words_any(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if m.group("h"):
        return _words(m, p, x)
    if m.group("h2"):
        h = to_int(m.group("h2"))
        mins_s = (m.group("m2") or "").lower().replace("oh", "").strip(" -")
        return _set(p, h, to_int(mins_s) if mins_s else 0, ap=m.group("ap2"))
    mins_s = m.group("m3").lower().replace("oh", "").strip(" -")
    return _set(p, to_int(m.group("h3")), to_int(mins_s))


def _at_any(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if m.group("h"):
        return _at(m, p, x)
    return _set(p, int(m.group("h2")), 0)


def _period(word: str) -> str:
    w = word.lower().strip()
    return {"tonight": "night", "at night": "night", "lunch": "noon"}.get(w, w)


def _en_period(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.period:
        return False
    if m.group("ap"):
        p.period = "morning" if m.group("ap").lower().startswith("a") else "afternoon"
        return True
    p.period = "early" if m.group("early") and m.group("p").lower() == "morning" else _period(m.group("p"))
    if m.group("this") and p.day is None and p.delta is None:
        p.day = x.today
    return True


def _zh_period(m: re.Match[str], p: Parts, x: Ctx) -> bool:
    if p.period:
        return False
    p.period = zh_period(m.group("p"))
    return True


PERIOD_RULES: tuple[Rule, ...] = (
    Rule(
        "en_period",
        c(r"\b(?P<early>early\s+)?(?:in\s+the\s+|(?P<this>this\s+)|at\s+)?(?P<p>morning|afternoon|evening|night|tonight)\b"
          r"|\bin\s+the\s+(?P<ap>am|pm|a\.m\.|p\.m\.)(?!\w)"),
        _en_period,
    ),
    Rule("zh_period", c(rf"(?P<p>{_PERIODS_ZH})"), _zh_period),
)


def hours(p: Parts) -> list[tuple[int, int]]:
    """The 24-hour readings of the clock found, each with a day carry (1: the next day), preferred first.

    A bare hour (no a.m./p.m., no part of day, not 24-hour) reads office hours: 1–6 → p.m., 7–11 → a.m.,
    12 → noon; the other reading is returned second so the caller can ask when only it is still ahead today.
    """
    assert p.clock is not None
    h = p.clock[0]
    carry = p.day_plus
    if p.ampm == "am":
        return [(0 if h == 12 else h, carry)]
    if p.ampm == "pm":
        return [(h if h == 12 else h + 12, carry)]
    if p.soft_24h and p.period in ("afternoon", "dusk", "evening", "night", "late"):
        if h == 12:
            return [(12, carry)] if p.period == "afternoon" else [(0, carry + 1)]
        return [(h + 12, carry)]
    if p.clock_24h:
        if h == 0 and p.period in ("evening", "night", "late", "dusk") and not carry:
            return [(0, 1)]
        return [(h, carry)]
    period = p.period
    if period in ("early",):
        return [(0 if h == 12 else h, carry)]
    if period == "morning":
        return [(h, carry)]
    if period == "noon":
        return [(h + 12 if h < 6 else h, carry)]
    if period == "afternoon":
        return [(h + 12 if h < 12 else h, carry)]
    if period in ("dusk", "evening"):
        if h == 12:
            return [(0, carry + 1)]
        return [(h + 12 if h < 12 else h, carry)]
    if period in ("night", "late"):
        if h == 12:
            return [(0, carry + 1)]
        if h <= 4:
            return [(h, carry + 1)]
        return [(h + 12 if h < 12 else h, carry)]
    if 1 <= h <= 6:
        return [(h + 12, carry), (h, carry)]
    if 7 <= h <= 11:
        return [(h, carry), (h + 12, carry)]
    return [(h, carry)]
