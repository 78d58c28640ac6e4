"""Client feedback reaches the morning brief and the manager's /portfolio view (sections the client skill adds)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import ADMIN_ID, OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import ensure_officer
from tests.skills.alerts.test_brief import _content, at, h  # noqa: F401  (the brief's fixture and seed)


async def test_feedback_since_the_last_brief_is_in_the_brief_with_a_falling_signal(h: ConsoleHarness) -> None:  # noqa: F811
    await _content(h)
    h.clock.set(at(date(2026, 11, 27), 10))
    await h.send("/feedback Acme 5/5 fast funding", user=OFFICER_ID)
    h.clock.set(at(date(2026, 11, 30), 7))
    await h.send("/feedback Acme 2/5 fees too high now", user=OFFICER_ID)

    reply = (await h.send("/brief", user=OFFICER_ID)).replies[0]
    assert "feedback" in reply.data["sections"]
    assert "<b>What clients said</b>" in reply.text
    assert "• Acme Trading: 2/5 🟡 — fees too high now" in reply.text.splitlines()

    await ensure_officer(h, OFFICER_ID, language="zh")
    zh = (await h.send("/brief", user=OFFICER_ID)).replies[0]
    assert "<b>客户反馈</b>" in zh.text


async def test_portfolio_lists_clients_whose_satisfaction_falls(h: ConsoleHarness) -> None:  # noqa: F811
    await _content(h)
    h.clock.set(at(date(2026, 11, 30), 7) - timedelta(days=3))
    await h.send("/feedback Acme 5/5", user=OFFICER_ID)
    h.clock.set(at(date(2026, 11, 30), 7))
    await h.send("/feedback Acme 2/5 slow payouts", user=OFFICER_ID)

    out = await h.send("/portfolio", user=ADMIN_ID)
    reply = out.replies[0]
    assert "Client satisfaction falling (last 30 days)" in reply.text
    assert [f["client"] for f in reply.data["satisfaction_falling"]] == ["Acme Trading"]
