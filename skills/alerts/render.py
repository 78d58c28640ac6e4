"""Bilingual rendering of findings: ``🟥 Acme Trading: DSO 96 days, up from 58`` / ``🟥 Acme Trading：回款周期 96 天，此前为 58 天``."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from skills.alerts.messages import MESSAGES
from skills.fmt import esc, money
from skills.i18n import t

__all__ = ["EMOJI", "Renderable", "finding_line", "finding_text", "kind_label", "pct", "rule_label"]


class Renderable(Protocol):
    """What rendering needs of a finding (:class:`skills.alerts.rules.Finding` has it): the renderer depends
    on this shape, not on the rules module, so rules → render is the only direction between them."""

    @property
    def rule(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def figures(self) -> Mapping[str, str]: ...

EMOJI = {"red": "🟥", "yellow": "🟨"}


def pct(share: str | Decimal, lang: str = "en") -> str:
    """A fraction as a percentage, whole when it is whole: ``0.35`` → ``35%``, ``0.125`` → ``12.5%``.

    >>> pct("0.35"), pct("0.1250"), pct(Decimal("1.0317"))
    ('35%', '12.5%', '103.2%')
    """
    value = (Decimal(share) * 100).quantize(Decimal("0.1"))
    places = 0 if value == value.to_integral_value() else 1
    return f"{value:,.{places}f}%"  # en and zh group and point alike; Babel is slow in a 1,000-client sweep


def kind_label(kind: str, lang: str) -> str:
    """A credit-event kind in words (``lawsuit`` → ``诉讼``); unknown kinds as they are."""
    key = f"kind.{kind}"
    return t(MESSAGES, key, lang) if key in MESSAGES else kind.replace("_", " ")


def rule_label(rule: str, lang: str) -> str:
    """A rule id in words (``dso`` → ``collection period (DSO)``)."""
    return t(MESSAGES, f"label.{rule}", lang)


def _money(figures: Mapping[str, str], key: str, lang: str) -> str:
    return money(Decimal(figures[key]), figures.get("currency", "CNY"), lang)


def finding_line(f: Renderable, lang: str) -> str:
    """The condition in words, without the client name (HTML-escaped)."""
    g = f.figures
    if f.rule == "dso":
        if "avg" in g and Decimal(g.get("rise", "0")) > 0:
            return t(MESSAGES, "rule.dso.rise", lang, dso=g["dso"], avg=g["avg"])
        return t(MESSAGES, "rule.dso.absolute", lang, dso=g["dso"], limit=g["limit"])
    if f.rule == "turnover":
        return t(MESSAGES, "rule.turnover", lang, drop=pct(g["drop"], lang), prev=g["prev"], turnover=g["turnover"])
    if f.rule == "aging":
        return t(
            MESSAGES,
            "rule.aging",
            lang,
            share=pct(g["share"], lang),
            amount=_money(g, "amount", lang),
            limit=pct(g["limit"], lang),
        )
    if f.rule == "concentration":
        return t(
            MESSAGES,
            "rule.concentration",
            lang,
            debtor=esc(g["debtor"]),
            share=pct(g["share"], lang),
            limit=pct(g["limit"], lang),
        )
    if f.rule == "overdue":
        return t(MESSAGES, "rule.overdue", lang, days=g["days"], count=g["count"], amount=_money(g, "amount", lang))
    if f.rule == "utilisation":
        if "limit" in g:
            return t(
                MESSAGES,
                "rule.utilisation",
                lang,
                utilisation=pct(g["utilisation"], lang),
                open=_money(g, "open", lang),
                limit=_money(g, "limit", lang),
            )
        return t(MESSAGES, "rule.utilisation.nolimit", lang, utilisation=pct(g["utilisation"], lang))
    if f.rule == "spike":
        return t(
            MESSAGES,
            "rule.spike",
            lang,
            ratio=g["ratio"],
            sales=_money(g, "sales", lang),
            normal=_money(g, "normal", lang),
        )
    if f.rule == "exposure":
        return t(
            MESSAGES,
            "rule.exposure",
            lang,
            debtor=esc(g["debtor"]),
            share=pct(g["share"], lang),
            amount=_money(g, "amount", lang),
            clients=g["clients"],
        )
    if f.rule == "duplicate":
        key = "rule.duplicate.number" if g["why"] == "number" else "rule.duplicate.terms"
        return t(MESSAGES, key, lang, count=g["count"], number=esc(g["number"]), other=esc(g["other"]))
    if f.rule in ("dilution", "misdirected", "redated"):
        return _ledger_line(f, lang)
    if f.rule == "event":
        note = t(MESSAGES, "note", lang, note=esc(g["note"])) if g.get("note") else ""
        key = "rule.event.client" if g.get("subject") == "client" else "rule.event.debtor"
        return t(
            MESSAGES, key, lang, kind=kind_label(g["kind"], lang), on=g["on"], name=esc(g.get("name", "")), note=note
        )
    return esc(f.rule)


def _ledger_line(f: Renderable, lang: str) -> str:
    g = f.figures
    if f.rule == "dilution":
        key = "rule.dilution.trend" if "prev" in g else "rule.dilution"
        return t(
            MESSAGES,
            key,
            lang,
            rate=pct(g["rate"], lang),
            credited=_money(g, "credited", lang),
            invoiced=_money(g, "invoiced", lang),
            days=g["days"],
            prev=pct(g.get("prev", "0"), lang),
        )
    if f.rule == "misdirected":
        more = t(MESSAGES, "more", lang, n=g["more"]) if g.get("more", "0") != "0" else ""
        return t(
            MESSAGES,
            "rule.misdirected",
            lang,
            count=g["count"],
            amount=_money(g, "amount", lang),
            numbers=esc(g["numbers"]) + more,
            days=g["days"],
        )
    return t(
        MESSAGES,
        "rule.redated",
        lang,
        count=g["count"],
        number=esc(g["number"]),
        original_issue=g["original_issue"],
        issue=g["issue"],
        original_due=g["original_due"],
        due=g["due"],
        cutoff=g["cutoff"],
    )


def finding_text(f: Renderable, lang: str, client_name: str) -> str:
    """The card line: severity square, client name, the condition with its figures."""
    return f"{EMOJI[f.severity]} {esc(client_name)}{t(MESSAGES, 'sep', lang)}{finding_line(f, lang)}"
