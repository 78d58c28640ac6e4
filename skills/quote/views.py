"""Rendering quotes for a phone: the aligned breakdown, the finance explanation and the comparison table."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from skills.fmt import esc, money, number, percent
from skills.i18n import t
from skills.quote.config import QuoteConfig
from skills.quote.logic import QuoteInputError, QuoteResult, bank_loan, price_terms
from skills.quote.messages import MESSAGES
from skills.quote.terms import Resolved, bounds_from

__all__ = ["breakdown", "compare", "explain", "pct"]


def pct(value: Decimal) -> str:
    """A rate as a short percentage: 0.8 → "80%", 0.005 → "0.5%", 0.0625 → "6.25%"."""
    q = (value * 100).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    return format(q, "f") + "%"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, str]]) -> str:
    """Label/value rows, values right-aligned, padded by display width (CJK counts double)."""
    left = max(_width(label) for label, _ in rows)
    right = max(len(value) for _, value in rows)
    lines = [label + " " * (left - _width(label) + 2) + value.rjust(right) for label, value in rows]
    return "<pre>" + esc("\n".join(lines)) + "</pre>"


def breakdown(r: QuoteResult, res: Resolved, quote_id: int, client: str | None, lang: str) -> str:
    """The compact reply: title, aligned figures, one plain sentence, what was assumed."""
    terms = r.terms

    def n(x: Decimal) -> str:
        return number(x, lang)

    if terms.discount_rate is not None:
        cost_label = t(MESSAGES, "discount", lang, pct=pct(terms.applied_rate))
    else:
        cost_label = t(MESSAGES, "interest", lang, pct=pct(terms.applied_rate))
    fee_label = t(MESSAGES, "fee_waived", lang) if terms.fee_waived else t(MESSAGES, "fee", lang, pct=pct(terms.fee_rate))
    rows = [
        (t(MESSAGES, "face", lang), n(terms.face_value)),
        (t(MESSAGES, "advance", lang, pct=pct(terms.advance_rate)), n(r.advance)),
        (cost_label, n(r.interest)),
        (fee_label, n(r.service_fee)),
        (t(MESSAGES, "net", lang), n(r.net_at_funding)),
        (t(MESSAGES, "reserve", lang), n(r.reserve)),
    ]
    if terms.interest_timing == "arrears":
        rows.append((t(MESSAGES, "released", lang), n(r.reserve_released)))
    rows += [(t(MESSAGES, "total", lang), n(r.total_cost)), (t(MESSAGES, "eac", lang), percent(r.effective_annual_cost, lang))]
    title_client = t(MESSAGES, "title_client", lang, name=esc(client)) if client else ""
    lines = [t(MESSAGES, "title", lang, id=quote_id, currency=terms.currency, days=terms.tenor_days, client=title_client)]
    lines.append(_table(rows))
    cur = terms.currency
    if terms.interest_timing == "arrears":
        plain = t(
            MESSAGES, "plain_arrears", lang, net=money(r.net_at_funding, cur, lang), released=money(r.reserve_released, cur, lang),
            reserve=money(r.reserve, cur, lang), interest=money(r.interest, cur, lang), cost=money(r.total_cost, cur, lang),
        )  # fmt: skip
    else:
        plain = t(
            MESSAGES, "plain_upfront", lang, net=money(r.net_at_funding, cur, lang), reserve=money(r.reserve, cur, lang),
            cost=money(r.total_cost, cur, lang),
        )  # fmt: skip
    lines.append(plain)
    if res.waiver_applied:
        lines.append(t(MESSAGES, "waiver_note", lang))
    if not terms.recourse:
        lines.append(t(MESSAGES, "non_recourse_note", lang, premium=pct(terms.non_recourse_premium)))
    if res.assumed:
        lines.append(t(MESSAGES, "assumed", lang, source=_source(res, lang), items=_assumed_items(res.assumed, lang)))
    return "\n".join(lines)


def _source(res: Resolved, lang: str) -> str:
    if res.tier_from_client:
        return t(MESSAGES, "source_tier", lang, tier=t(MESSAGES, f"tier.{res.tier}", lang))
    return t(MESSAGES, "source_default", lang)


def _assumed_items(assumed: dict[str, str], lang: str) -> str:
    items = []
    for key, value in assumed.items():
        if key in ("advance_rate", "annual_rate", "fee_rate"):
            items.append(t(MESSAGES, f"a.{key}", lang, v=pct(Decimal(value))))
        elif key == "fee_minimum":
            items.append(t(MESSAGES, "a.fee_minimum", lang, v=number(Decimal(value), lang)))
        elif key in ("interest_timing", "discount_mode"):
            items.append(t(MESSAGES, f"a.{key}.{value}", lang))
        elif key == "recourse":
            items.append(t(MESSAGES, "a.recourse", lang))
        else:
            items.append(t(MESSAGES, f"a.{key}", lang, v=value))
    return ", ".join(items) if lang == "en" else "、".join(items)


def explain(r: QuoteResult, quote_id: int, lang: str) -> str:
    """Every formula with the numbers filled in, ending with the identity check."""
    terms = r.terms

    def n(x: Decimal) -> str:
        return number(x, lang)

    v = {
        "face": n(terms.face_value), "advance": n(r.advance), "interest": n(r.interest), "fee": n(r.service_fee),
        "net": n(r.net_at_funding), "reserve": n(r.reserve), "released": n(r.reserve_released), "total": n(r.total_cost),
        "eac": percent(r.effective_annual_cost, lang), "days": terms.tenor_days, "basis": terms.basis,
    }  # fmt: skip
    lines = [t(MESSAGES, "x.title", lang, id=quote_id), t(MESSAGES, "x.advance", lang, rate=pct(terms.advance_rate), **v)]
    if terms.discount_rate is None:
        lines.append(t(MESSAGES, "x.interest", lang, rate=pct(terms.applied_rate), **v))
    elif r.periods is not None:
        lines.append(t(MESSAGES, "x.discount_period", lang, rate=pct(terms.applied_rate), periods=r.periods, **v))
    else:
        lines.append(t(MESSAGES, "x.discount_prorata", lang, rate=pct(terms.applied_rate), **v))
    if not terms.recourse and terms.non_recourse_premium:
        lines.append(t(MESSAGES, "x.premium", lang, premium=pct(terms.non_recourse_premium)))
    if terms.fee_waived:
        lines.append(t(MESSAGES, "x.fee_waived", lang))
    else:
        minimum = t(MESSAGES, "x.fee_min", lang, minimum=n(terms.fee_minimum)) if terms.fee_minimum > 0 else ""
        lines.append(t(MESSAGES, "x.fee", lang, rate=pct(terms.fee_rate), minimum=minimum, **v))
    key = "x.net_upfront" if terms.interest_timing == "upfront" else "x.net_arrears"
    lines += [t(MESSAGES, key, lang, **v), t(MESSAGES, "x.reserve", lang, **v)]
    if terms.interest_timing == "arrears":
        lines.append(t(MESSAGES, "x.released", lang, **v))
    lines += [t(MESSAGES, "x.total", lang, **v), t(MESSAGES, "x.eac", lang, **v), t(MESSAGES, "x.check", lang, **v)]
    lines.append(t(MESSAGES, "x.rounding", lang))
    return "\n".join(lines)


def compare(r: QuoteResult, quote_id: int, cfg: QuoteConfig, lang: str) -> tuple[str, dict[str, Any]]:
    """The same deal at advance ±step and other tenors, and a bank loan giving the same usable cash."""
    from dataclasses import replace

    base = r.terms
    step = cfg.compare_advance_step
    variants: list[tuple[Decimal, int]] = []
    for adv in (base.advance_rate - step, base.advance_rate, base.advance_rate + step):
        if Decimal(0) < adv <= Decimal(1):
            variants.append((adv, base.tenor_days))
    for days in cfg.compare_tenors:
        if (base.advance_rate, days) not in variants:
            variants.append((base.advance_rate, days))
    head = t(MESSAGES, "c.head", lang).split("|")
    table: list[list[str]] = [["", *head]]
    rows: list[dict[str, Any]] = []
    for adv, days in variants:
        try:
            alt = price_terms(replace(base, advance_rate=adv, tenor_days=days), bounds_from(cfg))
        except QuoteInputError:
            continue
        mark = "•" if (adv, days) == (base.advance_rate, base.tenor_days) else ""
        label = t(MESSAGES, "c.adv", lang, pct=pct(adv), days=days)
        table.append([mark, label, number(alt.advance, lang, places=0), number(alt.total_cost, lang),
                      percent(alt.effective_annual_cost, lang)])  # fmt: skip
        rows.append({
            "advance_rate": str(adv), "tenor_days": days, "advance": str(alt.advance), "net_at_funding": str(alt.net_at_funding),
            "total_cost": str(alt.total_cost), "effective_annual_cost": str(alt.effective_annual_cost), "current": bool(mark),
        })  # fmt: skip
    usable = r.advance
    bank = bank_loan(usable, base.tenor_days, annual_rate=cfg.bank_loan_rate, deposit_ratio=cfg.bank_deposit_ratio,
                     fee_rate=cfg.bank_fee_rate, basis=base.basis)  # fmt: skip
    table.append(["", t(MESSAGES, "c.bank", lang), number(bank.usable, lang, places=0), number(bank.total_cost, lang),
                  percent(bank.effective_annual_cost, lang)])  # fmt: skip
    widths = [max(_width(row[i]) for row in table) for i in range(5)]
    out = []
    for row in table:
        cells = [row[0].ljust(widths[0]), row[1] + " " * (widths[1] - _width(row[1]))]
        cells += [" " * (widths[i] - _width(row[i])) + row[i] for i in (2, 3, 4)]
        out.append(" ".join(cells).rstrip())
    note = t(
        MESSAGES, "c.bank_note", lang, rate=pct(cfg.bank_loan_rate), deposit=pct(cfg.bank_deposit_ratio),
        fee=pct(cfg.bank_fee_rate), loan=money(bank.loan, base.currency, lang), usable=money(bank.usable, base.currency, lang),
        interest=money(bank.interest, base.currency, lang), bank_fee=money(bank.fee, base.currency, lang),
    )  # fmt: skip
    text = "\n".join([t(MESSAGES, "c.title", lang, id=quote_id), "<pre>" + esc("\n".join(out)) + "</pre>", note,
                      t(MESSAGES, "c.current", lang)])  # fmt: skip
    data = {
        "quote_id": quote_id,
        "rows": rows,
        "bank_loan": {
            "annual_rate": str(cfg.bank_loan_rate), "deposit_ratio": str(cfg.bank_deposit_ratio),
            "fee_rate": str(cfg.bank_fee_rate), "usable": str(bank.usable), "loan": str(bank.loan),
            "deposit": str(bank.deposit), "interest": str(bank.interest), "fee": str(bank.fee),
            "total_cost": str(bank.total_cost), "effective_annual_cost": str(bank.effective_annual_cost),
        },
    }  # fmt: skip
    return text, data
