"""Reminder defaults: default hour, end of day, snooze options, lateness and pickup batch size."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["RemindersConfig"]


class RemindersConfig(BaseModel):
    """Reminder defaults: default hour, end of day, snooze options, lateness and pickup batch size."""

    default_time: str = Field("09:00", description="local time used when a date is given without a time (HH:MM)")
    end_of_day: str = Field("18:00", description="local time meant by 'end of day' / '下班前' / end of month (HH:MM)")
    tomorrow_time: str = Field("09:00", description="local time of the 'tomorrow' snooze button (HH:MM)")
    snooze_minutes: list[int] = Field([15, 60], description="minutes offered as snooze buttons")
    late_after_seconds: int = Field(60, description="a reminder delivered this long after its due time is marked late")
    pickup_batch: int = Field(500, description="reminders claimed per transaction by one pickup")
    pickup_max_batches: int = Field(40, description="batches one pickup may claim before yielding to sending")
    list_limit: int = Field(15, description="reminders shown by /reminders")
