"""The client profile (客户画像): tier, receivables, aging chart, alerts; the client list; ledger uploads."""

from skills.client.skill import ClientSkill

__all__ = ["SKILL", "ClientSkill"]

SKILL = ClientSkill()
