"""Digests instead of floods: the grouping policy (pure), and the digest's buttons on the demo book."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from skills.alerts.config import AlertsConfig
from skills.alerts.digest import Pending, group_pushes
from skills.portfolio.demo import ensure_demo
from tests.conftest import ADMIN_ID
from tests.fixtures.harness import ConsoleHarness

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=7)
CFG = AlertsConfig()
OLIVIA = SimpleNamespace(id=2002)
_ids = iter(range(1, 10_000))


def item(severity: str, client_id: int = 1, reason: str = "new", lang: str = "en") -> Pending:
    alert_id = next(_ids)
    emoji = {"red": "🟥", "yellow": "🟨"}.get(severity, "")
    return Pending(
        recipient=OLIVIA,  # type: ignore[arg-type]
        lang=lang,
        client_id=client_id,
        severity=severity,
        reason=reason,
        line=f"{emoji} Client {client_id}: condition #{alert_id}",
        alert_id=None if severity == "tier" else alert_id,
        push={"kind": "alert" if severity != "tier" else "tier", "text": f"single #{alert_id}", "due_at": NOW},
        quiet_due=LATER,
    )


def kinds(out: list[dict[str, Any]]) -> list[str]:
    return [q["kind"] for q in out]


def test_three_pushes_go_one_by_one() -> None:
    assert kinds(group_pushes([item("yellow"), item("red"), item("tier")], CFG, NOW, set())) == [
        "alert",
        "alert",
        "tier",
    ]


def test_four_yellows_become_one_digest_held_for_quiet_hours() -> None:
    (digest,) = group_pushes([item("yellow", c) for c in (1, 2, 3, 4)], CFG, NOW, set())
    assert digest["kind"] == "digest" and digest["due_at"] == LATER  # no red: quiet hours apply
    assert digest["text"].splitlines()[:2] == [
        "📋 <b>Risk digest</b>: 0 red · 4 yellow on 4 client(s)",
        "Yellow cards:",
    ]
    assert digest["idempotency_key"] == f"digest:2002:{int(NOW.timestamp()) + 1}"


def test_new_reds_still_go_singly_next_to_the_digest_at_most_three() -> None:
    out = group_pushes([item("red", 1), item("red", 2), *(item("yellow", 3) for _ in range(3))], CFG, NOW, set())
    assert kinds(out) == ["alert", "alert", "digest"]
    assert "0 red · 3 yellow" in out[-1]["text"]
    out = group_pushes([item("red", c) for c in range(1, 6)], CFG, NOW, set())
    assert kinds(out) == ["alert", "alert", "alert", "digest"]
    assert "2 red · 0 yellow" in out[-1]["text"] and out[-1]["due_at"] == NOW  # red: through quiet hours


def test_a_red_seen_again_after_snooze_is_not_kept_apart() -> None:
    out = group_pushes([item("red", 1, reason="again"), *(item("yellow", 2) for _ in range(3))], CFG, NOW, set())
    assert kinds(out) == ["digest"]


def test_first_sight_is_always_a_digest_of_everything_but_one_push_stays_a_card() -> None:
    assert kinds(group_pushes([item("red", 9), item("red", 9)], CFG, NOW, {9})) == ["digest"]
    assert kinds(group_pushes([item("red", 9)], CFG, NOW, {9})) == ["alert"]
    mixed = group_pushes([item("red", 9), item("yellow", 9), item("red", 1)], CFG, NOW, {9})
    assert kinds(mixed) == ["alert", "digest"]  # the known client's new red singly; the new client in the digest


def test_keep_red_pushes_is_a_setting() -> None:
    off = AlertsConfig(digest_keep_red_pushes=False, digest_threshold=2)
    assert kinds(group_pushes([item("red", c) for c in (1, 2, 3)], off, NOW, set())) == ["digest"]


def test_digest_lists_top_reds_across_clients_with_buttons_and_speaks_chinese() -> None:
    items = [
        item("red", 1, lang="zh"),
        item("red", 1, lang="zh"),
        item("red", 2, lang="zh"),
        item("yellow", 3, lang="zh"),
    ]
    items.append(item("tier", 2, lang="zh"))
    (digest,) = group_pushes(items, CFG, NOW, {1, 2, 3})
    lines = digest["text"].splitlines()
    assert lines[0] == "📋 <b>风险预警汇总</b>：3 个客户，红牌 3 · 黄牌 1"
    assert [line.split(":")[0] for line in lines[2:5]] == ["1. 🟥 Client 1", "2. 🟥 Client 2", "3. 🟥 Client 1"]
    assert "……另有 1 条，见“全部预警”。" in lines and "1 个客户的分层有变化。" in lines
    payloads = [b.payload for row in digest["buttons"] for b in row]
    assert payloads[:2] == [f"alerts:ack:{items[0].alert_id}", f"alerts:snooze:{items[0].alert_id}:1d"]
    assert payloads[-3:] == [f"alerts:ackall:{int(NOW.timestamp()) + 1}", "alerts:all", "alerts:clients"]


@pytest.mark.parametrize("threshold", [0, 1])
def test_threshold_zero_or_one_digests_anything_beyond(threshold: int) -> None:
    cfg = AlertsConfig(digest_threshold=threshold, digest_keep_red_pushes=False)
    assert kinds(group_pushes([item("yellow", 1), item("yellow", 2)], cfg, NOW, set())) == ["digest"]


async def test_acknowledge_and_snooze_work_from_the_digest(harness: ConsoleHarness) -> None:
    h = harness
    assert await ensure_demo(h.runtime) is True
    await h.tick()
    (digest,) = [p for p in h.transport.pushes if p[0] == ADMIN_ID]
    payloads = [b.payload for row in digest[2] for b in row]
    first_ack, first_snooze = payloads[0], payloads[1]
    assert first_ack.startswith("alerts:ack:") and first_snooze.startswith("alerts:snooze:")

    ack = await h.press(first_ack, user=ADMIN_ID)
    assert ack.replies[0].data["state"] == "acknowledged"
    snooze = await h.press(payloads[3], user=ADMIN_ID)  # the second red's 💤
    assert snooze.replies[0].data["state"] == "snoozed"

    by_client = await h.press("alerts:clients", user=ADMIN_ID)
    rows = by_client.replies[0].data["clients"]
    assert rows and all(r["red"] + r["yellow"] > 0 for r in rows)
    assert by_client.replies[0].buttons[0][0].payload == f"alerts:list:{rows[0]['client_id']}"
    everything = await h.press("alerts:all", user=ADMIN_ID)
    states = {a["state"] for a in everything.replies[0].data["alerts"]}
    assert states == {"open", "acknowledged"}

    done = await h.press(payloads[-3], user=ADMIN_ID)  # ✅ Acknowledge all
    assert done.replies[0].data["acknowledged"]
    after = await h.press("alerts:all", user=ADMIN_ID)
    assert {a["state"] for a in after.replies[0].data["alerts"]} == {"acknowledged"}
    h.clock.advance(minutes=16)
    await h.tick()
    assert [p for p in h.transport.pushes if p[0] == ADMIN_ID] == [digest]  # nothing new to say
    forged = await h.press("alerts:ackall:not-a-time", user=ADMIN_ID)
    assert forged.replies[0].data["error"] is True
