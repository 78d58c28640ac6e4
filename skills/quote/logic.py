"""The factoring pricing engine: exact ``Decimal`` arithmetic, one rounding per line item, no I/O.

Business source: the team's pricing sheet (see ``docs/quote.md`` and the glossary): advance = face value ×
advance rate; interest = advance × annual rate × days ÷ basis (ACT/360 or ACT/365), or a discount per
30 days; service fee = face value × fee rate, at least the minimum; effective annual cost = total cost ÷
advance × basis ÷ days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

__all__ = [
    "BankLoan",
    "Bounds",
    "QuoteInputError",
    "QuoteResult",
    "QuoteTerms",
    "bank_loan",
    "dec",
    "price",
    "price_terms",
    "round_money",
    "round_rate",
    "tenor_from_due",
]

CENT = Decimal("0.01")
BASIS_POINT = Decimal("0.0001")
ZERO = Decimal("0")
ONE = Decimal("1")
PERIOD_DAYS = 30

Timing = Literal["upfront", "arrears"]
DiscountMode = Literal["prorata", "per_period"]


class QuoteInputError(ValueError):
    """Nonsense input to the pricing engine; ``key`` names the message in ``messages.py``, ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


def dec(value: Decimal | int | str) -> Decimal:
    """A Decimal from a Decimal, int or numeric string; floats are refused (they are not exact).

    >>> dec("0.1") + dec("0.2") == dec("0.3")
    True
    """
    if isinstance(value, float):
        raise TypeError("money and rates take Decimal, int or str, never float")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_money(amount: Decimal) -> Decimal:
    """Round one line item to the cent, half up (the only place money is rounded).

    >>> round_money(Decimal("0.005")), round_money(Decimal("-0.005"))
    (Decimal('0.01'), Decimal('-0.01'))
    """
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def round_rate(rate: Decimal) -> Decimal:
    """Round an annualised rate to a basis point (4 places of a fraction), half up.

    >>> round_rate(Decimal("0.08505"))
    Decimal('0.0851')
    """
    return rate.quantize(BASIS_POINT, rounding=ROUND_HALF_UP)


def tenor_from_due(due: date, today: date) -> int:
    """Days from ``today`` (funding) to ``due`` (expected collection); may be ≤ 0 for a past date.

    Across a year end the count is actual days (ACT):
    >>> tenor_from_due(date(2027, 3, 1), date(2026, 11, 30))
    91
    """
    return (due - today).days


@dataclass(frozen=True, slots=True)
class Bounds:
    """What the engine accepts; the skill builds it from ``QuoteConfig``."""

    min_annual_rate: Decimal = Decimal("0.005")
    max_annual_rate: Decimal = Decimal("0.36")
    min_discount_rate: Decimal = Decimal("0.0005")
    max_discount_rate: Decimal = Decimal("0.03")
    max_fee_rate: Decimal = Decimal("0.05")
    max_face_value: Decimal = Decimal("10000000000")
    max_tenor_days: int = 360


@dataclass(frozen=True, slots=True)
class QuoteTerms:
    """Every input of a quote. Exactly one of ``annual_rate`` / ``discount_rate`` prices the money."""

    face_value: Decimal
    tenor_days: int
    advance_rate: Decimal
    annual_rate: Decimal | None = None
    discount_rate: Decimal | None = None  # per 30 days
    discount_mode: DiscountMode = "prorata"
    basis: int = 360
    fee_rate: Decimal = ZERO
    fee_minimum: Decimal = ZERO
    fee_waived: bool = False
    interest_timing: Timing = "upfront"
    recourse: bool = True
    non_recourse_premium: Decimal = ZERO
    currency: str = "CNY"

    @property
    def pricing(self) -> str:
        return "discount" if self.discount_rate is not None else "annual"

    @property
    def applied_rate(self) -> Decimal:
        """The rate actually charged: annual (or per-30-day) plus the non-recourse premium, unrounded.

        In discount mode the annual premium is converted to 30 days on the basis: premium × 30 ÷ basis.
        """
        premium = ZERO if self.recourse else self.non_recourse_premium
        if self.discount_rate is not None:
            return self.discount_rate + premium * PERIOD_DAYS / self.basis
        assert self.annual_rate is not None
        return self.annual_rate + premium

    def as_dict(self) -> dict[str, Any]:
        """Every input as JSON-safe strings/ints/bools (what ``data["inputs"]`` carries)."""

        def s(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "face_value": str(round_money(self.face_value)),
            "tenor_days": self.tenor_days,
            "advance_rate": str(self.advance_rate),
            "pricing": self.pricing,
            "annual_rate": s(self.annual_rate),
            "discount_rate_30d": s(self.discount_rate),
            "discount_mode": self.discount_mode,
            "basis": self.basis,
            "day_count": f"ACT/{self.basis}",
            "fee_rate": str(self.fee_rate),
            "fee_minimum": str(round_money(self.fee_minimum)),
            "fee_waived": self.fee_waived,
            "interest_timing": self.interest_timing,
            "recourse": self.recourse,
            "non_recourse_premium": str(ZERO if self.recourse else self.non_recourse_premium),
            "currency": self.currency,
        }


