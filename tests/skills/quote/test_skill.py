"""The quote skill through the real router (ConsoleHarness): one-liners, buttons, guided quote, saving."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skills.quote.repository import last_quotes
from skills.store.models import Client, Officer
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import Clock, ConsoleHarness

REFERENCE = {
    "advance": "800000.00",
    "interest": "12000.00",
    "service_fee": "5000.00",
    "net_at_funding": "783000.00",
    "reserve": "200000.00",
    "total_cost": "17000.00",
    "effective_annual_cost": "0.0850",
}


async def seed(h: ConsoleHarness) -> dict[str, int]:
    """Two officers and three clients: Acme (quality, has deals), 华东纺织 (risk, new), Blue River (potential, new)."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with h.runtime.services.sessionmaker() as s:
        s.add_all([
            Officer(id=OFFICER_ID, name="Olga", role="officer", active=True, created_at=now),
            Officer(id=OTHER_OFFICER_ID, name="Oscar", role="officer", active=True, created_at=now),
        ])  # fmt: skip
        await s.flush()
        acme = Client(name="Acme Trading Co.", aliases=["Acme"], officer_id=OFFICER_ID, tier="quality",
                      deals_count=3, currency="CNY", created_at=now)  # fmt: skip
        hd = Client(name="华东纺织有限公司", aliases=["华东纺织"], officer_id=OFFICER_ID, tier="risk", deals_count=0,
                    currency="CNY", created_at=now)  # fmt: skip
        blue = Client(name="Blue River Ltd", aliases=[], officer_id=OFFICER_ID, tier="potential", deals_count=0,
                      currency="USD", created_at=now)  # fmt: skip
        other = Client(name="Zeta Foods", aliases=[], officer_id=OTHER_OFFICER_ID, tier="quality", deals_count=1,
                       currency="CNY", created_at=now)  # fmt: skip
        s.add_all([acme, hd, blue, other])
        await s.commit()
        return {"acme": acme.id, "hd": hd.id, "blue": blue.id, "zeta": other.id}


def figures(data: dict[str, object]) -> dict[str, object]:
    return {k: data[k] for k in REFERENCE}


@pytest.mark.parametrize(
    "text",
    [
        "quote 1m 90d advance 80% rate 6% fee 0.5%",
        "quote 1m 90d",  # house defaults are the worked reference
        "报价 100万 90天 融资比例80% 年化6% 手续费0.5%",
        "一百万 九十天",
        "/quote 1,000,000 90d",
    ],
)
async def test_worked_reference_to_the_cent(any_db_harness: ConsoleHarness, text: str) -> None:
    out = await any_db_harness.send(text)
    assert out.skill == "quote"
    data = any_db_harness.reply().data
    assert figures(data) == REFERENCE
    assert data["tenor_days"] == 90 and data["face_value"] == "1000000.00"
    assert data["inputs"]["annual_rate"] == "0.06" and data["inputs"]["basis"] == 360
    assert isinstance(data["quote_id"], int)
    text_out = any_db_harness.reply().text
    assert "783,000.00" in text_out and "8.50%" in text_out and "<pre>" in text_out


async def test_reply_names_assumed_terms_and_buttons_fit(harness: ConsoleHarness) -> None:
    await harness.send("quote 1.2m 90d")
    reply = harness.reply()
    assert set(reply.data["assumed"]) >= {"advance_rate", "annual_rate", "fee_rate", "basis", "interest_timing"}
    assert "Assumed" in reply.text and "advance 80%" in reply.text
    assert "they receive" in reply.text
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == ["Explain for finance", "Compare", "Save to client"]
    assert all(len(b.payload.encode()) <= 64 for row in reply.buttons for b in row)


async def test_chinese_reply_is_chinese(harness: ConsoleHarness) -> None:
    await harness.send("报价 50万元 60天")
    reply = harness.reply()
    assert "放款时到手" in reply.text and "通俗地说" in reply.text and "默认条件" in reply.text
    assert [b.label for row in reply.buttons for b in row] == ["给财务的说明", "方案对比", "保存到客户"]


