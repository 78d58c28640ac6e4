"""A recurrence in words for confirmations and lists: ``FREQ=WEEKLY;INTERVAL=2;BYDAY=FR`` → "every other Friday"."""

from __future__ import annotations

from datetime import datetime

from skills.fmt import esc
from skills.i18n import t
from skills.reminders.messages import MESSAGES
from skills.reminders.timewords import WEEKDAY_CODES

__all__ = ["describe"]

_ZH_DAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_ORD = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_ZH_ORD = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}
_SPECIAL = {"WORKDAYS": "rule.workdays", "LASTWORKDAY": "rule.last_workday", "FIRSTWORKDAY": "rule.first_workday"}


def _day_names(codes: list[str], lang: str) -> str:
    idx = sorted(WEEKDAY_CODES.index(d) for d in codes if d in WEEKDAY_CODES)
    names = [(_ZH_DAYS if lang == "zh" else _EN_DAYS)[i] for i in idx]
    if lang == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _core(parts: dict[str, str], lang: str) -> str | None:
    freq, interval = parts.get("FREQ"), int(parts.get("INTERVAL", "1"))
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    monthdays = [d for d in parts.get("BYMONTHDAY", "").split(",") if d]
    if freq in ("MINUTELY", "HOURLY", "DAILY") and interval > 1:
        unit = {"MINUTELY": "minutes", "HOURLY": "hours", "DAILY": "days"}[freq]
        return t(MESSAGES, f"rule.every_n_{unit}", lang, n=interval)
    if freq == "HOURLY":
        return t(MESSAGES, "rule.hourly", lang)
    if freq == "DAILY":
        return t(MESSAGES, "rule.daily", lang)
    if freq == "WEEKLY":
        if byday == ["MO", "TU", "WE", "TH", "FR"] and interval == 1:
            return t(MESSAGES, "rule.weekdays", lang)
        days = _day_names(byday, lang)
        if interval == 2:
            return t(MESSAGES, "rule.biweekly", lang, days=days)
        if interval > 2:
            return t(MESSAGES, "rule.every_n_weeks", lang, n=interval, days=days)
        return t(MESSAGES, "rule.weekly", lang, days=days)
    if freq == "MONTHLY":
        if parts.get("BYMONTH") == "3,6,9,12" and monthdays == ["-1"]:
            return t(MESSAGES, "rule.quarter_end", lang)
        if parts.get("BYMONTH") == "1,4,7,10" and monthdays == ["1"]:
            return t(MESSAGES, "rule.quarter_start", lang)
        if interval == 3 and len(monthdays) >= 1:
            return t(MESSAGES, "rule.quarterly", lang, day=monthdays[0])
        if byday and byday[0][:-2].lstrip("-").isdigit():
            n, code = int(byday[0][:-2]), byday[0][-2:]
            ords = _ZH_ORD if lang == "zh" else _EN_ORD
            return t(MESSAGES, "rule.monthly_nth", lang, nth=ords.get(n, str(n)), day=_day_names([code], lang))
        if monthdays == ["-1"]:
            return t(MESSAGES, "rule.monthly_last", lang)
        if len(monthdays) == 2 and monthdays[1] == "-1":
            return t(MESSAGES, "rule.monthly_clamped", lang, day=monthdays[0])
        if monthdays:
            return t(MESSAGES, "rule.monthly", lang, day=monthdays[0])
    if freq == "YEARLY" and parts.get("BYMONTH") and monthdays:
        month, day = int(parts["BYMONTH"]), monthdays[0]
        when = f"{month}月{day}日" if lang == "zh" else datetime(2000, month, 1).strftime("%B") + f" {day}"
        return t(MESSAGES, "rule.yearly", lang, date=when)
    return None


def describe(rule: str, lang: str) -> str:
    """A recurrence in words, with its end date when it has one ("every day until Thu 31 Dec 2026")."""
    head, _, until = rule.partition(";UNTIL=")
    if head in _SPECIAL:
        text = t(MESSAGES, _SPECIAL[head], lang)
    else:
        parts = dict(p.split("=", 1) for p in head.split(";") if "=" in p)
        text = _core(parts, lang) or t(MESSAGES, "rule.other", lang, rule=esc(rule))
    if until:
        end = datetime.strptime(until, "%Y%m%dT%H%M%S")
        shown = f"{end.year}年{end.month}月{end.day}日" if lang == "zh" else end.strftime("%a %-d %b %Y")
        text += t(MESSAGES, "rule.until", lang, date=shown)
    return text
