"""Pure card logic: compose a phone-sized card, fit it to 600 visible characters, and the client figures.

No I/O here: the skill passes in the playbook entry, the client's facts, the last quote's stored inputs and
the quote engine's functions (``price`` and ``bank_loan``), so every figure is the pricing engine's own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from skills.fmt import esc, number, percent
from skills.i18n import t
from skills.objection.messages import MESSAGES, TIER

if TYPE_CHECKING:
    from knowledge.content import Entry
    from skills.objection.config import ObjectionConfig

__all__ = [
    "ANGLE_SECTIONS",
    "CARD_LIMIT",
    "ClientFacts",
    "Engine",
    "Personal",
    "angles_of",
    "personalise",
    "price_kwargs",
    "render_card",
    "split_sentences",
    "visible_length",
]

CARD_LIMIT = 600  # visible characters on screen (tags stripped, entities decoded)
ICONS = {"Acknowledge": "🤝", "Ask": "❓", "Respond": "💡", "Offer": "🎁", "Next step": "➡️"}
# Cards where the last quote and a bank loan over the same tenor make the argument.
PRICING_CARDS = frozenset(
    {"obj.rate-too-high", "obj.fees-too-high", "obj.competitor-offer", "obj.have-bank-line", "obj.deposit-margin"}
)
# A card's angles, in playbook order: "a" is the Respond section, "b" the Another angle section, and any
# further "Another angle 2", "Another angle 3"… sections a card may grow become "c", "d"….
ANGLE_SECTIONS = ("Respond", "Another angle", *(f"Another angle {n}" for n in range(2, 6)))
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？；])\s*")


def visible_length(text: str) -> int:
    """Characters an officer sees: HTML tags removed and entities decoded.

    >>> visible_length("<b>Fair</b> &amp; square")
    13
    """
    return len(html.unescape(_TAG.sub("", text)))


def join_sentences(sentences: list[str]) -> str:
    """Join sentences back: a space after Latin punctuation, none after Chinese."""
    out = ""
    for sentence in sentences:
        out += (" " if out and out[-1] in ".!?" else "") + sentence
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of English or Chinese prose (kept with their punctuation).

    >>> split_sentences("按月1.2%。两句！Costs 1.2% a month. Four?")
    ['按月1.2%。', '两句！', 'Costs 1.2% a month.', 'Four?']
    """
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """What the card needs to know about the client."""

    id: int
    name: str
    tier: str  # quality | potential | risk
    deals_count: int
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class Engine:
    """The quote engine's entry points (``skills.quote.logic.price`` and ``bank_loan``)."""

    price: Callable[..., Any]
    bank_loan: Callable[..., Any] | None = None
    error: type[Exception] = ValueError


@dataclass(slots=True)
class Personal:
    """Client lines for the card (HTML) and the figures behind them."""

    lines: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    replaces_offer: bool = False


