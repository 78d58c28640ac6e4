"""The objection skill: recognise a client's objection and answer with a short, personalised card."""

from skills.objection.skill import ObjectionSkill

__all__ = ["SKILL", "ObjectionSkill"]

SKILL = ObjectionSkill()