async def test_client_by_name_uses_tier_and_first_deal(harness: ConsoleHarness) -> None:
    ids = await seed(harness)
    await harness.send("quote Acme 2m 60d", user=OFFICER_ID)
    d = harness.reply().data
    assert (d["client_id"], d["tier"]) == (ids["acme"], "quality")
    assert (d["advance"], d["interest"], d["service_fee"], d["net_at_funding"], d["effective_annual_cost"]) == (
        "1700000.00", "14166.67", "6000.00", "1679833.33", "0.0712",
    )  # fmt: skip
    assert "quality tier" in harness.reply().text

    await harness.send("报价 华东纺织 100万 90天", user=OFFICER_ID)
    d = harness.reply().data
    assert d["tier"] == "risk" and d["first_deal_waiver"] is False  # the risk tier has no waiver
    assert (d["advance"], d["interest"], d["service_fee"], d["net_at_funding"], d["effective_annual_cost"]) == (
        "700000.00", "15750.00", "10000.00", "674250.00", "0.1471",
    )  # fmt: skip

    await harness.send("quote Blue River 1m 90d", user=OFFICER_ID)
    d = harness.reply().data
    assert d["first_deal_waiver"] is True and d["service_fee"] == "0.00" and d["currency"] == "USD"
    assert d["net_at_funding"] == "788000.00" and d["effective_annual_cost"] == "0.0600"
    assert "First-deal waiver" in harness.reply().text

    # Another officer's client is not recognised: house defaults apply.
    await harness.send("quote Zeta Foods 1m 90d", user=OFFICER_ID)
    assert harness.reply().data["client_id"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quote 1m 90d act/365", {"interest": "11835.62", "net_at_funding": "783164.38", "effective_annual_cost": "0.0853"}),
        ("100万 90天 利随本清", {"net_at_funding": "795000.00", "reserve_released": "188000.00", "total_cost": "17000.00"}),
        ("quote 1m 90d non-recourse", {"interest": "16000.00", "effective_annual_cost": "0.1050", "applied_rate": "0.08"}),
        ("50万 45天 每30天贴息1% 融资比例90% 免服务费", {"interest": "6750.00", "effective_annual_cost": "0.1200"}),
        ("quote 500k 45d discount 1% per started 30 days advance 90% no fee", {"interest": "9000.00"}),
        ("quote 100k 30d fee 0.5% min 2000", {"service_fee": "2000.00", "total_cost": "2400.00"}),
        ("quote 100k 30d", {"service_fee": "2000.00"}),  # the tier minimum
        ("quote 1m 90d first deal", {"service_fee": "0.00"}),
        ("price a $250,000 invoice due in 45 days", {"advance": "200000.00", "interest": "1500.00"}),
    ],
)
async def test_held_out_style_cases(harness: ConsoleHarness, text: str, expected: dict[str, str]) -> None:
    await harness.send(text)
    data = harness.reply().data
    assert harness.last is not None and harness.last.skill == "quote"
    assert {k: data[k] for k in expected} == expected


async def test_due_date_counts_days_from_the_officers_today(harness: ConsoleHarness, clock: Clock) -> None:
    await harness.send("quote 1m due on 2027-03-01")  # today is 2026-11-30 in Shanghai
    d = harness.reply().data
    assert d["tenor_days"] == 91 and d["inputs"]["due_date"] == "2027-03-01"
    await harness.send("100万 3月1日到期")
    assert harness.reply().data["tenor_days"] == 91


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("quote 0 90d", "more than zero", "必须大于零"),
        ("quote 1m 400d", "between 1 and 360 days", "1 到 360 天"),
        ("quote 1m 90d advance 120%", "at most 100%", "不超过 100%"),
        ("quote 1m 90d rate 60%", "outside the allowed range", "超出允许范围"),
        ("quote 1m 90d 6%", "rate 6%", "年化6%"),
        ("quote 1m due on 2026-01-01", "not after today", "不晚于今天"),
    ],
)
async def test_bad_input_gets_a_specific_message_in_both_languages(
    harness: ConsoleHarness, text: str, en: str, zh: str
) -> None:
    await harness.send(text, lang="en")
    assert en in harness.reply().text and harness.reply().data["error"] is True
    await harness.send(text, lang="zh")
    assert zh in harness.reply().text


async def test_buttons_explain_compare_and_visibility(harness: ConsoleHarness) -> None:
    ids = await seed(harness)
    await harness.send("quote 1m 90d", user=OFFICER_ID)
    qid = harness.reply().data["quote_id"]
    await harness.press(f"quote:explain:{qid}", user=OFFICER_ID)
    text = harness.reply().text
    assert "17,000.00 ÷ 800,000.00 × 360 ÷ 90 = 8.50%" in text
    assert "783,000.00 + 17,000.00 + 200,000.00 = 1,000,000.00" in text
    await harness.press(f"quote:compare:{qid}", user=OFFICER_ID)
    data = harness.reply().data
    assert [(r["advance_rate"], r["tenor_days"]) for r in data["rows"]] == [
        ("0.75", 90), ("0.80", 90), ("0.85", 90), ("0.80", 60), ("0.80", 120),
    ]  # fmt: skip
    assert data["bank_loan"]["effective_annual_cost"] == "0.0929"
    assert "Bank loan" in harness.reply().text

    # Another officer can't open it; the admin console can.
    await harness.press(f"quote:explain:{qid}", user=OTHER_OFFICER_ID)
    assert harness.reply().data.get("error_key") == "quote_not_found"
    await harness.press(f"quote:save:{qid}", user=OTHER_OFFICER_ID)
    assert harness.reply().data.get("error_key") == "quote_not_found"
    await harness.press(f"quote:saveto:{qid}:{ids['zeta']}", user=OFFICER_ID)
    assert harness.reply().data.get("error") is True
    await harness.press(f"quote:explain:{qid}")
    assert "8.50%" in harness.reply().text
    await harness.press("quote:explain:notanumber", user=OFFICER_ID)
    assert harness.reply().data.get("error_key") == "quote_not_found"