def price_kwargs(inputs: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``price(face_value, tenor_days, **kw)`` from a stored quote's ``inputs``."""

    def opt(key: str) -> Decimal | None:
        value = inputs.get(key)
        return None if value is None else Decimal(str(value))

    return {
        "advance_rate": Decimal(str(inputs["advance_rate"])),
        "annual_rate": opt("annual_rate"),
        "discount_rate": opt("discount_rate_30d"),
        "discount_mode": inputs.get("discount_mode", "prorata"),
        "basis": int(inputs.get("basis", 360)),
        "fee_rate": Decimal(str(inputs.get("fee_rate", "0"))),
        "fee_minimum": Decimal(str(inputs.get("fee_minimum", "0"))),
        "fee_waived": bool(inputs.get("fee_waived", False)),
        "interest_timing": inputs.get("interest_timing", "upfront"),
        "recourse": bool(inputs.get("recourse", True)),
        "non_recourse_premium": Decimal(str(inputs.get("non_recourse_premium", "0"))),
        "currency": inputs.get("currency", "CNY"),
    }


def _points(value: Decimal, lang: str) -> str:
    return t(MESSAGES, "points", lang, n=number(value * 100, lang, places=2).rstrip("0").rstrip(".,"))


class BankTerms(Protocol):
    """The comparable bank loan's terms (``skills.quote.config.QuoteConfig`` provides them)."""

    bank_loan_rate: Decimal
    bank_deposit_ratio: Decimal
    bank_fee_rate: Decimal


def personalise(
    card_id: str,
    lang: str,
    client: ClientFacts,
    quote_inputs: dict[str, Any] | None,
    cfg: ObjectionConfig,
    engine: Engine | None,
    bank_terms: BankTerms | None = None,
) -> Personal:
    """The client line, the last quote next to a bank loan (pricing cards), and what the tier allows.

    The bank loan uses the quote skill's assumptions (``QUOTE__BANK_*``) and the quote's day count, as the
    quote's Compare view does, so the two never disagree.
    """
    out = Personal()
    first = client.deals_count == 0
    tier_name = t(TIER, client.tier, lang) if client.tier in TIER else esc(client.tier)
    line = t(MESSAGES, "client_line", lang, name=esc(client.name), tier=tier_name)
    if first:
        line += t(MESSAGES, "first_deal", lang)
    out.data["client"] = {"id": client.id, "name": client.name, "tier": client.tier, "deals_count": client.deals_count}
    base = None
    if quote_inputs and engine is not None:
        try:
            kwargs = price_kwargs(quote_inputs)
            face = Decimal(str(quote_inputs["face_value"]))
            days = int(quote_inputs["tenor_days"])
            base = engine.price(face, days, **kwargs)
        except (KeyError, ArithmeticError, engine.error, ValueError):
            base = None
    if base is not None and card_id in PRICING_CARDS:
        rate_key = "rate_30d" if kwargs["discount_rate"] is not None else "rate_annual"
        rate = percent(base.terms.applied_rate, lang)
        line += "\n" + t(
            MESSAGES, "quote_line", lang, face=number(face, lang, places=0), days=days,
            rate=t(MESSAGES, rate_key, lang, rate=rate), cost=number(base.total_cost, lang),
            eac=percent(base.effective_annual_cost, lang),
        )  # fmt: skip
        out.data["quote"] = {"face_value": str(face), "tenor_days": days, **base.as_dict()}
        if engine.bank_loan is not None and bank_terms is not None:
            bank = engine.bank_loan(
                base.advance, days, annual_rate=bank_terms.bank_loan_rate, deposit_ratio=bank_terms.bank_deposit_ratio,
                fee_rate=bank_terms.bank_fee_rate, basis=base.terms.basis,
            )  # fmt: skip
            out.lines.append(line)
            line = t(
                MESSAGES, "bank_line", lang, usable=number(bank.usable, lang, places=0), days=days,
                rate=percent(bank_terms.bank_loan_rate, lang),
                deposit=percent(bank_terms.bank_deposit_ratio, lang, places=0),
                fee=percent(bank_terms.bank_fee_rate, lang), cost=number(bank.total_cost, lang),
                eac=percent(bank.effective_annual_cost, lang),
            )  # fmt: skip
            out.data["bank_loan"] = {
                "annual_rate": str(bank_terms.bank_loan_rate), "deposit_ratio": str(bank_terms.bank_deposit_ratio),
                "fee_rate": str(bank_terms.bank_fee_rate), "usable": str(bank.usable), "loan": str(bank.loan),
                "deposit": str(bank.deposit), "interest": str(bank.interest), "fee": str(bank.fee),
                "total_cost": str(bank.total_cost), "effective_annual_cost": str(bank.effective_annual_cost),
            }  # fmt: skip
    out.lines.append(line)
    out.data["concessions"] = concessions = []
    if client.tier == "risk":
        out.lines.append(t(MESSAGES, "c.risk", lang))
        concessions.append({"kind": "none", "reason": "risk tier"})
        out.replaces_offer = True
        return out
    if client.tier == "quality" and cfg.quality_rate_discount > 0:
        cut = cfg.quality_rate_discount
        figures = _discounted(base, kwargs, face, days, cut, engine) if base is not None else None
        if figures is not None:
            cost, saving = figures
            out.lines.append(t(MESSAGES, "c.discount", lang, points=_points(cut, lang), cost=number(cost, lang),
                               saving=number(saving, lang)))  # fmt: skip
            concessions.append({"kind": "rate_discount", "annual_points": str(cut), "total_cost": str(cost),
                                "saving": str(saving)})  # fmt: skip
        else:
            out.lines.append(t(MESSAGES, "c.discount_plain", lang, points=_points(cut, lang)))
            concessions.append({"kind": "rate_discount", "annual_points": str(cut)})
        out.replaces_offer = True
    if first and cfg.first_deal_fee_waiver:
        waived = None
        if base is not None and base.service_fee > 0:
            try:
                waived = engine.price(face, days, **{**kwargs, "fee_waived": True})  # type: ignore[union-attr]
            except (engine.error, ValueError):  # type: ignore[union-attr]
                waived = None
        if waived is not None:
            out.lines.append(t(MESSAGES, "c.waiver", lang, fee=number(base.service_fee, lang),
                               cost=number(waived.total_cost, lang)))  # fmt: skip
            concessions.append({"kind": "fee_waiver", "service_fee": str(base.service_fee),
                                "total_cost": str(waived.total_cost)})  # fmt: skip
        else:
            out.lines.append(t(MESSAGES, "c.waiver_plain", lang))
            concessions.append({"kind": "fee_waiver"})
        out.replaces_offer = True
    return out


def _discounted(
    base: Any, kwargs: dict[str, Any], face: Decimal, days: int, cut: Decimal, engine: Engine | None
) -> tuple[Decimal, Decimal] | None:
    """Total cost with the quality-tier rate cut (annual points; per-30-day pricing converts on the basis)."""
    assert engine is not None
    changed = dict(kwargs)
    if kwargs["discount_rate"] is not None:
        changed["discount_rate"] = kwargs["discount_rate"] - cut * 30 / kwargs["basis"]
    else:
        changed["annual_rate"] = kwargs["annual_rate"] - cut
    try:
        cheaper = engine.price(face, days, **changed)
    except (engine.error, ValueError):
        return None
    return cheaper.total_cost, base.total_cost - cheaper.total_cost


def angles_of(entry: Entry) -> dict[str, str]:
    """The card's angles by key ("a", "b", …) in playbook order, each the text of its section."""
    out: dict[str, str] = {}
    for i, name in enumerate(ANGLE_SECTIONS):
        text = entry.section(name)
        if text:
            out["abcdefgh"[i]] = text
    return out


def render_card(
    entry: Entry, personal: Personal | None = None, *, limit: int = CARD_LIMIT, respond: str | None = None
) -> str:
    """The card: title, client lines, acknowledge → ask → respond → offer → next step, ≤ ``limit`` visible chars.

    When it does not fit: drop the acknowledgement, then shorten the response sentence by sentence, then
    drop the playbook's offer, then the client lines from the bottom, and last cut the response.
    ``respond`` replaces the Respond section (the angle the team's outcomes put first).
    """
    sections = {name: esc(entry.section(name)) for name in ICONS}
    respond_parts = split_sentences(respond if respond is not None else entry.section("Respond"))
    lines = list(personal.lines) if personal else []
    drop_offer = bool(personal and personal.replaces_offer)
    drop_ack = False

    def build() -> str:
        parts = [f"<b>💬 {esc(entry.title)}</b>", *lines]
        for name, icon in ICONS.items():
            if (name == "Acknowledge" and drop_ack) or (name == "Offer" and drop_offer):
                continue
            body = esc(join_sentences(respond_parts)) if name == "Respond" else sections[name]
            if name == "Ask":
                body = f"<i>{body}</i>"
            parts.append(f"{icon} {body}")
        return "\n".join(parts)

    text = build()
    steps = 0
    while visible_length(text) > limit and steps < 50:
        steps += 1
        if not drop_ack:
            drop_ack = True
        elif len(respond_parts) > 1:
            respond_parts = respond_parts[:-1]
        elif not drop_offer:
            drop_offer = True
        elif len(lines) > 1:
            lines = lines[:-1]
        else:
            over = visible_length(text) - limit
            respond_parts = [respond_parts[0][: max(20, len(respond_parts[0]) - over - 1)] + "…"]
        text = build()
    return text
