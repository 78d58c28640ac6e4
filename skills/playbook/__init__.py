"""The playbook skill: "how do I…" answers from the team's playbook, with their source."""

from skills.playbook.skill import PlaybookSkill

__all__ = ["SKILL", "PlaybookSkill"]

SKILL = PlaybookSkill()
