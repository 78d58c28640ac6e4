"""Risk-rule thresholds and the sweep interval."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["AlertsConfig"]


class AlertsConfig(BaseModel):
    """Risk-rule thresholds and the sweep interval."""
