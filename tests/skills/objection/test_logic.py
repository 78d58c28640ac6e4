"""Pure card logic: phone-sized cards, aliases, and client figures equal to the pricing engine's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from knowledge.content import load_playbook
from skills.objection.cards import ALIASES, CATEGORY, CUES, resolve_alias
from skills.objection.config import ObjectionConfig
from skills.objection.logic import (
    CARD_LIMIT,
    PRICING_CARDS,
    ClientFacts,
    Engine,
    personalise,
    render_card,
    split_sentences,
    visible_length,
)
from skills.quote.config import QuoteConfig
from skills.quote.logic import QuoteInputError, bank_loan, price

BOOK = load_playbook()
CARDS = sorted(BOOK.of_kind("objection"), key=lambda e: (e.id, e.lang))
ENGINE = Engine(price=price, bank_loan=bank_loan, error=QuoteInputError)
INPUTS = {
    "face_value": "1000000.00", "tenor_days": 90, "advance_rate": "0.8", "pricing": "annual", "annual_rate": "0.06",
    "discount_rate_30d": None, "discount_mode": "prorata", "basis": 360, "fee_rate": "0.005", "fee_minimum": "0.00",
    "fee_waived": False, "interest_timing": "upfront", "recourse": True, "non_recourse_premium": "0",
    "currency": "CNY",
}  # fmt: skip


def test_the_twenty_aliases_name_the_twenty_cards() -> None:
    assert len(ALIASES) == 20
    assert set(ALIASES.values()) == set(CATEGORY) == set(CUES)
    assert {e.id for e in CARDS} == set(ALIASES.values())
    for alias, card_id in ALIASES.items():
        assert resolve_alias(alias) == card_id
        assert resolve_alias(alias.upper()) == card_id
    assert resolve_alias("利率") == "obj.rate-too-high"
    assert resolve_alias("obj.recourse") == "obj.recourse"
    assert resolve_alias("nonsense") is None


@pytest.mark.parametrize("entry", CARDS, ids=lambda e: f"{e.id}-{e.lang}")
def test_every_card_fits_a_phone_screen(entry: object) -> None:
    text = render_card(entry)  # type: ignore[arg-type]
    assert visible_length(text) <= CARD_LIMIT
    assert "❓" in text and "➡️" in text  # the probing question and the next step always survive


@pytest.mark.parametrize("entry", CARDS, ids=lambda e: f"{e.id}-{e.lang}")
@pytest.mark.parametrize("tier,deals", [("quality", 0), ("risk", 0), ("potential", 2)])
def test_personalised_cards_fit_too(entry: object, tier: str, deals: int) -> None:
    client = ClientFacts(1, "Acme Trading Co.", tier, deals)
    personal = personalise(entry.id, entry.lang, client, INPUTS, ObjectionConfig(), ENGINE)  # type: ignore[attr-defined]
    text = render_card(entry, personal)  # type: ignore[arg-type]
    assert visible_length(text) <= CARD_LIMIT
    assert "Acme Trading Co." in text


def test_visible_length_ignores_tags_and_entities() -> None:
    assert visible_length("<b>a</b> &lt;b&gt;") == 5


@pytest.mark.parametrize(
    "text,expected",
    [
        ("One. Two costs 1.2% a month! Three?", ["One.", "Two costs 1.2% a month!", "Three?"]),
        ("按月1.2%是19,200元。同样80万的贷款；还要抵押。", ["按月1.2%是19,200元。", "同样80万的贷款；", "还要抵押。"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_quality_first_deal_figures_equal_the_pricing_engine() -> None:
    cfg, qcfg = ObjectionConfig(), QuoteConfig()
    personal = personalise(
        "obj.rate-too-high", "en", ClientFacts(7, "Acme", "quality", 0), INPUTS, cfg, ENGINE, bank_terms=qcfg
    )
    base = price("1000000.00", 90, advance_rate="0.8", annual_rate="0.06", fee_rate="0.005")
    assert personal.data["quote"]["total_cost"] == str(base.total_cost) == "17000.00"
    assert personal.data["quote"]["effective_annual_cost"] == str(base.effective_annual_cost)
    bank = bank_loan(base.advance, 90, annual_rate=qcfg.bank_loan_rate, deposit_ratio=qcfg.bank_deposit_ratio,
                     fee_rate=qcfg.bank_fee_rate, basis=base.terms.basis)  # fmt: skip
    assert personal.data["bank_loan"]["total_cost"] == str(bank.total_cost)
    assert personal.data["bank_loan"]["loan"] == str(bank.loan)
    cheaper = price("1000000.00", 90, advance_rate="0.8", annual_rate="0.05", fee_rate="0.005")
    waived = price("1000000.00", 90, advance_rate="0.8", annual_rate="0.06", fee_rate="0.005", fee_waived=True)
    kinds = {c["kind"]: c for c in personal.data["concessions"]}
    assert kinds["rate_discount"]["total_cost"] == str(cheaper.total_cost)
    assert kinds["rate_discount"]["saving"] == str(base.total_cost - cheaper.total_cost)
    assert kinds["fee_waiver"]["service_fee"] == str(base.service_fee) == "5000.00"
    assert kinds["fee_waiver"]["total_cost"] == str(waived.total_cost)
    shown = "\n".join(personal.lines)
    assert "17,000.00" in shown and f"{bank.total_cost:,.2f}" in shown


def test_risk_tier_gets_no_concession_and_repeat_clients_no_waiver() -> None:
    risk = personalise("obj.fees-too-high", "zh", ClientFacts(1, "华东纺织", "risk", 0), INPUTS, ObjectionConfig(), ENGINE)
    assert risk.data["concessions"] == [{"kind": "none", "reason": "risk tier"}]
    assert "不让步" in "\n".join(risk.lines)
    repeat = personalise("obj.rate-too-high", "en", ClientFacts(1, "Blue", "potential", 3), INPUTS, ObjectionConfig(), ENGINE)
    assert repeat.data["concessions"] == []


def test_without_a_quote_or_engine_the_card_degrades_to_the_tier() -> None:
    personal = personalise("obj.rate-too-high", "en", ClientFacts(1, "Blue", "quality", 0), None, ObjectionConfig(), None)
    assert "quote" not in personal.data and "bank_loan" not in personal.data
    assert [c["kind"] for c in personal.data["concessions"]] == ["rate_discount", "fee_waiver"]


def test_non_pricing_cards_show_no_quote_lines() -> None:
    card = "obj.debtor-notification"
    assert card not in PRICING_CARDS
    personal = personalise(card, "en", ClientFacts(1, "Blue", "potential", 2), INPUTS, ObjectionConfig(), ENGINE)
    assert "quote" not in personal.data and len(personal.lines) == 1
    assert Decimal(personal.data["client"]["deals_count"]) == 2