@dataclass(frozen=True, slots=True)
class QuoteResult:
    """The priced quote. Identity (both timings): net_at_funding + total_cost + reserve_released = face value.

    Up front: net_at_funding = advance − interest − service fee and reserve_released = reserve, so
    net_at_funding + total_cost + reserve = face value. In arrears: net_at_funding = advance − service fee and
    reserve_released = reserve − interest (the interest is taken out of the reserve at collection).
    """

    terms: QuoteTerms
    advance: Decimal
    interest: Decimal  # interest, or the discount fee in per-30-day pricing
    service_fee: Decimal
    net_at_funding: Decimal
    reserve: Decimal  # held back at funding: face value − advance
    reserve_released: Decimal  # paid to the client when the buyer pays
    total_cost: Decimal
    effective_annual_cost: Decimal  # a fraction, 4 places
    periods: int | None = None  # started 30-day periods charged (per-period discount only)

    def as_dict(self) -> dict[str, Any]:
        """Every output figure as a string (money with 2 places, the annual cost with 4)."""
        return {
            "advance": str(self.advance),
            "interest": str(self.interest),
            "service_fee": str(self.service_fee),
            "net_at_funding": str(self.net_at_funding),
            "reserve": str(self.reserve),
            "reserve_released": str(self.reserve_released),
            "total_cost": str(self.total_cost),
            "effective_annual_cost": str(self.effective_annual_cost),
            "applied_rate": str(self.terms.applied_rate.normalize()),
        }


def _check(terms: QuoteTerms, bounds: Bounds) -> None:
    if terms.face_value <= 0:
        raise QuoteInputError("amount_not_positive", value=str(terms.face_value))
    if terms.face_value > bounds.max_face_value:
        raise QuoteInputError("amount_too_large", value=str(terms.face_value), max=str(bounds.max_face_value))
    if terms.tenor_days <= 0 or terms.tenor_days > bounds.max_tenor_days:
        raise QuoteInputError("tenor_range", days=terms.tenor_days, max=bounds.max_tenor_days)
    if not ZERO < terms.advance_rate <= ONE:
        raise QuoteInputError("advance_range", value=terms.advance_rate)
    if terms.basis not in (360, 365):
        raise QuoteInputError("basis", value=terms.basis)
    if (terms.annual_rate is None) == (terms.discount_rate is None):
        raise QuoteInputError("pricing_missing")
    rate = terms.applied_rate
    if terms.discount_rate is not None:
        if not bounds.min_discount_rate <= rate <= bounds.max_discount_rate:
            raise QuoteInputError(
                "discount_range", value=rate, lo=bounds.min_discount_rate, hi=bounds.max_discount_rate
            )
    elif not bounds.min_annual_rate <= rate <= bounds.max_annual_rate:
        raise QuoteInputError("rate_range", value=rate, lo=bounds.min_annual_rate, hi=bounds.max_annual_rate)
    if not ZERO <= terms.fee_rate <= bounds.max_fee_rate:
        raise QuoteInputError("fee_range", value=terms.fee_rate, hi=bounds.max_fee_rate)
    if terms.fee_minimum < 0:
        raise QuoteInputError("fee_minimum_negative", value=str(terms.fee_minimum))
    if terms.non_recourse_premium < 0:
        raise QuoteInputError("premium_negative", value=terms.non_recourse_premium)


def interest_charge(terms: QuoteTerms, advance: Decimal) -> tuple[Decimal, int | None]:
    """Interest (or discount fee) on the advance, rounded, and the 30-day periods charged if per period.

    A 31-day tenor at 1% per started 30 days is charged two periods (2%):
    >>> t = QuoteTerms(Decimal(100000), 31, Decimal(1), discount_rate=Decimal("0.01"), discount_mode="per_period")
    >>> interest_charge(t, Decimal(100000))
    (Decimal('2000.00'), 2)
    """
    rate = terms.applied_rate
    if terms.discount_rate is None:
        return round_money(advance * rate * terms.tenor_days / terms.basis), None
    if terms.discount_mode == "per_period":
        periods = math.ceil(terms.tenor_days / PERIOD_DAYS)
        return round_money(advance * rate * periods), periods
    return round_money(advance * rate * terms.tenor_days / PERIOD_DAYS), None


