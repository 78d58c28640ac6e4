"""Playbook skill settings: the relevance threshold, how much to show, and the optional LLM answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr

__all__ = ["LLMConfig", "PlaybookConfig"]


class LLMConfig(BaseModel):
    """The optional chat model behind grounded playbook answers (flat names: ``LLM_PROVIDER``, ``LLM_MODEL``…)."""

    llm_provider: Literal["none", "openai", "ollama"] = Field("none", description="none: extractive answers only")
    llm_model: str = Field("", description="model name at the provider, e.g. gpt-4o-mini or qwen2.5")
    llm_base_url: str | None = Field(None, description="an OpenAI-compatible or Ollama endpoint")
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(8.0, gt=0, description="seconds before the extractive answer is used instead")


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
