"""/portfolio for managers and admins: exposure by debtor across clients, alerts by officer and tier, movers."""

from __future__ import annotations

from sqlalchemy import update

from skills.store.models import Client
from skills.store.session import unit_of_work
from tests.conftest import ADMIN_ID, OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import add_invoice, ensure_officer, seed

MANAGER_ID = 4004


async def test_manager_sees_the_team_book_with_a_chart_and_officers_are_refused(harness: ConsoleHarness) -> None:
    h = harness
    await ensure_officer(h, MANAGER_ID, name="Mia", role="manager", language="en")
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await ensure_officer(h, OFFICER_ID, manager_id=MANAGER_ID)  # Olivia is in Mia's team; Oscar is not
    await ensure_officer(h, ADMIN_ID, name="Ada", role="admin", language="zh")
    async with unit_of_work(h.runtime.services.sessionmaker) as s:  # Zenith also sells to Buyer 1
        await s.execute(update(Client).where(Client.id == sc.zenith).values(officer_id=OFFICER_ID))
    await add_invoice(h, sc.zenith, sc.debtors[0], "Z-9", "100000.00")
    await h.tick()

    out = await h.send("/portfolio", user=MANAGER_ID)
    reply = out.replies[0]
    assert (out.skill, reply.intent) == ("alerts", "portfolio")
    rows = {r["debtor"]: r for r in reply.data["exposure"]}
    assert [r["debtor"] for r in reply.data["exposure"][:2]] == ["Zed Retail", "Buyer 1"]  # largest first
    assert (rows["Buyer 1"]["open"], rows["Buyer 1"]["clients"]) == ("241666.67", 2)  # 141,666.67 + 100,000
    assert reply.data["total_open"] == "1350000.00"  # Acme 850,000 + Zenith 400,000 + 100,000
    olivia = (await h.send("/alerts", user=OFFICER_ID)).replies[0].data
    assert reply.data["by_officer"] == {"Olivia": {"red": olivia["red"], "yellow": olivia["yellow"]}}  # Oscar: not team
    assert sum(c.get("red", 0) for c in reply.data["by_tier"].values()) == olivia["red"] >= 3
    assert {m["client"] for m in reply.data["movers"]} == {"Zenith Foods"}
    assert reply.image is not None and reply.image.startswith(b"\x89PNG") and reply.data["chart_png_bytes"] > 0
    assert "2. Buyer 1: CN¥241,666.67 (17.9%, 2 client(s))" in reply.text

    zh = await h.send("/portfolio", user=ADMIN_ID)
    assert zh.replies[0].text.startswith("📊 <b>业务组合</b>——未回款应收账款 ¥1,350,000.00")
    assert "<b>按买方汇总的敞口（全部客户）</b>" in zh.replies[0].text

    refused = await h.send("/portfolio", user=OTHER_OFFICER_ID)
    assert refused.intent == "forbidden" and "exposure" not in refused.replies[0].data
