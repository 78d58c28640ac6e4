"""Risk alerts: rules over the portfolio → red/yellow cards, pushes, /alerts and /flag, tiering."""

from skills.alerts.skill import AlertsSkill

__all__ = ["SKILL", "AlertsSkill"]

SKILL = AlertsSkill()
