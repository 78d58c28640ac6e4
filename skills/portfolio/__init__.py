"""Portfolio data shared by the alerts and client skills: debtors, invoices, events, import, metrics.

Part B (``skills.alerts``, ``skills.client``) calls these; this package has no chat skill of its own.
"""

from skills.portfolio.config import PortfolioConfig, portfolio_config
from skills.portfolio.demo import DemoSummary, ensure_demo, load_demo
from skills.portfolio.flags import FlagError, parse_flag, parse_kind, record_event, resolve_subject
from skills.portfolio.importer import ImportPlan, ImportRejected, apply_import, plan_import
from skills.portfolio.metrics import compute_metrics
from skills.portfolio.models import EVENT_KINDS, CreditEvent, Debtor, Invoice
from skills.portfolio.preview import render_applied, render_issue, render_preview
from skills.portfolio.repository import visible_client_ids, visible_debtors
from skills.portfolio.types import AGING_BUCKETS, ClientMetrics, CreditEventView, DebtorExposure

__all__ = [
    "AGING_BUCKETS",
    "EVENT_KINDS",
    "ClientMetrics",
    "CreditEvent",
    "CreditEventView",
    "Debtor",
    "DebtorExposure",
    "DemoSummary",
    "FlagError",
    "ImportPlan",
    "ImportRejected",
    "Invoice",
    "PortfolioConfig",
    "apply_import",
    "compute_metrics",
    "ensure_demo",
    "load_demo",
    "parse_flag",
    "parse_kind",
    "plan_import",
    "portfolio_config",
    "record_event",
    "render_applied",
    "render_issue",
    "render_preview",
    "resolve_subject",
    "visible_client_ids",
    "visible_debtors",
]
