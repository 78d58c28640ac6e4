"""Recurring reminders: RRULE bodies ("FREQ=WEEKLY;BYDAY=FR") expanded in the officer's local time.

``"WORKDAYS"`` is our one extension: every working day of the configured country (holidays and 调休
respected), for "每个工作日" / "every working day". Pure: ``now``/``after`` are parameters.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from skills.reminders.workdays import next_working_day

__all__ = ["WORKDAYS", "first_occurrence", "next_occurrence", "validate"]

WORKDAYS = "WORKDAYS"


def validate(rule: str) -> str:
    """Return ``rule`` if dateutil (or our WORKDAYS) understands it, else raise ValueError."""
    if rule != WORKDAYS:
        rrulestr(rule, dtstart=datetime(2026, 1, 1))
    return rule


def _after(rule: str, start_local: datetime, after_local: datetime, country: str) -> datetime:
    """First occurrence strictly after ``after_local`` of a series anchored at ``start_local`` (naive local)."""
    if rule == WORKDAYS:
        day = after_local.date()
        while True:
            day = next_working_day(day, country)
            candidate = datetime.combine(day, start_local.time())
            if candidate > after_local:
                return candidate
            day += timedelta(days=1)
    found = rrulestr(rule, dtstart=start_local).after(after_local)
    if found is None:
        raise ValueError(f"recurrence {rule!r} has no further occurrence")
    return found


def first_occurrence(rule: str, at: time, now: datetime, country: str = "CN") -> datetime:
    """The first occurrence at local clock time ``at`` after aware ``now`` (in ``now``'s zone).

    >>> from zoneinfo import ZoneInfo
    >>> first_occurrence("FREQ=WEEKLY;BYDAY=FR", time(16), datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    datetime.datetime(2026, 12, 4, 16, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
    """
    zone = now.tzinfo
    naive_now = now.replace(tzinfo=None)
    start = datetime.combine(naive_now.date(), at)
    found = _after(rule, start, naive_now, country)
    return found.replace(tzinfo=zone)


def next_occurrence(rule: str, due: datetime, tz: str, *, after: datetime | None = None, country: str = "CN") -> datetime:
    """The occurrence following ``due`` (aware), or the first one after ``after`` when that is later (missed runs).

    The series keeps its local clock time across DST changes: it is expanded in ``tz``, not in UTC.
    """
    zone = ZoneInfo(tz)
    local_due = due.astimezone(zone).replace(tzinfo=None)
    floor = local_due
    if after is not None:
        floor = max(floor, after.astimezone(zone).replace(tzinfo=None))
    return _after(rule, local_due, floor, country).replace(tzinfo=zone)
