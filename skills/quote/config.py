"""Quoting defaults: per-tier terms, bounds, day-count basis."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["QuoteConfig"]


class QuoteConfig(BaseModel):
    """Quoting defaults: per-tier terms, bounds, day-count basis."""
