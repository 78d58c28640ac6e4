"""Playbook skill settings: the relevance threshold, how much to show, and the optional LLM answer."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["PlaybookConfig"]


class PlaybookConfig(BaseModel):
    """Retrieval thresholds and the optional LLM."""

    min_relevance: float = Field(
        0.5,
        description="below this relevance (0-1, calibrated on the off-topic eval queries) the answer is "
        "'not in the playbook' with the nearest topics as buttons",
    )
    key_points: int = Field(5, ge=1, le=10, description="key points shown in an answer")
    related: int = Field(3, ge=0, le=5, description="related-entry buttons under an answer")
    use_llm: bool = Field(
        True,
        description="when LLM_PROVIDER is set, synthesise a short answer grounded only in the retrieved "
        "entries (falls back to the extractive answer on any error or after LLM_TIMEOUT)",
    )
    llm_context: int = Field(3, ge=1, le=5, description="retrieved entries handed to the LLM")
