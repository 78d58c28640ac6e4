"""The router's settings (env ``ROUTING__<FIELD>``): every number the routing policy uses, documented."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["RoutingConfig"]


class RoutingConfig(BaseModel):
    """How the router decides (env ``ROUTING__<FIELD>``); defaults measured on the routing corpus."""

    threshold: float = Field(0.34, ge=0, le=1, description="similarity below which the router asks instead of guessing")
    margin: float = Field(0.03, ge=0, le=1, description="lead the best skill needs over the runner-up (else ask)")
    recogniser_sure: float = Field(
        0.75, ge=0, le=1, description="a skill's own recogniser score from which it is routed to without comparing"
    )
    recogniser_evidence: float = Field(
        0.5, ge=0, le=1, description="recogniser scores below this are noise, not evidence, when comparing skills"
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
    clarify_choices: int = Field(3, ge=1, le=6, description="buttons offered when the router asks")
