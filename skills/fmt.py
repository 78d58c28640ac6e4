"""Formatting shared by skills: money (Babel, locale-correct), local times, HTML escaping."""

from __future__ import annotations

import html
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

# Babel is imported by the first reply that formats money or a time, not at start (``babel.dates`` alone
# costs ~30 ms, most of it working out the machine's zone): /help formats neither.

__all__ = ["esc", "local", "local_time", "money", "number", "percent"]

_LOCALE = {"en": "en_US", "zh": "zh_CN"}


def esc(text: object) -> str:
    """Escape text for Telegram's HTML parse mode (names, notes, anything an officer typed)."""
    return html.escape(str(text), quote=False)


def money(amount: Decimal, currency: str = "CNY", lang: str = "en") -> str:
    """Format money with two decimals and the locale's grouping: ``¥1,000,000.00`` / ``CN¥…``."""
    if not isinstance(amount, Decimal):
        raise TypeError("money() takes Decimal amounts only")
    from babel.numbers import format_currency

    return format_currency(amount, currency, locale=_LOCALE.get(lang, "en_US"), decimal_quantization=True)


def number(amount: Decimal, lang: str = "en", *, places: int = 2) -> str:
    """Format a plain number with grouping and a fixed number of decimals: ``783,000.00``."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(amount, format=pattern, locale=_LOCALE.get(lang, "en_US"))


def percent(value: Decimal, lang: str = "en", *, places: int = 2) -> str:
    """Format a fraction (0.085) as a percentage (``8.50%``)."""
    return number(value * 100, lang, places=places) + "%"


def local(dt: datetime, tz: str) -> datetime:
    """Convert an aware UTC datetime to the officer's zone."""
    return dt.astimezone(ZoneInfo(tz))


def local_time(dt: datetime, tz: str, lang: str = "en") -> str:
    """Show a UTC instant in the officer's zone with weekday: ``Mon 30 Nov 2026, 10:00`` / ``2026年11月30日 周一 10:00``."""
    from babel.dates import format_datetime

    loc = local(dt, tz)
    if lang == "zh":
        return format_datetime(loc, "y年M月d日 EEE HH:mm", locale="zh_CN")
    return format_datetime(loc, "EEE d MMM y, HH:mm", locale="en_US")
