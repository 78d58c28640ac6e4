"""Client feedback in the morning brief and in the manager's /portfolio view.

The alerts skill builds both from registered sections; this module registers the client's voice: what clients
said since the last brief (with a 🟡 when satisfaction falls), and, for managers, the clients whose
satisfaction is falling across the team.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from skills.alerts.api import BriefBatch, BriefSection, register_portfolio_section, register_section
from skills.client.feedback.api import FeedbackItem, recent_feedback
from skills.client.feedback.messages import MESSAGES
from skills.contract import Request
from skills.fmt import esc
from skills.i18n import t

__all__ = ["brief_feedback", "portfolio_feedback"]

# How far back the manager's view looks for falling satisfaction (the portfolio view's "this week" and more).
_PORTFOLIO_DAYS = 30


def _line(item: FeedbackItem, lang: str) -> str:
    score = f"{item.score}/5" if item.score is not None else t(MESSAGES, "no_score", lang)
    falling = " 🟡" if item.satisfaction.falling else ""
    said = item.remarks.removeprefix(score).strip() if item.score is not None else item.remarks
    remarks = f" — {esc(said[:80])}" if said else ""
    return f"{esc(item.client_name)}: {score}{falling}{remarks}"


async def brief_feedback(batch: BriefBatch) -> dict[int, BriefSection]:
    """Per officer: feedback on the clients they see, recorded since their last brief, newest first."""
    items = await recent_feedback(batch.session, None, batch.earliest_since, limit=2000)
    out: dict[int, BriefSection] = {}
    n = batch.config.alerts.brief_items
    for o in batch.officers:
        mine = [i for i in items if o.sees(i.officer_id) and i.created_at > o.since]
        if mine:
            lines = [_line(i, o.lang) for i in mine]
            data = [i.as_dict() for i in mine]
            out[o.id] = BriefSection(t(MESSAGES, "brief.title", o.lang), lines[:n], max(0, len(lines) - n), data)
    return out


async def portfolio_feedback(request: Request, visible: tuple[int, ...] | None) -> tuple[list[str], dict[str, Any]]:
    """Clients in view whose satisfaction is falling (latest feedback in the last 30 days)."""
    items = await recent_feedback(request.db, visible, request.now - timedelta(days=_PORTFOLIO_DAYS), limit=500)
    latest: dict[int, FeedbackItem] = {}
    for item in items:  # newest first: keep each client's latest
        latest.setdefault(item.client_id, item)
    falling = [i for i in latest.values() if i.satisfaction.falling]
    lang = request.lang
    lines = [f"\n<b>{t(MESSAGES, 'pf.title', lang)}</b>"]
    lines += [f"• {_line(i, lang)}" for i in falling] or [t(MESSAGES, "pf.none", lang)]
    return lines, {"satisfaction_falling": [i.as_dict() for i in falling], "feedback_clients": len(latest)}


register_section("feedback", brief_feedback, order=60)
register_portfolio_section("feedback", portfolio_feedback)