def service_fee(terms: QuoteTerms) -> Decimal:
    """Face value × fee rate, at least the minimum, or nothing when waived (first-deal waiver).

    The minimum applies only when a fee is charged at all (a 0% fee stays 0):
    >>> service_fee(QuoteTerms(Decimal(100000), 30, Decimal("0.8"), Decimal("0.06"), fee_rate=Decimal("0.005"),
    ...                        fee_minimum=Decimal(2000)))
    Decimal('2000.00')
    """
    if terms.fee_waived or terms.fee_rate == 0:
        return round_money(ZERO)
    return round_money(max(terms.face_value * terms.fee_rate, terms.fee_minimum))


def price_terms(terms: QuoteTerms, bounds: Bounds | None = None) -> QuoteResult:
    """Price a deal; raises :class:`QuoteInputError` for nonsense or out-of-bounds terms.

    >>> r = price(1_000_000, 90, advance_rate="0.8", annual_rate="0.06", fee_rate="0.005")
    >>> r.net_at_funding, r.total_cost, r.effective_annual_cost
    (Decimal('783000.00'), Decimal('17000.00'), Decimal('0.0850'))
    """
    _check(terms, bounds or Bounds())
    face = round_money(terms.face_value)
    advance = round_money(face * terms.advance_rate)
    interest, periods = interest_charge(terms, advance)
    fee = service_fee(terms)
    reserve = face - advance
    if terms.interest_timing == "upfront":
        net, released = advance - interest - fee, reserve
    else:
        net, released = advance - fee, reserve - interest
    total = interest + fee
    if net <= 0:
        raise QuoteInputError("costs_exceed_advance", cost=str(total), advance=str(advance))
    eac = round_rate(total / advance * terms.basis / terms.tenor_days)
    return QuoteResult(replace(terms, face_value=face), advance, interest, fee, net, reserve, released, total, eac, periods)


def price(
    face_value: Decimal | int | str,
    tenor_days: int,
    *,
    advance_rate: Decimal | int | str,
    annual_rate: Decimal | int | str | None = None,
    discount_rate: Decimal | int | str | None = None,
    discount_mode: DiscountMode = "prorata",
    basis: int = 360,
    fee_rate: Decimal | int | str = ZERO,
    fee_minimum: Decimal | int | str = ZERO,
    fee_waived: bool = False,
    interest_timing: Timing = "upfront",
    recourse: bool = True,
    non_recourse_premium: Decimal | int | str = ZERO,
    currency: str = "CNY",
    bounds: Bounds | None = None,
) -> QuoteResult:
    """Price one deal to the cent (the public entry point other skills use; rates are fractions: 0.06 = 6%)."""
    terms = QuoteTerms(
        face_value=dec(face_value),
        tenor_days=tenor_days,
        advance_rate=dec(advance_rate),
        annual_rate=None if annual_rate is None else dec(annual_rate),
        discount_rate=None if discount_rate is None else dec(discount_rate),
        discount_mode=discount_mode,
        basis=basis,
        fee_rate=dec(fee_rate),
        fee_minimum=dec(fee_minimum),
        fee_waived=fee_waived,
        interest_timing=interest_timing,
        recourse=recourse,
        non_recourse_premium=dec(non_recourse_premium),
        currency=currency,
    )
    return price_terms(terms, bounds)


@dataclass(frozen=True, slots=True)
class BankLoan:
    """A bank loan giving the client the same usable cash, with part of the loan kept as deposit (保证金)."""

    usable: Decimal
    loan: Decimal
    deposit: Decimal
    interest: Decimal
    fee: Decimal
    total_cost: Decimal
    effective_annual_cost: Decimal


def bank_loan(
    usable: Decimal, tenor_days: int, *, annual_rate: Decimal, deposit_ratio: Decimal, fee_rate: Decimal, basis: int = 360
) -> BankLoan:
    """The all-in cost of borrowing enough from a bank to have ``usable`` cash after the deposit requirement.

    loan = usable ÷ (1 − deposit ratio); interest = loan × rate × days ÷ basis; fee = loan × fee rate;
    effective annual cost = (interest + fee) ÷ usable × basis ÷ days. A 30% deposit turns 4.5% into 6.43%:
    >>> bank_loan(Decimal(700000), 360, annual_rate=Decimal("0.045"), deposit_ratio=Decimal("0.3"),
    ...           fee_rate=Decimal(0)).effective_annual_cost
    Decimal('0.0643')
    """
    if not ZERO <= deposit_ratio < ONE:
        raise QuoteInputError("deposit_range", value=deposit_ratio)
    loan = round_money(usable / (ONE - deposit_ratio))
    interest = round_money(loan * annual_rate * tenor_days / basis)
    fee = round_money(loan * fee_rate)
    total = interest + fee
    eac = round_rate(total / usable * basis / tenor_days)
    return BankLoan(usable, loan, loan - usable, interest, fee, total, eac)
