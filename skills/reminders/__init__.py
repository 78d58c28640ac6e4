"""The reminders skill: follow-ups by chat in English and Chinese, delivered on time exactly once."""

from skills.reminders.skill import RemindersSkill

__all__ = ["SKILL", "RemindersSkill"]

SKILL = RemindersSkill()