async def test_save_asks_which_client_then_lists(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    ids = await seed(h)
    await h.send("quote 1m 90d", user=OFFICER_ID)
    qid = h.reply().data["quote_id"]
    await h.press(f"quote:save:{qid}", user=OFFICER_ID)
    names = [b.label for row in h.reply().buttons for b in row]
    assert "Zeta Foods" not in names and "Acme Trading Co." in names
    await h.send("nobody I know", user=OFFICER_ID)
    assert "couldn't find a client" in h.reply().text
    await h.send("it's for Acme", user=OFFICER_ID)
    assert h.reply().data == {"quote_id": qid, "saved": True, "client_id": ids["acme"], "client": "Acme Trading Co."}

    # A quote with a named client saves straight away.
    await h.send("quote Blue River 500k 60d", user=OFFICER_ID)
    q2 = h.reply().data["quote_id"]
    await h.press(f"quote:save:{q2}", user=OFFICER_ID)
    assert h.reply().data["client_id"] == ids["blue"]

    await h.send("/quotes", user=OFFICER_ID)
    listed = [q["quote_id"] for q in h.reply().data["quotes"]]
    assert listed == [q2, qid]
    await h.send("/quotes Acme", user=OFFICER_ID)
    assert [q["quote_id"] for q in h.reply().data["quotes"]] == [qid]
    await h.send("/quotes", user=OTHER_OFFICER_ID)
    assert h.reply().data["quotes"] == []

    async with h.runtime.services.sessionmaker() as s:
        rows = await last_quotes(s, ids["acme"])
    assert [r.id for r in rows] == [qid]
    assert str(rows[0].net_at_funding) == "783000.00" and rows[0].client_name == "Acme Trading Co."


async def test_guided_quote_asks_only_for_what_is_missing(harness: ConsoleHarness) -> None:
    await harness.send("/quote")
    assert harness.reply().data["awaiting"] == "amount"
    await harness.send("ninety days")
    assert "couldn't find an amount" in harness.reply().text
    await harness.send("1.2m")
    assert harness.reply().data["awaiting"] == "tenor"
    await harness.send("soon")
    assert "couldn't find a tenor" in harness.reply().text
    await harness.send("400")
    assert "between 1 and 360 days" in harness.reply().text
    await harness.send("90")
    reply = harness.reply()
    assert reply.data["awaiting"] == "terms"
    assert reply.buttons[0][0].payload == "quote:defaults"
    await harness.press("quote:defaults")
    d = harness.reply().data
    assert d["face_value"] == "1200000.00" and d["tenor_days"] == 90 and d["net_at_funding"] == "939600.00"
    # the conversation is closed: free text goes through normal routing again
    await harness.send("quote 1m 90d")
    assert harness.reply().data["net_at_funding"] == "783000.00"


async def test_guided_quote_in_chinese_with_terms(harness: ConsoleHarness) -> None:
    await harness.send("/quote", lang="zh")
    assert "发票金额" in harness.reply().text
    await harness.send("100万", lang="zh")
    await harness.send("90天", lang="zh")
    await harness.send("融资比例80% 年化6% 手续费0.5%", lang="zh")
    assert figures(harness.reply().data) == REFERENCE


async def test_guided_bad_terms_reask_without_losing_the_deal(harness: ConsoleHarness) -> None:
    await harness.send("/quote 1m")  # tenor missing: ask just that, then price
    assert harness.reply().data["awaiting"] == "tenor"
    await harness.send("90d")
    assert harness.reply().data["net_at_funding"] == "783000.00"

    await harness.send("/quote")
    await harness.send("1m 90d")
    assert harness.reply().data["awaiting"] == "terms"
    await harness.send("advance 150%")
    assert "at most 100%" in harness.reply().text
    await harness.send("use defaults")
    assert harness.reply().data["net_at_funding"] == "783000.00"


async def test_guided_quote_cancel_and_timeout(harness: ConsoleHarness, clock: Clock) -> None:
    await harness.send("/quote")
    out = await harness.send("/cancel")
    assert out.intent == "cancel"
    out = await harness.send("hello")  # no longer taken as an answer to "what is the amount?"
    assert out.skill == "help"

    await harness.send("/quote")
    await harness.send("1m")
    clock.advance(minutes=16)
    await harness.press("quote:defaults")
    assert harness.reply().data == {"expired": True}
    await harness.send("quote 2m 60d")
    assert harness.last is not None and harness.last.skill == "quote"
    assert harness.reply().data["face_value"] == "2000000.00"


async def test_stale_or_foreign_state_restarts_cleanly(harness: ConsoleHarness) -> None:
    from skills.store.models import Conversation

    await harness.send("/quote")
    async with harness.runtime.services.sessionmaker() as s:
        conv = await s.get(Conversation, 0)
        assert conv is not None
        conv.state = {"step": "from-an-older-version"}
        await s.commit()
    await harness.send("1m")
    assert harness.reply().data["awaiting"] == "amount"


async def test_non_quotes_do_not_route_here(harness: ConsoleHarness) -> None:
    for text in ("client says 1.2% is too expensive", "any red flags on Acme", "remind me in 3 days"):
        out = await harness.send(text)
        assert out.skill != "quote" or out.intent == "clarify", text
