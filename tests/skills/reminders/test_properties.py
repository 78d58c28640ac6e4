"""Invariants of the time parser (hypothesis): a due time is never in the past, and the machine's own zone
(``TZ``) changes nothing."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skills.reminders.timeparse import parse_reminder
from tests.skills.reminders.test_corpus import DUCKLING, OFFICER

TEXTS = sorted({r["text"] for r in OFFICER})
ZONES = ("Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney", "UTC", "Asia/Kolkata")
# 2026-2028 covers DST changes in every zone above, a leap day and China's 调休 weekends
INSTANTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.sampled_from(TEXTS), now=INSTANTS, tz=st.sampled_from(ZONES))
def test_due_and_choices_are_never_in_the_past(text: str, now: datetime, tz: str) -> None:
    p = parse_reminder(text, now=now, tz=tz)
    if p.ok:
        assert p.due is not None and p.due > now
        assert p.due.tzinfo is not None and p.due.utcoffset() == p.due.astimezone(ZoneInfo(tz)).utcoffset()
    if p.status == "ambiguous":
        assert len(p.choices) >= 2 and all(c > now for c in p.choices)
    if p.status == "past":
        assert p.due is not None and p.due <= now and all(c > now for c in p.choices)


@settings(max_examples=150, deadline=None)
@given(now=INSTANTS, tz=st.sampled_from(ZONES), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_a_clock_time_alone_is_the_next_such_time(now: datetime, tz: str, hour: int, minute: int) -> None:
    p = parse_reminder(f"at {hour:02d}:{minute:02d} call Orion", now=now, tz=tz)
    assert p.ok and p.due is not None and p.task == "call Orion"
    assert now < p.due <= now + timedelta(hours=25)  # 25: a DST day is that long
    assert (p.due.hour, p.due.minute) == (hour, minute) or p.due.dst() != (p.due - timedelta(hours=2)).dst()


@pytest.fixture
def machine_zone() -> Iterator[None]:
    before = os.environ.get("TZ")
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("machine_zone")
def test_result_does_not_depend_on_the_machine_zone() -> None:
    sample = OFFICER[::7] + DUCKLING[::5]
    results = []
    for machine in ("UTC", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"):
        os.environ["TZ"] = machine
        time.tzset()
        out = []
        for r in sample:
            now = datetime.fromisoformat(r.get("now") or "2026-11-30T09:30:00+08:00")
            p = parse_reminder(r["text"], now=now, tz=r.get("tz") or "Asia/Shanghai")
            out.append((p.status, p.due, p.choices, p.recurrence, p.task))
        results.append(out)
    assert all(r == results[0] for r in results[1:])


def test_a_numeric_date_that_reads_two_ways_is_asked_where_the_locale_is_unknown() -> None:
    now = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
    p = parse_reminder("3/4 call the buyer", now=now, tz="UTC")
    assert p.status == "ambiguous" and p.reason == "date_order"
    assert [c.date().isoformat() for c in p.choices] == ["2027-03-04", "2027-04-03"]
    assert parse_reminder("3/4 call the buyer", now=now, tz="Europe/Paris").due.date().isoformat() == "2027-04-03"
    assert parse_reminder("3/4 call the buyer", now=now, tz="America/Chicago").due.date().isoformat() == "2027-03-04"


def test_series_keep_local_time_across_dst() -> None:
    now = datetime(2026, 3, 5, 12, tzinfo=UTC)  # New York: Thu 07:00, three days before the spring-forward
    p = parse_reminder("every day at 9 check collections", now=now, tz="America/New_York")
    from skills.reminders.recurrence import next_occurrence

    due = p.due
    assert p.recurrence == "FREQ=DAILY" and due is not None
    seen = []
    for _ in range(5):
        seen.append(due.astimezone(ZoneInfo("America/New_York")).strftime("%a %H:%M %z"))
        due = next_occurrence(p.recurrence, due, "America/New_York")
    assert seen == ["Thu 09:00 -0500", "Fri 09:00 -0500", "Sat 09:00 -0500", "Sun 09:00 -0400", "Mon 09:00 -0400"]


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months() -> None:
    from skills.reminders.recurrence import next_occurrence

    now = datetime(2027, 1, 10, tzinfo=UTC)
    p = parse_reminder("每月31号提醒我还款", now=now, tz="Asia/Shanghai")
    assert p.ok and p.due is not None and "short_months" in p.notes
    days = []
    due = p.due
    for _ in range(4):
        days.append(due.date().isoformat())
        due = next_occurrence(p.recurrence or "", due, "Asia/Shanghai")
    assert days == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]


def test_last_working_day_follows_china_s_schedule() -> None:
    p = parse_reminder(
        "每月最后一个工作日上午10点提醒我交报表", now=datetime(2026, 2, 20, tzinfo=UTC), tz="Asia/Shanghai"
    )
    assert p.recurrence == "LASTWORKDAY" and p.due is not None
    assert p.due.isoformat() == "2026-02-28T10:00:00+08:00"  # a 调休 Saturday is the month's last working day
