"""The client profile, the client list and ledger uploads through the real router."""

from __future__ import annotations

import pytest

from skills.client.skill import client_score
from skills.contract import Attachment
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import seed

LEDGER = (
    "client,officer_id,debtor,invoice_no,amount,issue_date,due_date,credit_limit\n"
    f"Acme Trading,{OFFICER_ID},Buyer 1,A-9,400000,2026-07-01,2026-08-01,1000000\n"
).encode()


async def test_profile_card_shows_tier_limit_aging_dso_debtors_alerts_and_chart(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    out = await h.send("/client Acme", user=OFFICER_ID)
    reply = out.replies[0]
    assert out.skill == "client" and reply.intent == "profile"
    assert reply.text.splitlines()[:6] == [
        "👤 <b>Acme Trading</b>",
        "Tier: 🔵 <b>potential</b> — utilisation 85% (quality needs below 80%)",
        "Limit CN¥1,000,000.00 · utilisation 85.0%",
        "Open receivables CN¥850,000.00 (6 invoices) · overdue CN¥0.00 (0)",
        "Aging: current CN¥850,000.00 · 1-30 d CN¥0.00 · 31-60 d CN¥0.00 · 61-90 d CN¥0.00 · 90+ d CN¥0.00",
        "DSO 45 days",
    ]
    assert "Open alerts: 🟥 0 · 🟨 1" in reply.text
    assert reply.data["utilisation"] == "0.8500" and reply.data["open_amount"] == "850000.00"
    assert reply.image is not None and reply.image.startswith(b"\x89PNG")
    assert [[b.payload for b in row] for row in reply.buttons] == [
        [f"alerts:list:{sc.acme}", "client:list"],
        [f"alerts:apply:{sc.acme}", f"client:fbask:{sc.acme}"],  # 📝 New application (the SLA), 💬 feedback
    ]
    assert reply.client_id == sc.acme

    listed = await h.press(f"alerts:list:{sc.acme}", user=OFFICER_ID)
    assert listed.skill == "alerts" and [a["rule"] for a in listed.replies[0].data["alerts"]] == ["utilisation"]


async def test_profile_in_chinese(harness: ConsoleHarness) -> None:
    h = harness
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    out = await h.send("查看艾克米的客户画像", user=OFFICER_ID)
    reply = out.replies[0]
    assert out.skill == "client"
    assert reply.text.splitlines()[:3] == [
        "👤 <b>Acme Trading</b> 客户画像",
        "分层：🔵 <b>潜力型</b>——额度使用率 85%（优质型要求低于 80%）",
        "授信额度 ¥1,000,000.00 · 使用率 85.0%",
    ]


async def test_without_a_name_the_officer_gets_their_own_clients_as_buttons(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    out = await h.send("/clients", user=OFFICER_ID)
    assert [c["name"] for c in out.replies[0].data["clients"]] == ["Acme Trading"]
    assert out.replies[0].buttons[0][0].payload == f"client:show:{sc.acme}"
    other = await h.send("/client", user=OTHER_OFFICER_ID)
    assert [c["name"] for c in other.replies[0].data["clients"]] == ["Zenith Foods"]
    unknown = await h.send("show me Globex", user=OFFICER_ID)
    assert unknown.skill == "client" and unknown.replies[0].data["not_found"] == "Globex"
    assert unknown.replies[0].text.startswith("I couldn't find a client of yours called “Globex”.")


async def test_forged_profile_payload_is_refused_politely(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    out = await h.press(f"client:show:{sc.zenith}", user=OFFICER_ID)
    assert out.replies[0].text == "That client isn't one of yours, so I can't show it."
    assert out.replies[0].data["refused"] is True and out.replies[0].image is None
    out = await h.press("client:show:not-a-number", user=OFFICER_ID)
    assert out.replies[0].data["error"] is True


async def test_upload_previews_then_confirm_imports_and_resweeps(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()
    out = await h.send("", user=OFFICER_ID, attachment=Attachment("ledger.csv", LEDGER))
    reply = out.replies[0]
    assert out.skill == "client" and reply.intent == "upload"
    assert reply.text.startswith("📥 <b>Import preview</b> — ledger.csv")
    confirm, cancel = (b.payload for b in reply.buttons[0])
    assert confirm.endswith(":ok") and cancel.endswith(":no")

    stolen = await h.press(confirm, user=OTHER_OFFICER_ID)  # another officer cannot confirm my upload
    assert stolen.replies[0].data["error"] is True

    done = await h.press(confirm, user=OFFICER_ID)
    assert done.replies[0].intent == "import"
    assert done.replies[0].data["alerts_created"]  # the 121-day-overdue invoice is a red card now
    before = len([p for p in h.transport.pushes if p[0] == OFFICER_ID])
    await h.tick()
    after_import = [t for c, t, _, _ in h.transport.pushes if c == OFFICER_ID][before:]
    assert len(after_import) == 1  # the first sweep after an import is one digest
    assert after_import[0].startswith("📋 <b>Risk digest</b>")
    listing = await h.send("/alerts Acme", user=OFFICER_ID)
    assert any(
        a["text"].startswith("🟥 Acme Trading: an invoice is 121 days overdue")
        for a in listing.replies[0].data["alerts"]
    )
    again = await h.press(confirm, user=OFFICER_ID)
    assert "expired or was already handled" in again.replies[0].text
    profile = await h.press(f"client:show:{sc.acme}", user=OFFICER_ID)
    assert profile.replies[0].data["tier"]["tier"] == "risk"


async def test_upload_cancel_changes_nothing(harness: ConsoleHarness) -> None:
    h = harness
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    out = await h.send("", user=OFFICER_ID, attachment=Attachment("ledger.csv", LEDGER))
    cancel = out.replies[0].buttons[0][1].payload
    done = await h.press(cancel, user=OFFICER_ID)
    assert done.replies[0].text == "Import cancelled; nothing was changed."
    profile = await h.send("/client Acme", user=OFFICER_ID)
    assert profile.replies[0].data["open_count"] == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show me Acme", False),  # text alone says 0.6; recognise() sees Acme in the officer's book (routing corpus)
        ("client profile", True),
        ("客户画像", True),
        ("查看华东纺织", False),  # likewise: the client's name is the evidence, read from the database
        ("show me the quote for 1m 90d", False),
        ("quote 1m 90d", False),
        ("remind me tomorrow to call Acme", False),
        ("客户嫌手续费太高", False),
        ("查看提醒", False),
        ("how do I explain factoring", False),
    ],
)
def test_client_score_is_high_precision(text: str, expected: bool) -> None:
    assert (client_score(text) >= 0.9) is expected
