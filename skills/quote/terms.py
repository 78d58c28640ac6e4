"""From what the officer typed plus the client's tier and the settings to complete ``QuoteTerms``.

Pure. Explicit terms win; everything else comes from the tier (or the house default tier) and is listed
as assumed so the reply can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from skills.quote.config import QuoteConfig
from skills.quote.logic import Bounds, QuoteInputError, QuoteTerms, tenor_from_due
from skills.quote.parse import Parsed

__all__ = ["Resolved", "bounds_from", "resolve", "terms_from_dict"]


@dataclass(frozen=True, slots=True)
class Resolved:
    """Complete terms, which of them were assumed (with the values), the tier used and waiver status."""

    terms: QuoteTerms
    assumed: dict[str, str]
    tier: str
    tier_from_client: bool
    waiver_applied: bool


def bounds_from(cfg: QuoteConfig) -> Bounds:
    """The engine's bounds from the settings."""
    return Bounds(
        min_annual_rate=cfg.min_annual_rate,
        max_annual_rate=cfg.max_annual_rate,
        min_discount_rate=cfg.min_discount_rate,
        max_discount_rate=cfg.max_discount_rate,
        max_fee_rate=cfg.max_fee_rate,
        max_face_value=cfg.max_face_value,
        max_tenor_days=cfg.max_tenor_days,
    )


def tenor_days(p: Parsed, today: date) -> int:
    """The tenor in days from explicit days or a due date (days from ``today``); raises for a past date."""
    if p.tenor_days is not None:
        return p.tenor_days
    if p.due_date is None:
        raise QuoteInputError("due_unreadable", text=p.due_text or "")
    days = tenor_from_due(p.due_date, today)
    if days <= 0:
        raise QuoteInputError("due_past", date=p.due_date.isoformat(), today=today.isoformat())
    return days


def resolve(
    p: Parsed,
    cfg: QuoteConfig,
    *,
    today: date,
    tier: str | None = None,
    client_first_deal: bool = False,
    client_currency: str | None = None,
) -> Resolved:
    """Fill the gaps in ``p`` from the tier's defaults and the settings.

    The tier minimum fee applies unless the officer states a fee; the first-deal waiver applies when the
    tier allows it and either the text says "first deal"/"首笔" or a named client has no deals yet and no
    fee was stated.
    """
    if p.amount is None:
        raise QuoteInputError("amount_not_positive", value="—")
    tier_name = tier if tier in cfg.tiers else cfg.default_tier
    defaults = cfg.tiers[tier_name]
    assumed: dict[str, str] = {}

    def pick(name: str, given: Any, default: Any) -> Any:
        if given is not None:
            return given
        assumed[name] = str(default)
        return default

    advance = pick("advance_rate", p.advance_rate, defaults.advance_rate)
    annual: Decimal | None = None
    mode = p.discount_mode or cfg.discount_mode
    if p.discount_rate is None:
        annual = pick("annual_rate", p.annual_rate, defaults.annual_rate)
    elif p.discount_mode is None:
        assumed["discount_mode"] = mode
    basis = pick("basis", p.basis, cfg.day_count_basis)
    fee_rate = pick("fee_rate", p.fee_rate, defaults.fee_rate)
    if p.fee_minimum is not None:
        fee_min = p.fee_minimum
    elif p.fee_rate is None and defaults.fee_minimum > 0:
        fee_min = pick("fee_minimum", None, defaults.fee_minimum)
    else:
        fee_min = Decimal(0)
    waiver = defaults.first_deal_waiver and (p.first_deal or (client_first_deal and p.fee_rate is None))
    if p.fee_waived or waiver:  # nothing about the fee was assumed when none is charged
        assumed.pop("fee_rate", None)
        assumed.pop("fee_minimum", None)
    timing = pick("interest_timing", p.interest_timing, cfg.interest_timing)
    recourse = pick("recourse", p.recourse, True)
    currency = p.currency or client_currency
    if currency is None:
        currency = pick("currency", None, cfg.default_currency)
    terms = QuoteTerms(
        face_value=p.amount,
        tenor_days=tenor_days(p, today),
        advance_rate=advance,
        annual_rate=annual,
        discount_rate=p.discount_rate,
        discount_mode=mode,  # type: ignore[arg-type]
        basis=int(basis),
        fee_rate=fee_rate,
        fee_minimum=fee_min,
        fee_waived=bool(p.fee_waived) or waiver,
        interest_timing=timing,
        recourse=recourse,
        non_recourse_premium=cfg.non_recourse_premium,
        currency=currency,
    )
    return Resolved(terms, assumed, tier_name, tier in cfg.tiers, waiver and not p.fee_waived)


def terms_from_dict(d: dict[str, Any]) -> QuoteTerms:
    """Rebuild terms from ``QuoteTerms.as_dict()`` (stored with every quote)."""

    def opt(key: str) -> Decimal | None:
        return None if d.get(key) is None else Decimal(d[key])

    return QuoteTerms(
        face_value=Decimal(d["face_value"]),
        tenor_days=int(d["tenor_days"]),
        advance_rate=Decimal(d["advance_rate"]),
        annual_rate=opt("annual_rate"),
        discount_rate=opt("discount_rate_30d"),
        discount_mode=d.get("discount_mode", "prorata"),
        basis=int(d.get("basis", 360)),
        fee_rate=Decimal(d.get("fee_rate", "0")),
        fee_minimum=Decimal(d.get("fee_minimum", "0")),
        fee_waived=bool(d.get("fee_waived", False)),
        interest_timing=d.get("interest_timing", "upfront"),
        recourse=bool(d.get("recourse", True)),
        non_recourse_premium=Decimal(d.get("non_recourse_premium", "0")),
        currency=d.get("currency", "CNY"),
    )
