"""Reminder defaults: quiet hours, snooze options, dispatch tolerance."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["RemindersConfig"]


class RemindersConfig(BaseModel):
    """Reminder defaults: quiet hours, snooze options, dispatch tolerance."""
