"""/objections as a month report: top objections with the trend, by tier and industry, per officer, which
cards and angles worked, a chart; officers see their own, managers their team, admins everyone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skills.objection.cards import CATEGORY
from skills.objection.models import CardOutcome, ObjectionLog
from skills.store.models import Client, Officer
from tests.conftest import ADMIN_ID, OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness

pytestmark = pytest.mark.asyncio

MANAGER_ID = 4004
OUTSIDER_ID = 5005
NOV = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 20, 3, 0, tzinfo=UTC)


async def seed(h: ConsoleHarness) -> dict[str, int]:
    """Mia manages Olga and Oscar; Otto is in no team. October and November objections, November taps."""
    async with h.runtime.services.sessionmaker() as s:
        s.add(Officer(id=MANAGER_ID, name="Mia", role="manager", active=True, created_at=OCT))
        await s.flush()
        s.add_all([
            Officer(id=OFFICER_ID, name="Olga", role="officer", manager_id=MANAGER_ID, active=True, created_at=OCT),
            Officer(id=OTHER_OFFICER_ID, name="Oscar", role="officer", manager_id=MANAGER_ID, active=True,
                    created_at=OCT),
            Officer(id=OUTSIDER_ID, name="Otto", role="officer", active=True, created_at=OCT),
        ])  # fmt: skip
        await s.flush()
        risky = Client(name="Risky Textiles", officer_id=OFFICER_ID, tier="risk", industry="textiles", created_at=OCT)
        good = Client(name="Golden Foods", officer_id=OTHER_OFFICER_ID, tier="quality", industry="food", created_at=OCT)
        far = Client(name="Far Away", officer_id=OUTSIDER_ID, tier="potential", industry="retail", created_at=OCT)
        s.add_all([risky, good, far])
        await s.flush()

        def log(officer: int, client: Client, card: str, when: datetime, n: int) -> None:
            for _ in range(n):
                s.add(ObjectionLog(officer_id=officer, client_id=client.id, objection_id=card,
                                   category=CATEGORY[card], text="", lang="en", alternatives=[], created_at=when,
                                   logged_at=when))  # fmt: skip

        log(OFFICER_ID, risky, "obj.rate-too-high", NOV, 3)
        log(OFFICER_ID, risky, "obj.deposit-margin", NOV, 1)
        log(OTHER_OFFICER_ID, good, "obj.rate-too-high", NOV, 1)
        log(OTHER_OFFICER_ID, good, "obj.paperwork", NOV, 2)
        log(OUTSIDER_ID, far, "obj.approval-slow", NOV, 5)
        log(OFFICER_ID, risky, "obj.rate-too-high", OCT, 1)
        log(OTHER_OFFICER_ID, good, "obj.paperwork", OCT, 4)

        def tap(officer: int, client: Client, angle: str, verdict: str, n: int) -> None:
            for _ in range(n):
                s.add(CardOutcome(officer_id=officer, team_key=MANAGER_ID, client_id=client.id, tier=client.tier,
                                  industry=client.industry, card_id="obj.rate-too-high", angle=angle, verdict=verdict,
                                  remark="", log_id=None, lang="en", created_at=NOV, updated_at=NOV))  # fmt: skip

        tap(OFFICER_ID, risky, "a", "failed", 3)
        tap(OFFICER_ID, risky, "b", "worked", 2)
        await s.commit()
        return {"risky": risky.id, "good": good.id}


async def test_a_manager_sees_the_team_month_with_trend_tiers_outcomes_and_a_chart(
    any_db_harness: ConsoleHarness,
) -> None:
    harness = any_db_harness  # SQLite and PostgreSQL
    await seed(harness)
    harness.clock.set(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    out = (await harness.send("/objections", user=MANAGER_ID)).as_json()
    data = out["data"]
    assert out["skill"] == "objection" and data["scope"] == "team" and data["month"] == "2026-11"
    assert data["top"][0] == {"objection_id": "obj.rate-too-high", "count": 4}
    assert {"objection_id": "obj.approval-slow", "count": 5} not in data["top"]  # Otto is not in the team
    trend = {x["objection_id"]: x["delta"] for x in data["trend"]}
    assert trend == {"obj.rate-too-high": 3, "obj.paperwork": -2, "obj.deposit-margin": 1}
    assert (data["total"], data["previous_total"]) == (7, 5)
    assert data["by_tier"]["risk"][0] == {"objection_id": "obj.rate-too-high", "count": 3}
    assert data["by_industry"]["food"][0] == {"objection_id": "obj.paperwork", "count": 2}
    assert data["by_officer"] == {str(OFFICER_ID): 4, str(OTHER_OFFICER_ID): 3}
    assert data["angles"][0] == {"card_id": "obj.rate-too-high", "angle": "a", "worked": 0, "failed": 3, "rate": 0.0}
    assert data["best_by_tier"] == {"risk": {"obj.rate-too-high": "b"}}
    reply = harness.reply()
    assert reply.image is not None and reply.image.startswith(b"\x89PNG")
    assert "Your rate is too high — 4 (↑3)" in reply.text and "Olga 4" in reply.text
    assert "works best with the other angle" in reply.text


async def test_an_officer_sees_only_their_own_and_an_admin_everyone(harness: ConsoleHarness) -> None:
    await seed(harness)
    harness.clock.set(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    mine = (await harness.send("/objections", user=OTHER_OFFICER_ID)).as_json()["data"]
    assert mine["scope"] == "me" and mine["total"] == 3 and mine["angles"] == []
    everyone = (await harness.send("/objections", user=ADMIN_ID)).as_json()["data"]
    assert everyone["scope"] == "all" and everyone["total"] == 12
    assert everyone["top"][0] == {"objection_id": "obj.approval-slow", "count": 5}
    narrowed = (await harness.send("/objections me", user=MANAGER_ID)).as_json()["data"]
    assert narrowed["scope"] == "me" and narrowed["total"] == 0


async def test_last_month_and_chinese(harness: ConsoleHarness) -> None:
    await seed(harness)
    harness.clock.set(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    last = (await harness.send("/objections last", user=MANAGER_ID)).as_json()["data"]
    assert last["month"] == "2026-10" and last["top"][0] == {"objection_id": "obj.paperwork", "count": 4}
    named = (await harness.send("/objections 2026-10", user=MANAGER_ID)).as_json()["data"]
    assert named["top"] == last["top"]
    zh = await harness.send("/objections", user=MANAGER_ID, lang="zh")
    text = zh.replies[0].text
    assert "异议报告" in text and "按客户分层" in text and "风险型" in text and "哪些话术有效" in text
    bad = (await harness.send("/objections yesterday", user=MANAGER_ID)).as_json()
    assert bad["data"].get("error") is True and "/objections" in bad["text"]
