"""Portfolio settings: upload limits, date order, row limits (env ``PORTFOLIO__FIELD``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["PortfolioConfig", "portfolio_config"]


class PortfolioConfig(BaseModel):
    """How ledgers are read and how big they may be."""

    max_upload_bytes: int = Field(10 * 1024 * 1024, gt=0, description="largest ledger file accepted (bytes)")
    max_rows: int = Field(200_000, gt=0, description="most data rows read from one ledger")
    dayfirst: bool = Field(
        True, description="read ambiguous dates like 03/04/2026 as day/month (True) or month/day (False)"
    )
    max_uncompressed_bytes: int = Field(
        200 * 1024 * 1024, gt=0, description="XLSX: largest total uncompressed size (zip-bomb guard)"
    )
    max_compression_ratio: int = Field(200, gt=0, description="XLSX: highest uncompressed/compressed ratio accepted")
    partial_import: bool = Field(
        False,
        description="apply the good rows of a ledger that has rejected rows (default: nothing is imported "
        "until every row is valid)",
    )
    collection_accounts: list[str] = Field(
        default_factory=list,
        description="the factor's collection account numbers: a 'paid to' cell holding one of them is a payment "
        "to the factor, any other account number a payment to the client",
    )
    demo_on_empty: bool = Field(True, description="load the demo portfolio at start-up when there are no clients")


def portfolio_config(config: Any) -> PortfolioConfig:
    """The portfolio group of ``services.config`` / settings, or the defaults while it is not wired in."""
    found = getattr(config, "portfolio", None)
    return found if isinstance(found, PortfolioConfig) else PortfolioConfig()
