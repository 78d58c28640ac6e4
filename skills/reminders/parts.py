"""What the time rules record while reading one message, and the table entry that pairs a pattern with its resolver.

A :class:`Rule` is one row of the parser's table: a compiled pattern and the function that turns a match into
facts on :class:`Parts`. The resolver returns False to leave the text unconsumed (no fit, or already known),
True to consume the match, or an int to consume that many characters more (e.g. the date after "until").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skills.lazyre import LazyPattern

__all__ = ["Ctx", "Parts", "Rec", "Resolver", "Rule", "set_day"]


@dataclass(slots=True)
class Rec:
    """A recurrence being built: RRULE fields, or one of our two working-day extensions."""

    freq: str | None = None  # DAILY | WEEKLY | MONTHLY | YEARLY | HOURLY
    interval: int = 1
    byday: list[str] = field(default_factory=list)  # "MO", "1MO", "-1FR"
    bymonthday: list[int] = field(default_factory=list)
    bymonth: list[int] = field(default_factory=list)
    bysetpos: int | None = None
    special: str | None = None  # "WORKDAYS" | "LASTWORKDAY"
    count: int | None = None
    until: date | None = None


@dataclass(slots=True)
class Parts:
    """Facts found so far in one message."""

    day: date | None = None
    # how to roll ``day`` forward when it (with its time) is already past: "week" (bare weekday),
    # "month" (bare day of month), "year" (date without a year), "" (fixed: ask instead)
    roll: str = ""
    day_plus: int = 0  # "晚上12点" / "midnight": the clock belongs to the next day
    alt_days: tuple[date, ...] = ()  # a numeric date that reads two ways: ask
    clock: tuple[int, int, int] | None = None
    clock_24h: bool = False  # "14:00", "09:30", "0点": no a.m./p.m. question
    soft_24h: bool = False  # "10:00"-"12:59": 24-hour unless a part of day says evening ("tonight at 11:30")
    ampm: str | None = None
    period: str | None = None  # morning | noon | afternoon | dusk | evening | night | late | early
    delta: timedelta | None = None  # "in 20 minutes"
    shift: tuple[int, str] | None = None  # "2 weeks from …": applied to the date found
    rec: Rec | None = None
    urgent: bool = False
    default_time: time | None = None  # end of day for "EOD", "月底"…
    by: bool = False
    estimated: bool = False  # a holiday date from an estimated (not yet published) schedule
    notes: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)

    def has_date(self) -> bool:
        return self.day is not None or self.delta is not None or bool(self.alt_days)


@dataclass(frozen=True, slots=True)
class Ctx:
    """The reference clock and the officer's conventions for one parse."""

    now: datetime  # aware, officer-local, whole seconds
    country: str
    eod: time
    date_order: str  # "MDY" | "DMY" | "" (unknown: ask when a numeric date reads two ways)

    @property
    def today(self) -> date:
        return self.now.date()


Resolver = Callable[[re.Match[str], Parts, Ctx], "bool | int"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: the pattern and the resolver that reads its match."""

    name: str
    pattern: re.Pattern[str] | LazyPattern  # rules compile on first use (timewords.c)
    resolve: Resolver


def set_day(p: Parts, day: date, roll: str = "") -> bool:
    """Record the reminder's day; False when one is already known (one date per reminder, a second stays in the task)."""
    if p.day is not None or p.delta is not None or p.alt_days:
        return False
    p.day, p.roll = day, roll
    return True
