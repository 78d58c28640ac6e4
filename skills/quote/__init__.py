"""The quote skill: factoring pricing in one line or step by step, in English and Chinese."""

from skills.quote.skill import QuoteSkill

__all__ = ["SKILL", "QuoteSkill"]

SKILL = QuoteSkill()
