"""Objection skill settings: recogniser thresholds and tier concessions (the bank loan is QUOTE__BANK_*)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

__all__ = ["ObjectionConfig"]


class ObjectionConfig(BaseModel):
    """Objection recogniser thresholds and the concessions each tier allows.

    The comparable bank loan is the quote skill's (``QUOTE__BANK_LOAN_RATE`` etc.), so cards and Compare agree.
    """

    route_score: float = Field(
        0.9, description="score() given to a message with an objection cue and a topic (router routes at ≥ 0.75)"
    )
    min_card_score: float = Field(
        0.2, description="below this probability of the top card (softmax over the fused margins) a routed message "
        "gets a pick-list instead of a card"
    )
    secondary_gap: float = Field(
        0.9, description="a second objection named in the same message is offered when it scores within this of the main one"
    )
    use_retriever: bool = Field(
        True, description="fuse the playbook retriever's ranking when the classifier is unsure (costs one embedding)"
    )
    retriever_margin: float = Field(
        1.0, description="consult the retriever when the top card's probability is below this (1.0: every message)"
    )
    quality_rate_discount: Decimal = Field(
        Decimal("0.01"), description="annual rate discount an officer may offer a quality-tier client (0.01 = 1 point)"
    )
    first_deal_fee_waiver: bool = Field(
        True, description="offer the first-deal service fee waiver to clients with no funded deal yet"
    )
