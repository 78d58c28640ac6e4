"""Configuration that skills see: general defaults plus one group per skill.

``bot.config.Settings`` inherits this model, so each group is read from the environment with the
``__`` delimiter (``QUOTE__DEFAULT_ANNUAL_RATE=0.06``). Skills receive it as ``services.config``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from skills.alerts.config import AlertsConfig
from skills.objection.config import ObjectionConfig
from skills.playbook.config import LLMConfig, PlaybookConfig
from skills.portfolio.config import PortfolioConfig
from skills.quote.config import QuoteConfig
from skills.reminders.config import RemindersConfig

__all__ = ["SkillsConfig"]


def _check_timezone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Asia/Shanghai)") from exc
    return value


class SkillsConfig(LLMConfig, BaseModel):
    """Everything a skill may read from configuration (the LLM settings are the playbook skill's)."""

    default_timezone: str = Field("Asia/Shanghai", description="IANA zone for officers who set none")
    default_language: str = Field("en", description="en or zh, when nothing else tells")
    holiday_country: str = Field("CN", description="working-day calendar: CN (with 调休) or a `holidays` code")

    quote: QuoteConfig = QuoteConfig()
    reminders: RemindersConfig = RemindersConfig()
    alerts: AlertsConfig = AlertsConfig()
    playbook: PlaybookConfig = PlaybookConfig()
    objection: ObjectionConfig = ObjectionConfig()
    portfolio: PortfolioConfig = PortfolioConfig()

    @field_validator("default_timezone")
    @classmethod
    def _valid_tz(cls, value: str) -> str:
        return _check_timezone(value)

    @field_validator("default_language")
    @classmethod
    def _valid_lang(cls, value: str) -> str:
        if value not in ("en", "zh"):
            raise ValueError("must be en or zh")
        return value
