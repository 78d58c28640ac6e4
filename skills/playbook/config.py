"""Retrieval thresholds and the optional LLM."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["PlaybookConfig"]


class PlaybookConfig(BaseModel):
    """Retrieval thresholds and the optional LLM."""
