"""The router's settings (env ``ROUTING__<FIELD>``): every number the routing policy uses, documented."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from knowledge.config import CacheFolder

_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["RoutingConfig"]


class RoutingConfig(BaseModel):
    """How the router decides (env ``ROUTING__<FIELD>``); defaults measured on the routing corpus."""

    threshold: float = Field(
        0.7,
        ge=0,
        le=1,
        description="classifier probability below which the router asks instead of guessing (calibrated: docs/routing.md)",
    )
    margin: float = Field(0.2, ge=0, le=1, description="lead in probability the best skill needs over the runner-up")
    corroborated_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="classifier probability that routes when the leader's own recogniser is the strongest evidence",
    )
    corroborating_evidence: float = Field(
        0.85, ge=0, le=1, description="recogniser score with which a skill vouches for the classifier's lead"
    )
    recogniser_sure: float = Field(
        1.0, ge=0, le=1, description="a skill's own recogniser score from which it is routed to without comparing"
    )
    recogniser_weight: float = Field(
        3.0, gt=0, description="weight of the skills' recogniser scores beside the text features in the classifier"
    )
    regularisation: float = Field(10.0, gt=0, description="inverse regularisation strength (C) of the classifier")
    reported_evidence: float = Field(
        0.3, ge=0, le=1, description="recogniser score with which a quoted message goes to the skill claiming quotes"
    )
    flow_answer_sure: float = Field(
        0.8, ge=0, le=1, description="an open flow keeps a message its skill rates at least this plausible as an answer"
    )
    flow_answer_floor: float = Field(
        0.3, ge=0, le=1, description="below this, a message is not an answer even for the flow's own skill"
    )
    flow_leave_confidence: float = Field(
        0.8, ge=0, le=1, description="confidence another request needs to be served while a flow is open"
    )
    model_cache: CacheFolder = Field(
        _ROOT / "data" / "cache",
        description="folder for models prepared once and kept between starts: the trained routing classifier, the lean "
        "embedding graph (empty: retrain, and run the packaged graph, each start)",
    )
    clarify_choices: int = Field(3, ge=1, le=6, description="buttons offered when the router asks")
