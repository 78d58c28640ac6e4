"""Objection skill settings: recogniser thresholds and tier concessions (the bank loan is QUOTE__BANK_*)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from knowledge.config import CacheFolder
from skills.objection.learning import LearningParams

__all__ = ["ObjectionConfig"]

_ROOT = Path(__file__).resolve().parents[2]


class ObjectionConfig(BaseModel):
    """Objection recogniser thresholds and the concessions each tier allows.

    The comparable bank loan is the quote skill's (``QUOTE__BANK_LOAN_RATE`` etc.), so cards and Compare agree.
    """

    route_score: float = Field(
        0.9, description="score() given to a message with an objection cue and a topic (router routes at ≥ 0.75)"
    )
    min_card_score: float = Field(
        0.2,
        description="below this probability of the top card (softmax over the fused margins) a routed message "
        "gets a pick-list instead of a card",
    )
    secondary_gap: float = Field(
        0.9,
        description="a second objection named in the same message is offered when it scores within this of the main one",
    )
    use_retriever: bool = Field(
        True, description="fuse the playbook retriever's ranking when the classifier is unsure (costs one embedding)"
    )
    retriever_margin: float = Field(
        1.0, description="consult the retriever when the top card's probability is below this (1.0: every message)"
    )
    model_cache: CacheFolder = Field(
        _ROOT / "data" / "cache",
        description="folder where the trained recogniser is kept between starts as plain arrays (empty: retrain each start)",
    )
    quality_rate_discount: Decimal = Field(
        Decimal("0.01"), description="annual rate discount an officer may offer a quality-tier client (0.01 = 1 point)"
    )
    first_deal_fee_waiver: bool = Field(
        True, description="offer the first-deal service fee waiver to clients with no funded deal yet"
    )
    learn_prior_strength: float = Field(
        6.0, gt=0, description="card outcomes: strength of the Beta prior on each angle (taps needed to move it)"
    )
    learn_playbook_bias: float = Field(
        0.1,
        ge=0,
        lt=0.5,
        description="card outcomes: head start of the playbook's own first angle (prior mean 0.5 + this)",
    )
    learn_one_match_weight: float = Field(
        0.75, ge=0, le=1, description="card outcomes: weight of a tap on a client sharing only the tier or the industry"
    )
    learn_other_weight: float = Field(
        0.15, ge=0, le=1, description="card outcomes: weight of a tap on a client of another tier and industry"
    )

    def learning(self) -> LearningParams:
        """The ranking's prior and similarity weights."""
        return LearningParams(
            prior_strength=self.learn_prior_strength,
            playbook_bias=self.learn_playbook_bias,
            one_match_weight=self.learn_one_match_weight,
            other_weight=self.learn_other_weight,
        )
