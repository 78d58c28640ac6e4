"""The pricing engine: exact oracle tables, specific errors, and invariants (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skills.quote.logic import (
    Bounds,
    QuoteInputError,
    bank_loan,
    price,
    round_money,
    round_rate,
    tenor_from_due,
)

D = Decimal
REF = {"advance_rate": "0.8", "annual_rate": "0.06", "fee_rate": "0.005"}

# face, days, terms → advance, interest, fee, net at funding, reserve, released at collection, total cost, EAC
ORACLE = [
    pytest.param(1_000_000, 90, REF,
                 ("800000.00", "12000.00", "5000.00", "783000.00", "200000.00", "200000.00", "17000.00", "0.0850"),
                 id="worked-reference"),
    pytest.param(1_000_000, 90, {**REF, "basis": 365},
                 ("800000.00", "11835.62", "5000.00", "783164.38", "200000.00", "200000.00", "16835.62", "0.0853"),
                 id="act-365"),
    pytest.param(1_000_000, 90, {**REF, "interest_timing": "arrears"},
                 ("800000.00", "12000.00", "5000.00", "795000.00", "200000.00", "188000.00", "17000.00", "0.0850"),
                 id="arrears"),
    pytest.param(500_000, 45, {"advance_rate": "0.9", "discount_rate": "0.01"},
                 ("450000.00", "6750.00", "0.00", "443250.00", "50000.00", "50000.00", "6750.00", "0.1200"),
                 id="discount-prorata"),
    pytest.param(500_000, 45, {"advance_rate": "0.9", "discount_rate": "0.01", "discount_mode": "per_period"},
                 ("450000.00", "9000.00", "0.00", "441000.00", "50000.00", "50000.00", "9000.00", "0.1600"),
                 id="discount-per-started-period"),
    pytest.param(100_000, 30, {**REF, "fee_minimum": 2000},
                 ("80000.00", "400.00", "2000.00", "77600.00", "20000.00", "20000.00", "2400.00", "0.3600"),
                 id="fee-minimum"),
    pytest.param(1_000_000, 90, {**REF, "fee_minimum": 2000, "fee_waived": True},
                 ("800000.00", "12000.00", "0.00", "788000.00", "200000.00", "200000.00", "12000.00", "0.0600"),
                 id="first-deal-waiver"),
    pytest.param(1_000_000, 90, {**REF, "recourse": False, "non_recourse_premium": "0.02"},
                 ("800000.00", "16000.00", "5000.00", "779000.00", "200000.00", "200000.00", "21000.00", "0.1050"),
                 id="non-recourse-premium"),
    pytest.param(1_000_000, 90, {**REF, "recourse": True, "non_recourse_premium": "0.02"},
                 ("800000.00", "12000.00", "5000.00", "783000.00", "200000.00", "200000.00", "17000.00", "0.0850"),
                 id="recourse-ignores-premium"),
    pytest.param("333333.33", 47, {"advance_rate": "0.85", "annual_rate": "0.0725", "basis": 365, "fee_rate": "0.0035"},
                 ("283333.33", "2645.09", "1166.67", "279521.57", "50000.00", "50000.00", "3811.76", "0.1045"),
                 id="half-up-rounding-per-line"),
    pytest.param(2_000_000, 60, {"advance_rate": "0.85", "annual_rate": "0.05", "fee_rate": "0.003", "fee_minimum": 1000},
                 ("1700000.00", "14166.67", "6000.00", "1679833.33", "300000.00", "300000.00", "20166.67", "0.0712"),
                 id="quality-tier-terms"),
]  # fmt: skip


@pytest.mark.parametrize(("face", "days", "terms", "expected"), ORACLE)
def test_oracle(face: object, days: int, terms: dict[str, object], expected: tuple[str, ...]) -> None:
    r = price(face, days, **terms)  # type: ignore[arg-type]
    got = (r.advance, r.interest, r.service_fee, r.net_at_funding, r.reserve, r.reserve_released, r.total_cost,
           r.effective_annual_cost)  # fmt: skip
    assert tuple(str(x) for x in got) == expected
    assert r.net_at_funding + r.total_cost + r.reserve_released == r.terms.face_value


def test_worked_reference_identity_up_front_and_arrears() -> None:
    up = price(1_000_000, 90, **REF)
    assert up.net_at_funding + up.total_cost + up.reserve == D("1000000.00")
    arr = price(1_000_000, 90, interest_timing="arrears", **REF)
    assert arr.net_at_funding == arr.advance - arr.service_fee
    assert arr.reserve_released == arr.reserve - arr.interest


@pytest.mark.parametrize(
    ("args", "kwargs", "key"),
    [
        ((0, 90), REF, "amount_not_positive"),
        ((-5, 90), REF, "amount_not_positive"),
        ((D("1e11"), 90), REF, "amount_too_large"),
        ((1000, 0), REF, "tenor_range"),
        ((1000, 361), REF, "tenor_range"),
        ((1000, 90), {**REF, "advance_rate": "0"}, "advance_range"),
        ((1000, 90), {**REF, "advance_rate": "1.01"}, "advance_range"),
        ((1000, 90), {**REF, "annual_rate": "0.5"}, "rate_range"),
        ((1000, 90), {**REF, "annual_rate": "0.001"}, "rate_range"),
        ((1000, 90), {"advance_rate": "0.8", "discount_rate": "0.05"}, "discount_range"),
        ((1000, 90), {**REF, "fee_rate": "0.2"}, "fee_range"),
        ((1000, 90), {**REF, "basis": 366}, "basis"),
        ((1000, 90), {"advance_rate": "0.8"}, "pricing_missing"),
        ((1000, 90), {"advance_rate": "0.8", "annual_rate": "0.06", "discount_rate": "0.01"}, "pricing_missing"),
        ((1000, 360), {"advance_rate": "0.01", "annual_rate": "0.06", "fee_rate": "0.05"}, "costs_exceed_advance"),
    ],
)
def test_nonsense_is_rejected_with_a_specific_key(args: tuple[object, int], kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(QuoteInputError) as info:
        price(*args, **kwargs)  # type: ignore[arg-type]
    assert info.value.key == key
    assert isinstance(info.value, ValueError)


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        price(1000.0, 90, **REF)  # type: ignore[arg-type]


def test_bounds_are_configurable() -> None:
    with pytest.raises(QuoteInputError):
        price(1000, 90, advance_rate="0.8", annual_rate="0.10", bounds=Bounds(max_annual_rate=D("0.08")))
    assert price(1000, 90, advance_rate="0.8", annual_rate="0.10").interest == D("20.00")


def test_named_rounding_functions_round_half_up() -> None:
    assert round_money(D("2.345")) == D("2.35")
    assert round_money(D("2.344999")) == D("2.34")
    assert round_rate(D("0.08505")) == D("0.0851")


def test_tenor_from_due_date_counts_actual_days() -> None:
    assert tenor_from_due(date(2027, 3, 1), date(2026, 11, 30)) == 91
    assert tenor_from_due(date(2026, 11, 30), date(2026, 11, 30)) == 0


def test_bank_loan_with_deposit_costs_more_than_its_rate() -> None:
    loan = bank_loan(D(800000), 90, annual_rate=D("0.045"), deposit_ratio=D("0.3"), fee_rate=D("0.005"))
    assert loan.loan == D("1142857.14")
    assert loan.interest == D("12857.14")
    assert loan.fee == D("5714.29")
    assert loan.total_cost == D("18571.43")
    assert loan.effective_annual_cost == D("0.0929")


# -- invariants ------------------------------------------------------------------------------------

faces = st.decimals(min_value=D("1000"), max_value=D("100000000"), places=2)
advances = st.integers(min_value=10, max_value=100).map(lambda p: D(p) / 100)
annual = st.integers(min_value=50, max_value=2400).map(lambda bp: D(bp) / 10000)
fees = st.integers(min_value=0, max_value=100).map(lambda bp: D(bp) / 10000)
tenors = st.integers(min_value=1, max_value=359)
bases = st.sampled_from([360, 365])
timings = st.sampled_from(["upfront", "arrears"])


@settings(max_examples=300, deadline=None)
@given(faces, tenors, advances, annual, fees, bases, timings)
def test_identity_net_plus_costs_plus_released_is_face(
    face: Decimal, days: int, adv: Decimal, rate: Decimal, fee: Decimal, basis: int, timing: str
) -> None:
    try:
        r = price(face, days, advance_rate=adv, annual_rate=rate, fee_rate=fee, basis=basis, interest_timing=timing)  # type: ignore[arg-type]
    except QuoteInputError as exc:
        assert exc.key == "costs_exceed_advance"
        return
    assert r.net_at_funding + r.total_cost + r.reserve_released == r.terms.face_value
    if timing == "upfront":
        assert r.net_at_funding + r.total_cost + r.reserve == r.terms.face_value
    else:
        assert r.reserve_released == r.reserve - r.interest
    assert r.reserve == r.terms.face_value - r.advance


@settings(max_examples=300, deadline=None)
@given(faces, tenors, advances, annual, fees, bases, st.booleans())
def test_costs_grow_with_tenor(
    face: Decimal, days: int, adv: Decimal, rate: Decimal, fee: Decimal, basis: int, per_30: bool
) -> None:
    kwargs: dict[str, object] = {"advance_rate": adv, "fee_rate": fee, "basis": basis}
    if per_30:
        kwargs["discount_rate"] = max(rate / 12, D("0.0005")).quantize(D("0.0001"))
    else:
        kwargs["annual_rate"] = rate
    try:
        short = price(face, days, **kwargs)  # type: ignore[arg-type]
        long = price(face, days + 1, **kwargs)  # type: ignore[arg-type]
    except QuoteInputError:
        return
    assert long.total_cost >= short.total_cost
    assert long.interest >= short.interest


@settings(max_examples=300, deadline=None)
@given(faces, tenors, advances, annual, st.integers(min_value=1, max_value=100).map(lambda bp: D(bp) / 10000), bases)
def test_effective_cost_at_least_nominal_when_fees(
    face: Decimal, days: int, adv: Decimal, rate: Decimal, fee: Decimal, basis: int
) -> None:
    try:
        r = price(face, days, advance_rate=adv, annual_rate=rate, fee_rate=fee, basis=basis)
    except QuoteInputError:
        return
    if r.service_fee > 0:
        assert r.effective_annual_cost >= rate
