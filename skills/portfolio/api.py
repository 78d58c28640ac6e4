"""What skills and adapters may use of the portfolio data: ledger import, metrics, credit events, the demo book.

``skills.portfolio`` has no chat skill of its own; the alerts and client skills and the CLI read the ledger
through this module only (``tests/test_architecture.py`` enforces it).
"""

from __future__ import annotations

from skills.fmt import esc
from skills.i18n import t
from skills.portfolio.config import PortfolioConfig, portfolio_config
from skills.portfolio.demo import DEMO_CLIENTS, DemoSummary, ensure_demo, load_demo, reset_demo
from skills.portfolio.flags import FlagError, parse_flag, record_event
from skills.portfolio.importer import ImportPlan, ImportRejected, apply_import, plan_import
from skills.portfolio.messages import MESSAGES
from skills.portfolio.metrics import compute_metrics, to_money
from skills.portfolio.models import EVENT_KINDS, CreditEvent, Debtor, Invoice
from skills.portfolio.parsing import CellError, parse_amount
from skills.portfolio.preview import render_applied, render_preview
from skills.portfolio.types import AGING_BUCKETS, ClientMetrics, CreditEventView, Redated

__all__ = [
    "AGING_BUCKETS",
    "DEMO_CLIENTS",
    "EVENT_KINDS",
    "CellError",
    "ClientMetrics",
    "CreditEvent",
    "CreditEventView",
    "Debtor",
    "DemoSummary",
    "FlagError",
    "ImportPlan",
    "ImportRejected",
    "Invoice",
    "PortfolioConfig",
    "Redated",
    "apply_import",
    "compute_metrics",
    "ensure_demo",
    "flag_error_text",
    "load_demo",
    "parse_amount",
    "parse_flag",
    "plan_import",
    "portfolio_config",
    "record_event",
    "render_applied",
    "render_preview",
    "reset_demo",
    "to_money",
]


def flag_error_text(exc: FlagError, lang: str) -> str | None:
    """Why a ``/flag`` could not be recorded, in the officer's language; None when the usage line says it all."""
    if exc.key == "flag_usage" or exc.key not in MESSAGES:
        return None
    return t(MESSAGES, exc.key, lang, value=esc(exc.value), names=esc(exc.names))
