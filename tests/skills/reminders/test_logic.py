"""Oracle tables for the pure parts: the committed expression corpus, working days, recurrences, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import yaml

from skills.reminders.recurrence import first_occurrence, next_occurrence
from skills.reminders.service import describe_rule, quiet_release
from skills.reminders.timeparse import parse_reminder
from skills.reminders.workdays import add_working_days, is_working_day

CORPUS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text(encoding="utf-8"))


def _parse(entry: dict[str, Any]):  # type: ignore[no-untyped-def]
    text = entry["text"]
    command = text.startswith("/remind ")
    return parse_reminder(
        text.removeprefix("/remind "), now=datetime.fromisoformat(entry["now"]), tz=entry["tz"], command=command
    )


def test_corpus_is_large_and_half_chinese() -> None:
    chinese = [e for e in CORPUS if any("\u4e00" <= ch <= "\u9fff" for ch in e["text"])]
    assert len(CORPUS) >= 100
    assert len(chinese) * 2 >= len(CORPUS)


@pytest.mark.parametrize("entry", CORPUS, ids=[e["text"][:40] + "@" + e["now"][5:10] for e in CORPUS])
def test_corpus(entry: dict[str, Any]) -> None:
    parsed = _parse(entry)
    assert parsed.status == entry.get("status", "ok")
    if parsed.ok:
        assert parsed.due is not None
        assert parsed.due.isoformat() == entry["expected_local"]
    else:
        assert [c.isoformat() for c in parsed.choices] == entry["choices"]
    assert parsed.recurrence == entry["recurrence"]
    assert parsed.task == entry["task"]


@pytest.mark.parametrize(
    ("text", "urgent"),
    [("urgent: remind me in 1 hour to call the bank", True), ("紧急 明天8点提醒我放款", True), ("remind me in 1 hour", False)],
)
def test_urgent_flag(text: str, urgent: bool) -> None:
    parsed = parse_reminder(text, now=datetime(2026, 11, 30, 1, tzinfo=UTC), tz="Asia/Shanghai")
    assert parsed.urgent is urgent and parsed.ok


def test_ambiguous_hour_resolved_when_one_reading_is_past() -> None:
    """“today at 5” at 09:00: 05:00 has passed, so 17:00 is meant — no question needed."""
    parsed = parse_reminder("remind me today at 5 to call", now=datetime(2026, 11, 30, 1, tzinfo=UTC), tz="Asia/Shanghai")
    assert parsed.ok and parsed.due is not None and parsed.due.isoformat() == "2026-11-30T17:00:00+08:00"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 29), 1, date(2026, 9, 30)),  # Tue → Wed
        (date(2026, 9, 29), 2, date(2026, 10, 8)),  # National Day week 1–7 Oct skipped
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 2, date(2026, 10, 9)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # Sat 10 Oct is a make-up working day (调休)
        (date(2026, 9, 30), 4, date(2026, 10, 12)),  # Sun 11 Oct is not
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sun 20 Sep is a make-up working day
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Fri 25 Sep Mid-Autumn, weekend after
        (date(2026, 12, 4), 2, date(2026, 12, 8)),  # plain weekend
        (date(2026, 12, 30), 1, date(2026, 12, 31)),
        (date(2026, 10, 3), 0, date(2026, 10, 8)),  # n=0: next working day on/after
    ],
)
def test_add_working_days_china(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, "CN") == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 9, 20), True),
        (date(2026, 2, 14), True),  # Spring Festival make-up Saturday
        (date(2027, 10, 1), False),  # beyond chinese_calendar: `holidays` estimate
        (date(2027, 10, 6), True),
    ],
)
def test_is_working_day_china(day: date, working: bool) -> None:
    assert is_working_day(day, "CN") is working


def test_other_countries_use_holidays() -> None:
    assert add_working_days(date(2026, 12, 24), 1, "GB") == date(2026, 12, 29)  # Christmas + Boxing Day (obs.)
    assert add_working_days(date(2026, 7, 2), 1, "US") == date(2026, 7, 6)  # 3 Jul observed Independence Day


def test_negative_working_days_rejected() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, "CN")


SH = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("rule", "due", "after", "expected"),
    [
        ("FREQ=WEEKLY;BYDAY=FR", "2026-12-04T16:00:00+08:00", None, "2026-12-11T16:00:00+08:00"),
        ("FREQ=DAILY", "2026-12-01T09:00:00+08:00", None, "2026-12-02T09:00:00+08:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-12-04T08:30:00+08:00", None, "2026-12-07T08:30:00+08:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "2026-12-01T09:00:00+08:00", None, "2027-01-01T09:00:00+08:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "2027-01-31T09:00:00+08:00", None, "2027-02-28T09:00:00+08:00"),
        ("WORKDAYS", "2026-09-30T08:30:00+08:00", None, "2026-10-08T08:30:00+08:00"),
        ("WORKDAYS", "2026-10-09T08:30:00+08:00", None, "2026-10-10T08:30:00+08:00"),
        # missed while down: the next occurrence after "now", not a burst of old ones
        ("FREQ=DAILY", "2026-12-01T09:00:00+08:00", "2026-12-05T12:00:00+08:00", "2026-12-06T09:00:00+08:00"),
    ],
)
def test_next_occurrence(rule: str, due: str, after: str | None, expected: str) -> None:
    result = next_occurrence(
        rule, datetime.fromisoformat(due), SH, after=datetime.fromisoformat(after) if after else None
    )
    assert result.isoformat() == expected


def test_series_keeps_local_time_across_dst() -> None:
    due = datetime.fromisoformat("2026-10-31T09:00:00-04:00")
    assert next_occurrence("FREQ=DAILY", due, "America/New_York").isoformat() == "2026-11-01T09:00:00-05:00"


def test_first_occurrence_today_when_still_ahead() -> None:
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo(SH))
    assert first_occurrence("FREQ=WEEKLY;BYDAY=MO", time(10), now).isoformat() == "2026-11-30T10:00:00+08:00"


@pytest.mark.parametrize(
    ("utc", "start", "end", "release"),
    [
        (datetime(2026, 11, 30, 15, tzinfo=UTC), "22:00", "08:00", "2026-12-01T08:00:00+08:00"),  # 23:00 local
        (datetime(2026, 11, 30, 22, tzinfo=UTC), "22:00", "08:00", "2026-12-01T08:00:00+08:00"),  # 06:00 local
        (datetime(2026, 11, 30, 1, tzinfo=UTC), "22:00", "08:00", None),  # 09:00 local
        (datetime(2026, 11, 30, 5, tzinfo=UTC), "12:00", "14:00", "2026-11-30T14:00:00+08:00"),  # 13:00 local
        (datetime(2026, 11, 30, 5, tzinfo=UTC), None, None, None),
    ],
)
def test_quiet_release(utc: datetime, start: str | None, end: str | None, release: str | None) -> None:
    result = quiet_release(utc, SH, start, end)
    assert (result.isoformat() if result else None) == release


@pytest.mark.parametrize(
    ("rule", "en", "zh"),
    [
        ("FREQ=WEEKLY;BYDAY=FR", "every Friday", "每周五"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday", "每周一、周四"),
        ("FREQ=DAILY", "every day", "每天"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "monthly on day 1", "每月1号"),
    ],
)
def test_describe_rule(rule: str, en: str, zh: str) -> None:
    assert describe_rule(rule, "en") == en and describe_rule(rule, "zh") == zh
