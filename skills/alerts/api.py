"""What other skills may use of the alerts skill: a client's risk figures and tier, its alerts and
applications, a sweep after new ledger data, and the hooks that let another skill add a section to the
morning brief or the /portfolio view.

Other skills import only this module (``tests/test_architecture.py`` enforces it). The client skill is the
main caller: its profile card, client list and ledger upload build on these.
"""

from __future__ import annotations

from skills.alerts.applications import open_applications
from skills.alerts.brief_sections import BriefBatch, BriefSection, register_section
from skills.alerts.config import AlertsConfig
from skills.alerts.import_applications import new_applications, record_imported_applications
from skills.alerts.messages import MESSAGES
from skills.alerts.models import Alert, PendingImport
from skills.alerts.portfolio_view import register_portfolio_section
from skills.alerts.repository import find_client, get_visible_client, visible_alerts
from skills.alerts.rules import evaluate
from skills.alerts.schedule import local_date
from skills.alerts.service import finding_of, load_metrics, sweep_clients
from skills.alerts.tiering import TierResult, assess
from skills.contract import Button, payload
from skills.fmt import esc
from skills.i18n import t

__all__ = [
    "Alert",
    "AlertsConfig",
    "BriefBatch",
    "BriefSection",
    "PendingImport",
    "TierResult",
    "apply_button",
    "assess",
    "evaluate",
    "find_client",
    "finding_of",
    "get_visible_client",
    "load_metrics",
    "local_date",
    "new_applications",
    "open_applications",
    "record_imported_applications",
    "register_portfolio_section",
    "register_section",
    "sweep_clients",
    "tier_label",
    "visible_alerts",
]


def tier_label(tier: str, lang: str) -> str:
    """A client tier (quality | potential | risk) in the officer's language; an unknown one as stored, escaped."""
    key = f"tier.{tier}"
    return t(MESSAGES, key, lang) if key in MESSAGES else esc(tier)


def apply_button(client_id: int, lang: str) -> Button:
    """The 📝 button that records a financing application for a client (``/apply``), handled by this skill."""
    return Button(t(MESSAGES, "btn.apply", lang), payload("alerts", "apply", client_id))
