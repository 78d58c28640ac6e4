"""Alerts through the real router and dispatcher: pushes once, again only when worse, buttons, access, /flag."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from skills.alerts.models import Alert
from skills.alerts.service import sweep
from skills.portfolio.models import Debtor
from skills.store.models import Client, OutboxMessage
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, STRANGER_ID
from tests.fixtures.harness import ConsoleHarness, RecordingTransport
from tests.skills.alerts.data import add_invoice, ensure_officer, pay_all, seed, set_core

MANAGER_ID = 4004
UTIL_85 = "🟨 Acme Trading: limit utilisation 85% (CN¥850,000.00 of CN¥1,000,000.00)"


async def _acme(h: ConsoleHarness) -> int:
    async with h.runtime.services.sessionmaker() as s:
        return int(await s.scalar(select(Client.id).where(Client.name == "Acme Trading")) or 0)


async def _debtor(h: ConsoleHarness, name: str) -> int:
    async with h.runtime.services.sessionmaker() as s:
        return int(await s.scalar(select(Debtor.id).where(Debtor.name == name)) or 0)


def texts(h: ConsoleHarness, chat_id: int) -> list[str]:
    return [text for chat, text, _, _ in h.transport.pushes if chat == chat_id]


def payloads(h: ConsoleHarness, chat_id: int, index: int = -1) -> list[str]:
    pushes = [p for p in h.transport.pushes if p[0] == chat_id]
    return [b.payload for row in pushes[index][2] for b in row]


async def test_alert_is_pushed_once_again_only_when_worse_and_resolves_when_cleared(
    any_db_harness: ConsoleHarness,
) -> None:
    h = any_db_harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    assert texts(h, OFFICER_ID) == [UTIL_85]
    assert all("Zenith" not in text for text in texts(h, OFFICER_ID))

    h.clock.advance(minutes=16)
    await h.tick()
    assert texts(h, OFFICER_ID) == [UTIL_85]  # same condition: no second push

    await add_invoice(h, sc.acme, sc.debtors[0], "A-7", "200000.00")  # utilisation 105%, Buyer 1 now 32.5%
    h.clock.advance(minutes=16)
    await h.tick()
    assert texts(h, OFFICER_ID)[1:] == [
        "Tier change: <b>Acme Trading</b> is now <b>risk</b> (was potential). Why: red card on limit utilisation",
        "🟥 Acme Trading: limit utilisation 105% (CN¥1,050,000.00 of CN¥1,000,000.00)\n<i>Risk alert — worse than before</i>",
        "🟨 Acme Trading: largest debtor Buyer 1 holds 32.5% of open receivables (limit 20%)",
    ]
    h.clock.advance(minutes=16)
    await h.tick()
    assert len(texts(h, OFFICER_ID)) == 4

    await pay_all(h, sc.acme, datetime(2026, 11, 30, tzinfo=UTC).date())
    h.clock.advance(minutes=16)
    await h.tick()
    assert texts(h, OFFICER_ID)[4:] == [  # both alerts resolve silently; the tier change is news
        "Tier change: <b>Acme Trading</b> is now <b>quality</b> (was risk). "
        "Why: DSO 0 days, nothing overdue beyond 30 days, utilisation 0%, no credit events"
    ]
    outcome = await h.send("/alerts Acme", user=OFFICER_ID)
    assert outcome.skill == "alerts"
    assert outcome.replies[0].data["alerts"] == []
    async with h.runtime.services.sessionmaker() as s:
        states = (await s.scalars(select(Alert.state).where(Alert.client_id == sc.acme))).all()
    assert sorted(states) == ["resolved", "resolved"]


async def test_buttons_acknowledge_snooze_remind_and_profile(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    ack, remind, snooze_day, snooze_week, profile = payloads(h, OFFICER_ID)
    assert (snooze_week.endswith(":1w"), profile) == (True, f"client:show:{sc.acme}")

    out = await h.press(ack, user=OFFICER_ID)
    assert out.replies[0].text == f"✅ Acknowledged: {UTIL_85}"
    listing = await h.send("/alerts", user=OFFICER_ID)
    assert "(acknowledged)" in listing.replies[0].text
    assert [a["state"] for a in listing.replies[0].data["alerts"]] == ["acknowledged"]

    out = await h.press(snooze_day, user=OFFICER_ID)
    assert out.replies[0].text.startswith("💤 Snoozed until Tue 1 Dec 2026, 09:00: 🟨 Acme Trading")
    listing = await h.send("/alerts", user=OFFICER_ID)
    assert listing.replies[0].data["alerts"] == [] and listing.replies[0].data["snoozed"] == 1
    assert "1 snoozed" in listing.replies[0].text

    h.clock.advance(days=1, minutes=1)
    await h.tick()
    later = texts(h, OFFICER_ID)[1:]  # the snooze is over: the card comes back (in a digest: 4 pushes this sweep)
    assert any(UTIL_85 in text for text in later), later
    listing = await h.send("/alerts", user=OFFICER_ID)
    util = [a for a in listing.replies[0].data["alerts"] if a["rule"] == "utilisation"]
    assert [a["state"] for a in util] == ["open"]

    out = await h.press(remind, user=OFFICER_ID)
    assert out.replies[0].data["due_at"] == "2026-12-02T01:00:00+00:00"  # tomorrow 09:00 Shanghai
    assert out.replies[0].data["reminder_id"]
    assert out.replies[0].text.startswith("⏰ I'll remind you Wed 2 Dec 2026, 09:00: Follow up on Acme Trading")

    out = await h.press(profile, user=OFFICER_ID)
    assert out.skill == "client"
    assert out.replies[0].image is not None and out.replies[0].image.startswith(b"\x89PNG")
    assert out.replies[0].data["tier"]["tier"] == "risk"  # turnover halved month over month by now


async def test_chinese_push_and_list(harness: ConsoleHarness) -> None:
    h = harness
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await ensure_officer(h, OFFICER_ID, language="zh")
    await h.tick()
    assert texts(h, OFFICER_ID) == ["🟨 Acme Trading：额度使用率 85%（已用 ¥850,000.00 / 额度 ¥1,000,000.00）"]
    labels = [b.label for row in h.transport.pushes[0][2] for b in row]
    assert labels[0] == "✅ 已知悉" and "👤 客户画像" in labels
    out = await h.send("今天有什么风险预警", user=OFFICER_ID)
    assert out.skill == "alerts"
    assert out.replies[0].text.startswith("<b>未解除的风险预警</b>（红牌 0 · 黄牌 1）")


async def test_another_officer_and_strangers_never_see_these_clients(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    acme_ack = payloads(h, OFFICER_ID)[0]

    out = await h.press(acme_ack, user=OTHER_OFFICER_ID)
    assert out.replies[0].data.get("refused") is True
    assert "isn't one of yours" in out.replies[0].text
    for forged in (f"client:show:{sc.acme}", f"alerts:list:{sc.acme}", "alerts:snooze:1:1w", "alerts:remind:1"):
        out = await h.press(forged, user=OTHER_OFFICER_ID)
        assert out.replies[0].data.get("error") is True, forged
        assert "Acme" not in out.replies[0].text

    other = await h.send("/alerts", user=OTHER_OFFICER_ID)
    assert {a["client"] for a in other.replies[0].data["alerts"]} == {"Zenith Foods"}
    mine = await h.send("/alerts", user=OFFICER_ID)
    assert {a["client"] for a in mine.replies[0].data["alerts"]} == {"Acme Trading"}
    lookup = await h.send("/client Acme", user=OTHER_OFFICER_ID)
    assert [c["name"] for c in lookup.replies[0].data["clients"]] == ["Zenith Foods"]
    assert "Acme" not in "".join(p[1] for p in h.transport.pushes if p[0] == OTHER_OFFICER_ID)

    stranger = await h.send("/alerts", user=STRANGER_ID)
    assert stranger.skill == "access" and stranger.replies[0].data["refused"] is True
    stranger = await h.press(acme_ack, user=STRANGER_ID)
    assert stranger.skill == "access"


async def test_red_alerts_also_reach_the_manager(harness: ConsoleHarness) -> None:
    h = harness
    await ensure_officer(h, MANAGER_ID, name="Mia", role="manager")
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await ensure_officer(h, OTHER_OFFICER_ID, manager_id=MANAGER_ID)
    await ensure_officer(h, OFFICER_ID, manager_id=MANAGER_ID)
    await h.tick()
    # First sight of Zenith's three reds: one digest each for the officer and the manager, not six pushes.
    manager = texts(h, MANAGER_ID)
    assert len(manager) == 1 and manager[0].startswith("📋 <b>Risk digest</b>: 3 red · 0 yellow on 1 client(s)")
    assert "🟥 Zenith Foods" in manager[0]
    assert len(texts(h, OTHER_OFFICER_ID)) == 1
    team = await h.send("/alerts", user=MANAGER_ID)
    assert {a["client"] for a in team.replies[0].data["alerts"]} == {"Zenith Foods", "Acme Trading"}

    sc = await _acme(h)
    await add_invoice(h, sc, (await _debtor(h, "Buyer 1")), "A-7", "200000.00")  # utilisation 105%: worse, red
    h.clock.advance(minutes=16)
    await h.tick()
    assert texts(h, MANAGER_ID)[1:] == [
        "🟥 Acme Trading: limit utilisation 105% (CN¥1,050,000.00 of CN¥1,000,000.00)\n"
        "<i>Risk alert — worse than before</i>\n(team: Olivia)"
    ]


async def test_quiet_hours_hold_yellow_until_morning_but_red_goes_through(harness: ConsoleHarness) -> None:
    h = harness
    h.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await ensure_officer(h, OFFICER_ID, quiet_start="22:00", quiet_end="08:00")
    await ensure_officer(h, OTHER_OFFICER_ID, quiet_start="22:00", quiet_end="08:00")
    await h.tick()
    assert texts(h, OFFICER_ID) == []  # yellow waits
    assert len(texts(h, OTHER_OFFICER_ID)) == 1  # the digest of three reds overrides quiet hours
    async with h.runtime.services.sessionmaker() as s:
        due = await s.scalar(select(OutboxMessage.due_at).where(OutboxMessage.chat_id == OFFICER_ID))
    assert due == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 08:00 local
    h.clock.set(datetime(2026, 12, 1, 0, 1, tzinfo=UTC))
    await h.tick()
    assert texts(h, OFFICER_ID)[0] == UTIL_85  # the held push goes first, at 08:00


async def test_flag_on_a_core_debtor_makes_a_red_card_and_a_tier_change(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()  # first assessment: tier stored without a push

    out = await h.send("/flag Buyer 2 bankruptcy rumour heard from two suppliers", user=OFFICER_ID)
    assert out.skill == "alerts" and out.replies[0].data["findings"] == []  # Buyer 2 holds 16.7%: not core
    assert "No new alerts" in out.replies[0].text

    await set_core(h, sc.debtors[0])
    out = await h.send("/flag Buyer 1 bankruptcy rumour heard from two suppliers", user=OFFICER_ID)
    reply = out.replies[0]
    assert reply.data["client_ids"] == [sc.acme]
    assert [f["severity"] for f in reply.data["findings"]] == ["red"]
    assert (
        "🟥 Acme Trading: core debtor Buyer 1: bankruptcy rumour (2026-11-30) — heard from two suppliers" in reply.text
    )
    await h.tick()
    pushed = texts(h, OFFICER_ID)
    assert "🟥 Acme Trading: core debtor Buyer 1: bankruptcy rumour (2026-11-30) — heard from two suppliers" in pushed
    tier_push = [t for t in pushed if t.startswith("Tier change")]
    assert tier_push == [
        "Tier change: <b>Acme Trading</b> is now <b>risk</b> (was potential). "
        "Why: red card on credit event; bankruptcy rumour on Buyer 1"
    ]

    bad = await h.send("/flag Nobody Inc lawsuit", user=OFFICER_ID)
    assert bad.replies[0].data.get("error") is True and "Usage: /flag" in bad.replies[0].text


@pytest.mark.parametrize(
    ("text", "skill", "about_acme"),
    [
        ("any red flags on Acme?", "alerts", True),
        ("show my risk alerts", "alerts", False),
        ("今天有什么风险预警", "alerts", False),
        ("Acme有什么风险", "alerts", True),
        ("有没有红牌", "alerts", False),
        ("show me Acme", "client", True),
        ("查看Acme的客户画像", "client", True),
        ("client profile Acme Trading", "client", True),
    ],
)
async def test_free_text_reaches_the_right_skill(
    harness: ConsoleHarness, text: str, skill: str, about_acme: bool
) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    out = await h.send(text, user=OFFICER_ID)
    assert out.skill == skill
    assert (out.replies[0].data.get("client_id") == sc.acme) is about_acme


async def test_sweep_is_idempotent_and_two_instances_push_once(harness: ConsoleHarness) -> None:
    h = harness
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    second = await Runtime.create(h.runtime.settings, clock=h.clock, migrate=False, retriever=False)
    try:
        other_transport = RecordingTransport()
        other = second.dispatcher(other_transport, clock=h.clock)
        await asyncio.gather(h.dispatcher.tick(h.clock()), other.tick(h.clock()))
        await sweep(h.runtime.services, h.clock())
        await sweep(second.services, h.clock())
        await asyncio.gather(h.dispatcher.tick(h.clock()), other.tick(h.clock()))
        all_pushes = [p[1] for p in h.transport.pushes + other_transport.pushes]
        assert all_pushes.count(UTIL_85) == 1
        assert len(all_pushes) == 2  # Acme's yellow + one digest of Zenith's three reds, each once
        async with h.runtime.services.sessionmaker() as s:
            live = await s.scalar(select(func.count(Alert.id)).where(Alert.state != "resolved"))
            outbox = await s.scalar(select(func.count(OutboxMessage.id)))
        assert (live, outbox) == (4, 2)
    finally:
        await second.close()
