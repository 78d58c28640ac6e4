"""The settings skill."""

from skills.settings.skill import SettingsSkill

__all__ = ["SKILL", "SettingsSkill"]

SKILL = SettingsSkill()
