"""Recurring reminders: RRULE bodies ("FREQ=WEEKLY;BYDAY=FR") expanded in the officer's local time.

Three extensions stand where RRULE cannot say "working day" (holidays and 调休 respected): ``WORKDAYS``
(every working day, "每个工作日"), ``LASTWORKDAY`` / ``FIRSTWORKDAY`` (the last / first working day of
each month). Each may carry ``;UNTIL=YYYYMMDDTHHMMSS``. Pure: ``now``/``after`` are parameters.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from skills.reminders.dates import add_months, working_day_of_month
from skills.reminders.workdays import next_working_day

__all__ = ["EXTENSIONS", "WORKDAYS", "as_rrule", "first_occurrence", "next_occurrence", "occurrences", "validate"]

WORKDAYS = "WORKDAYS"
EXTENSIONS = (WORKDAYS, "LASTWORKDAY", "FIRSTWORKDAY")


_RFC = {
    WORKDAYS: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "LASTWORKDAY": "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FIRSTWORKDAY": "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
}


def as_rrule(rule: str | None) -> str | None:
    """The RFC 5545 RRULE body for ``rule``; our working-day extensions become their Monday–Friday form
    (the series itself also skips public holidays and keeps 调休 working weekends).

    >>> as_rrule("LASTWORKDAY;UNTIL=20271231T235959")
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;UNTIL=20271231T235959'
    """
    if rule is None:
        return None
    head, sep, until = rule.partition(";UNTIL=")
    return _RFC.get(head, head) + (sep + until if sep else "")


def _split(rule: str) -> tuple[str, datetime | None]:
    head, _, until = rule.partition(";UNTIL=")
    return head, (datetime.strptime(until, "%Y%m%dT%H%M%S") if until else None)


def validate(rule: str) -> str:
    """Return ``rule`` if dateutil (or one of our extensions) understands it, else raise ValueError."""
    head, _ = _split(rule)
    if head not in EXTENSIONS:
        from dateutil.rrule import rrulestr  # imported on the first recurring reminder, not at start

        rrulestr(rule, dtstart=datetime(2026, 1, 1))
    return rule


def _extension_after(head: str, at: time, after_local: datetime, country: str) -> datetime:
    if head == WORKDAYS:
        day = after_local.date()
        while True:
            day = next_working_day(day, country)
            candidate = datetime.combine(day, at)
            if candidate > after_local:
                return candidate
            day += timedelta(days=1)
    month = after_local.date().replace(day=1)
    while True:
        day = working_day_of_month(month.year, month.month, head == "FIRSTWORKDAY", country)
        candidate = datetime.combine(day, at)
        if candidate > after_local:
            return candidate
        month = add_months(month, 1)


def _after(rule: str, start_local: datetime, after_local: datetime, country: str) -> datetime:
    """First occurrence strictly after ``after_local`` of a series anchored at ``start_local`` (naive local)."""
    head, until = _split(rule)
    if head in EXTENSIONS:
        found: datetime | None = _extension_after(head, start_local.time(), after_local, country)
        if until is not None and found is not None and found > until:
            found = None
    else:
        from dateutil.rrule import rrulestr

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


def occurrences(rule: str, first: datetime, count: int, country: str = "CN") -> list[datetime]:
    """The first ``count`` occurrences starting with aware ``first`` (naive local), for "for 5 times"."""
    out = [first.replace(tzinfo=None)]
    while len(out) < count:
        out.append(_after(rule, out[0], out[-1], country))
    return out


def next_occurrence(
    rule: str, due: datetime, tz: str, *, after: datetime | None = None, country: str = "CN"
) -> datetime:
    """The occurrence following ``due`` (aware), or the first one after ``after`` when that is later (missed runs).

    The series keeps its local clock time across DST changes: it is expanded in ``tz``, not in UTC.
    """
    zone = ZoneInfo(tz)
    local_due = due.astimezone(zone).replace(tzinfo=None)
    floor = local_due
    if after is not None:
        floor = max(floor, after.astimezone(zone).replace(tzinfo=None))
    return _after(rule, local_due, floor, country).replace(tzinfo=zone)
