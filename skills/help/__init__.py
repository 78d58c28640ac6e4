"""The help skill."""

from skills.help.skill import HelpSkill

__all__ = ["SKILL", "HelpSkill"]

SKILL = HelpSkill()
