"""Quoting defaults: per-tier terms, bounds, day-count basis, and the bank loan used in comparisons."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["QuoteConfig", "TierTerms"]


class TierTerms(BaseModel):
    """Default terms for one client tier (quality | potential | risk)."""

    advance_rate: Decimal = Field(Decimal("0.80"), description="share of face value advanced (0.80 = 80%)")
    annual_rate: Decimal = Field(Decimal("0.06"), description="annual interest rate (0.06 = 6% a year)")
    fee_rate: Decimal = Field(Decimal("0.005"), description="service fee as a share of face value")
    fee_minimum: Decimal = Field(Decimal("0"), description="minimum service fee in the deal currency (0 = none)")
    first_deal_waiver: bool = Field(False, description="waive the service fee on the client's first deal")


def _tiers() -> dict[str, TierTerms]:
    return {
        "quality": TierTerms(
            advance_rate=Decimal("0.85"),
            annual_rate=Decimal("0.05"),
            fee_rate=Decimal("0.003"),
            fee_minimum=Decimal("1000"),
            first_deal_waiver=True,
        ),
        "potential": TierTerms(
            advance_rate=Decimal("0.80"),
            annual_rate=Decimal("0.06"),
            fee_rate=Decimal("0.005"),
            fee_minimum=Decimal("2000"),
            first_deal_waiver=True,
        ),
        "risk": TierTerms(
            advance_rate=Decimal("0.70"),
            annual_rate=Decimal("0.09"),
            fee_rate=Decimal("0.01"),
            fee_minimum=Decimal("5000"),
            first_deal_waiver=False,
        ),
    }


class QuoteConfig(BaseModel):
    """Quoting defaults: per-tier terms, bounds, day-count basis."""

    default_tier: str = Field("potential", description="tier whose terms apply when no client is named")
    tiers: dict[str, TierTerms] = Field(default_factory=_tiers, description="default terms per client tier")
    default_currency: str = Field("CNY", description="currency when neither the text nor the client says")
    day_count_basis: Literal[360, 365] = Field(360, description="ACT/360 or ACT/365 when the text does not say")
    interest_timing: Literal["upfront", "arrears"] = Field("upfront", description="when interest is collected")
    discount_mode: Literal["prorata", "per_period"] = Field(
        "prorata", description="per-30-day discount: pro-rated by day, or charged per started 30-day period"
    )
    non_recourse_premium: Decimal = Field(
        Decimal("0.02"), description="credit-risk premium added to the annual rate for non-recourse deals"
    )
    min_annual_rate: Decimal = Field(Decimal("0.005"), description="lowest annual rate accepted")
    max_annual_rate: Decimal = Field(Decimal("0.36"), description="highest annual rate accepted (premium included)")
    min_discount_rate: Decimal = Field(Decimal("0.0005"), description="lowest discount per 30 days accepted")
    max_discount_rate: Decimal = Field(Decimal("0.03"), description="highest discount per 30 days accepted")
    max_fee_rate: Decimal = Field(Decimal("0.05"), description="highest service fee (share of face value) accepted")
    max_face_value: Decimal = Field(Decimal("10000000000"), description="largest invoice face value accepted")
    max_tenor_days: int = Field(360, description="longest tenor accepted, in days")
    compare_advance_step: Decimal = Field(Decimal("0.05"), description="advance-rate step in the Compare table")
    compare_tenors: tuple[int, ...] = Field((60, 90, 120), description="tenors shown in the Compare table")
    bank_loan_rate: Decimal = Field(Decimal("0.045"), description="bank loan annual rate for the comparison")
    bank_deposit_ratio: Decimal = Field(
        Decimal("0.30"), description="share of a bank loan the client must keep as deposit/margin (保证金)"
    )
    bank_fee_rate: Decimal = Field(Decimal("0.005"), description="bank arrangement fee as a share of the loan")
    recent_quotes_limit: int = Field(10, description="how many saved quotes /quotes lists")
