"""Client tiering — quality / potential / risk (优质型 / 潜力型 / 风险型). Pure: metrics and findings in.

Rules (thresholds in :class:`~skills.alerts.config.AlertsConfig`):

- **risk**: any red finding, or a bankruptcy rumour on the client or on a core debtor (even when settings
  have turned that event kind down to yellow or off);
- **quality**: DSO known and ≤ ``quality_max_dso``, no invoice overdue more than ``quality_max_overdue_days``,
  utilisation below ``quality_max_utilisation`` (or no limit set), and no credit event on the client or a core debtor;
- **potential**: everything else (the reasons say which quality test failed); a client without enough
  history for the trend rules (``min_history_*``) is potential with the reason "new client — not enough history".

The tier feeds quote defaults and objection concessions (they read ``clients.tier``).

>>> from datetime import date
>>> from decimal import Decimal as D
>>> from skills.alerts.config import AlertsConfig
>>> from skills.portfolio.api import ClientMetrics
>>> m = ClientMetrics(client_id=1, as_of=date(2026, 11, 30), currency="CNY", open_amount=D(100), open_count=1,
...                   aging={"current": D(100)}, overdue_amount=D(0), overdue_count=0, max_days_overdue=0,
...                   dso=D("60"), dso_trailing_avg=D("60"), utilisation=D("0.7999"))
>>> assess(m, [], AlertsConfig()).tier
'quality'

Exactly 80% utilisation is no longer "below 80%":

>>> from dataclasses import replace
>>> r = assess(replace(m, utilisation=D("0.80")), [], AlertsConfig())
>>> r.tier, [c for c, _ in r.reasons]
('potential', ['utilisation'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from skills.alerts.config import AlertsConfig
from skills.alerts.messages import MESSAGES
from skills.alerts.render import pct, rule_label
from skills.alerts.rules import Finding, enough_history, is_core_debtor
from skills.fmt import esc
from skills.i18n import t
from skills.portfolio.api import ClientMetrics

__all__ = ["TIERS", "TierResult", "assess"]

TIERS = ("quality", "potential", "risk")


@dataclass(frozen=True, slots=True)
class TierResult:
    """A tier and why: ``reasons`` are (code, figures) pairs rendered by :meth:`reason_text`."""

    tier: str
    reasons: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def reason_text(self, lang: str) -> str:
        """The reasons in the officer's language, joined into one line."""
        parts: list[str] = []
        for code, figures in self.reasons:
            if code == "red":
                parts.append(t(MESSAGES, "reason.red", lang, label=rule_label(figures["rule"], lang)))
            elif code == "bankruptcy":
                parts.append(t(MESSAGES, "reason.bankruptcy", lang, name=esc(figures["name"])))
            elif code == "quality":
                util = pct(figures["util"], lang) if figures.get("util") else "—"
                parts.append(t(MESSAGES, "reason.quality", lang, dso=figures["dso"], days=figures["days"], util=util))
            elif code == "no_dso":
                parts.append(t(MESSAGES, "reason.no_dso", lang))
            elif code == "dso":
                parts.append(t(MESSAGES, "reason.dso", lang, dso=figures["dso"], max=figures["max"]))
            elif code == "overdue":
                parts.append(t(MESSAGES, "reason.overdue", lang, days=figures["days"], max=figures["max"]))
            elif code == "utilisation":
                parts.append(
                    t(
                        MESSAGES,
                        "reason.utilisation",
                        lang,
                        util=pct(figures["util"], lang),
                        max=pct(figures["max"], lang),
                    )
                )
            elif code == "new_client":
                parts.append(t(MESSAGES, "reason.new_client", lang, **figures))
            elif code == "events":
                parts.append(t(MESSAGES, "reason.events", lang, n=figures["n"]))
        return t(MESSAGES, "reason.join", lang).join(parts)


def assess(metrics: ClientMetrics, findings: list[Finding], config: AlertsConfig) -> TierResult:
    """The client's tier from its metrics and its current findings (see the module docstring)."""
    risk: list[tuple[str, dict[str, str]]] = []
    seen_rules: set[str] = set()
    for f in findings:
        if f.severity == "red" and f.rule not in seen_rules:
            seen_rules.add(f.rule)
            risk.append(("red", {"rule": f.rule}))
    relevant = [e for e in metrics.events if e.subject == "client" or is_core_debtor(metrics, e.debtor_id, config)]
    for e in relevant:
        if e.kind == "bankruptcy_rumour":
            risk.append(("bankruptcy", {"name": e.subject_name}))
    if risk:
        return TierResult("risk", risk)

    missing: list[tuple[str, dict[str, str]]] = []
    h = metrics.history
    if h is not None and not enough_history(metrics, config):
        missing.append(
            ("new_client", {"months": str(h.months), "invoices": str(h.invoices), "collections": str(h.collections)})
        )
        if relevant:
            missing.append(("events", {"n": str(len(relevant))}))
        return TierResult("potential", missing)
    dso = metrics.dso
    if dso is None:
        missing.append(("no_dso", {}))
    elif dso > config.quality_max_dso:
        missing.append(
            ("dso", {"dso": str(dso.quantize(Decimal(1), rounding=ROUND_HALF_UP)), "max": str(config.quality_max_dso)})
        )
    if metrics.max_days_overdue > config.quality_max_overdue_days:
        missing.append(
            ("overdue", {"days": str(metrics.max_days_overdue), "max": str(config.quality_max_overdue_days)})
        )
    if metrics.utilisation is not None and metrics.utilisation >= config.quality_max_utilisation:
        missing.append(("utilisation", {"util": str(metrics.utilisation), "max": str(config.quality_max_utilisation)}))
    if relevant:
        missing.append(("events", {"n": str(len(relevant))}))
    if missing:
        return TierResult("potential", missing)
    assert dso is not None
    util = str(metrics.utilisation) if metrics.utilisation is not None else ""
    return TierResult(
        "quality",
        [
            (
                "quality",
                {
                    "dso": str(dso.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
                    "days": str(config.quality_max_overdue_days),
                    "util": util,
                },
            )
        ],
    )
