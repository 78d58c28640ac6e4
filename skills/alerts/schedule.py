"""When pushes go out: quiet hours, officer-local dates and "tomorrow 09:00". Pure: ``now`` is a parameter."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["local_date", "parse_hhmm", "push_due_at", "tomorrow_at"]


def parse_hhmm(value: str | None) -> time | None:
    """``"22:00"`` → ``time(22, 0)``; None or malformed → None.

    >>> parse_hhmm("08:30"), parse_hhmm("25:00"), parse_hhmm(None)
    (datetime.time(8, 30), None, None)
    """
    if not value:
        return None
    try:
        hh, mm = value.split(":")
        return time(int(hh), int(mm))
    except ValueError:
        return None


def local_date(now: datetime, tz: str) -> date:
    """The officer-local calendar date of a UTC instant."""
    return now.astimezone(ZoneInfo(tz)).date()


def push_due_at(now: datetime, tz: str, quiet_start: str | None, quiet_end: str | None) -> datetime:
    """``now``, or the end of the officer's quiet hours (UTC) when ``now`` falls inside them.

    Quiet hours may wrap midnight (22:00–08:00). The start is inside, the end is not.

    >>> from datetime import UTC, datetime
    >>> at = lambda h, m=0: datetime(2026, 11, 30, h, m, tzinfo=UTC)  # Shanghai is UTC+8
    >>> push_due_at(at(14), "Asia/Shanghai", "22:00", "08:00")  # 22:00 local: quiet starts
    datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> push_due_at(at(0), "Asia/Shanghai", "22:00", "08:00")  # 08:00 local: quiet is over
    datetime.datetime(2026, 11, 30, 0, 0, tzinfo=datetime.timezone.utc)
    >>> push_due_at(at(13, 59), "Asia/Shanghai", "22:00", "08:00")  # 21:59 local
    datetime.datetime(2026, 11, 30, 13, 59, tzinfo=datetime.timezone.utc)
    """
    start, end = parse_hhmm(quiet_start), parse_hhmm(quiet_end)
    if start is None or end is None or start == end:
        return now
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= t < end
        end_day = local.date()
    else:  # wraps midnight
        inside = t >= start or t < end
        end_day = local.date() + timedelta(days=1) if t >= start else local.date()
    if not inside:
        return now
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def tomorrow_at(now: datetime, tz: str, hhmm: str) -> datetime:
    """Tomorrow at ``hhmm`` in the officer's zone, as UTC (the Remind me button).

    >>> from datetime import UTC, datetime
    >>> tomorrow_at(datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "Asia/Shanghai", "09:00")  # already 1 Dec locally
    datetime.datetime(2026, 12, 2, 1, 0, tzinfo=datetime.timezone.utc)
    """
    zone = ZoneInfo(tz)
    day = now.astimezone(zone).date() + timedelta(days=1)
    at = parse_hhmm(hhmm) or time(9, 0)
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
