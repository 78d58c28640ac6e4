"""Which working-day calendar applies to an officer: China's (with 调休) for zh/China officers, else ``holidays``.

The calendars themselves are the reminders skill's public helpers (:mod:`skills.reminders.api`);
this module only picks the country, from the officer's timezone (the tz database's ``zone.tab``).
"""

from __future__ import annotations

import functools
from datetime import date
from importlib import resources

from skills.reminders.api import add_working_days, is_working_day

__all__ = ["add_working_days", "country_for", "is_working_day", "working_day"]

_CHINA = "CN"


@functools.cache
def _zone_countries() -> dict[str, str]:
    """``Asia/Shanghai`` → ``CN`` from the tzdata package's ``zone.tab`` (empty when it is absent)."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                out[parts[2]] = parts[0]
    return out


def country_for(timezone: str | None, language: str | None, default: str = _CHINA) -> str:
    """The holiday calendar for an officer: CN for Chinese-speaking or China-based officers, else the
    country of their timezone, else ``default``.

    >>> country_for("Asia/Shanghai", "en"), country_for("Europe/London", "zh"), country_for("Europe/London", "en")
    ('CN', 'CN', 'GB')
    >>> country_for("Etc/UTC", "en", "SG")
    'SG'
    """
    if language == "zh":
        return _CHINA
    found = _zone_countries().get(timezone or "")
    if found:
        return found
    return default


def working_day(day: date, country: str) -> bool:
    """:func:`skills.reminders.workdays.is_working_day`, treating a country ``holidays`` lacks as weekdays only."""
    try:
        return is_working_day(day, country)
    except NotImplementedError:  # ``holidays`` has no calendar for this country
        return day.weekday() < 5
