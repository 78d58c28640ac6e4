"""Objection recogniser thresholds."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["ObjectionConfig"]


class ObjectionConfig(BaseModel):
    """Objection recogniser thresholds."""
