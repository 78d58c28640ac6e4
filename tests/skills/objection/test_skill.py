"""The objection skill through the real router (ConsoleHarness): cards, buttons, language, client, log."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from skills.contract import MAX_PAYLOAD_BYTES, Role
from skills.contract import Officer as OfficerView
from skills.objection import SKILL
from skills.objection.logic import CARD_LIMIT, visible_length
from skills.objection.models import ObjectionLog
from skills.objection.repository import count_by_category
from skills.quote.logic import bank_loan, price
from skills.quote.repository import add_quote, mark_saved
from skills.store.models import Client, Officer
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness

pytestmark = pytest.mark.asyncio


async def seed(h: ConsoleHarness) -> dict[str, int]:
    """Olga's clients: Acme (quality, first deal, a saved quote), 华东纺织 (risk), Blue (potential, repeat)."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with h.runtime.services.sessionmaker() as s:
        s.add_all([
            Officer(id=OFFICER_ID, name="Olga", role="officer", active=True, created_at=now),
            Officer(id=OTHER_OFFICER_ID, name="Oscar", role="officer", active=True, created_at=now),
        ])  # fmt: skip
        await s.flush()
        acme = Client(name="Acme Trading Co.", aliases=["Acme"], officer_id=OFFICER_ID, tier="quality", deals_count=0,
                      currency="CNY", created_at=now)  # fmt: skip
        hd = Client(name="华东纺织有限公司", aliases=["华东纺织"], officer_id=OFFICER_ID, tier="risk", deals_count=0,
                    currency="CNY", created_at=now)  # fmt: skip
        blue = Client(name="Blue River Ltd", aliases=[], officer_id=OFFICER_ID, tier="potential", deals_count=4,
                      currency="CNY", created_at=now)  # fmt: skip
        zeta = Client(name="Zeta Foods", aliases=[], officer_id=OTHER_OFFICER_ID, tier="quality", deals_count=0,
                      currency="CNY", created_at=now)  # fmt: skip
        s.add_all([acme, hd, blue, zeta])
        await s.flush()
        result = price("1200000", 60, advance_rate="0.85", annual_rate="0.05", fee_rate="0.003", fee_minimum="1000")
        quote = await add_quote(s, result, officer_id=OFFICER_ID, client_id=acme.id, lang="en", assumed=[],
                                tier="quality", now=now, inputs=result.terms.as_dict())  # fmt: skip
        mark_saved(quote, acme.id, now)
        await s.commit()
        return {"acme": acme.id, "hd": hd.id, "blue": blue.id, "zeta": zeta.id}


def all_payloads(outcome: object) -> list[str]:
    return [b.payload for r in outcome.replies for row in r.buttons for b in row]  # type: ignore[attr-defined]


async def test_free_text_objection_gets_the_card(harness: ConsoleHarness) -> None:
    out = await harness.send("client says the rate is too high")
    data = out.as_json()
    assert data["skill"] == "objection"
    assert data["data"]["objection_id"] == "obj.rate-too-high"
    assert len(data["data"]["alternatives"]) == 3
    reply = harness.reply()
    assert visible_length(reply.text) <= CARD_LIMIT
    assert all(len(p.encode()) <= MAX_PAYLOAD_BYTES for p in all_payloads(out))
    labels = [b.label for row in reply.buttons for b in row]
    assert any("Another angle" in x for x in labels) and any("Client-ready" in x for x in labels)


@pytest.mark.parametrize(
    "text,card",
    [
        ("he won't sign a personal guarantee", "obj.guarantee-required"),
        ("客户嫌保证金比例太高", "obj.deposit-margin"),
        ("我们不想让买方知道", "obj.debtor-notification"),
        ("客户嫌审批太慢", "obj.approval-slow"),
    ],
)
async def test_objections_route_to_the_right_card(harness: ConsoleHarness, text: str, card: str) -> None:
    out = await harness.send(text)
    assert out.skill == "objection" and harness.reply().data["objection_id"] == card


@pytest.mark.parametrize(
    "text",
    ["quote 1.2m 90d", "100万 90天", "remind me tomorrow 10am to call Acme", "3天后提醒我跟进华东纺织",
     "how do I explain factoring to a sales manager?", "怎么介绍保理", "hi", "你好"],
)  # fmt: skip
async def test_other_messages_are_not_objection_cards(harness: ConsoleHarness, text: str) -> None:
    out = await harness.send(text)
    assert out.skill != "objection" or out.replies[0].data.get("objection_id") is None


async def test_language_follows_the_message_unless_the_officer_chose_one(harness: ConsoleHarness) -> None:
    await harness.send("客户嫌手续费太高")
    assert harness.reply().data["lang"] == "zh" and "手续费" in harness.reply().text
    await harness.send("client says the fees are too high")
    assert harness.reply().data["lang"] == "en"
    await harness.send("/lang zh")
    await harness.send("client says the fees are too high")
    assert harness.reply().data["lang"] == "zh"


async def test_obj_command_with_alias_usage_and_unknown(harness: ConsoleHarness) -> None:
    out = await harness.send("/obj recourse")
    assert out.skill == "objection" and harness.reply().data["objection_id"] == "obj.recourse"
    await harness.send("/obj")
    assert "rate" in harness.reply().text and harness.reply().data["objection_id"] is None
    await harness.send("/obj zzz")
    assert harness.reply().data.get("error") is True
    await harness.send("/obj 客户嫌融资比例太低")
    assert harness.reply().data["objection_id"] == "obj.advance-rate-low"


async def test_every_button_works(harness: ConsoleHarness) -> None:
    await harness.send("client says the rate is too high")
    card = harness.reply()
    row_id = card.data["log_id"]
    alternatives = card.data["alternatives"]
    payloads = {b.payload.split(":")[1]: b.payload for r in card.buttons for b in r}

    await harness.press(payloads["angle"])
    angle = harness.reply()
    assert angle.data["source"] == "another_angle" and "supplier" in angle.text
    await harness.press(angle.buttons[0][0].payload)  # the next-best card for the same message
    second = harness.reply()
    assert second.data["objection_id"] == alternatives[0] and second.data["angle"] == 2
    assert second.buttons[0][0].payload == f"objection:angle:obj.rate-too-high:3:{row_id}"

    await harness.press(payloads["full"])
    assert harness.reply().intent == "full" and "Officer:" in harness.reply().text

    await harness.press(payloads["client"])
    client_text = harness.reply()
    assert client_text.data["lang"] == "en" and client_text.data["client_text"].startswith("Thank you")
    await harness.press(client_text.buttons[0][0].payload)  # the other language
    assert harness.reply().data["lang"] == "zh" and "感谢" in harness.reply().data["client_text"]

    await harness.press(payloads["log"])
    logged = harness.reply()
    assert logged.data["logged"] is True and logged.data["month_count"] == 1
    await harness.press(payloads["log"])
    assert harness.reply().data["logged"] is False  # pressing twice logs once

    await harness.send("/objections")
    top = harness.reply()
    assert top.data["top"] == [{"objection_id": "obj.rate-too-high", "count": 1}]
    assert top.data["by_category"] == {"pricing": 1}


async def test_buttons_of_another_officer_are_refused(harness: ConsoleHarness) -> None:
    await seed(harness)
    await harness.send("client says the rate is too high", user=OFFICER_ID)
    log_payload = harness.reply().buttons[1][1].payload
    out = await harness.press(log_payload, user=OTHER_OFFICER_ID)
    assert out.replies[0].data.get("error") is True


async def test_several_objections_offer_the_others_as_buttons(harness: ConsoleHarness) -> None:
    await harness.send("客户嫌利息太高，还不想让买方知道")
    reply = harness.reply()
    ids = {reply.data["objection_id"], *reply.data["others"]}
    assert ids == {"obj.rate-too-high", "obj.debtor-notification"}
    show = [b.payload for row in reply.buttons for b in row if b.payload.startswith("objection:show:")]
    assert len(show) == 1
    await harness.press(show[0])
    assert harness.reply().data["objection_id"] in ids - {reply.data["objection_id"]}


async def test_named_client_personalises_with_engine_figures(harness: ConsoleHarness) -> None:
    ids = await seed(harness)
    out = await harness.send("Acme says the rate is too high", user=OFFICER_ID)
    reply = out.replies[0]
    assert reply.client_id == ids["acme"] and reply.data["personalised"] is True
    qcfg = harness.runtime.settings.quote
    base = price("1200000", 60, advance_rate="0.85", annual_rate="0.05", fee_rate="0.003", fee_minimum="1000")
    bank = bank_loan(base.advance, 60, annual_rate=qcfg.bank_loan_rate, deposit_ratio=qcfg.bank_deposit_ratio,
                     fee_rate=qcfg.bank_fee_rate, basis=base.terms.basis)  # fmt: skip
    assert reply.data["quote"]["total_cost"] == str(base.total_cost)
    assert reply.data["quote"]["effective_annual_cost"] == str(base.effective_annual_cost)
    assert reply.data["bank_loan"]["total_cost"] == str(bank.total_cost)
    cheaper = price("1200000", 60, advance_rate="0.85", annual_rate="0.04", fee_rate="0.003", fee_minimum="1000")
    waived = price("1200000", 60, advance_rate="0.85", annual_rate="0.05", fee_rate="0.003", fee_minimum="1000",
                   fee_waived=True)  # fmt: skip
    concessions = {c["kind"]: c for c in reply.data["concessions"]}
    assert concessions["rate_discount"]["total_cost"] == str(cheaper.total_cost)
    assert concessions["fee_waiver"]["total_cost"] == str(waived.total_cost)
    assert f"{base.total_cost:,.2f}" in reply.text and f"{bank.total_cost:,.2f}" in reply.text
    assert visible_length(reply.text) <= CARD_LIMIT

    # a follow-up about "he" uses the client just discussed
    await harness.send("he says the fees are too high", user=OFFICER_ID)
    follow = harness.reply()
    assert follow.data["objection_id"] == "obj.fees-too-high" and follow.data["client"]["id"] == ids["acme"]
    assert Decimal(follow.data["quote"]["service_fee"]) == base.service_fee


async def test_risk_client_gets_no_concession_and_other_officers_clients_stay_hidden(harness: ConsoleHarness) -> None:
    ids = await seed(harness)
    await harness.send("华东纺织嫌手续费太高", user=OFFICER_ID)
    reply = harness.reply()
    assert reply.data["client"]["id"] == ids["hd"] and reply.data["concessions"] == [{"kind": "none", "reason": "risk tier"}]
    assert "不让步" in reply.text
    await harness.send("Zeta Foods says the rate is too high", user=OFFICER_ID)
    assert harness.reply().data["client"]["id"] != ids["zeta"]  # Oscar's client: falls back to the recent one


async def test_log_counts_per_client_and_category(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    ids = await seed(h)
    for text in ("Acme says the rate is too high", "Acme won't sign a personal guarantee", "Acme says fees are too high"):
        await h.send(text, user=OFFICER_ID)
        log_button = next(b.payload for row in h.reply().buttons for b in row if b.payload.startswith("objection:log:"))
        await h.press(log_button, user=OFFICER_ID)
        assert h.reply().data["client_id"] == ids["acme"]
    async with h.runtime.services.sessionmaker() as s:
        assert await count_by_category(s, ids["acme"]) == {"pricing": 2, "security": 1}
        assert await count_by_category(s, ids["blue"]) == {}
        rows = (await s.scalars(select(ObjectionLog).where(ObjectionLog.logged_at.is_not(None)))).all()
        assert {r.officer_id for r in rows} == {OFFICER_ID}
    await h.send("/objections", user=OFFICER_ID)
    top = h.reply().data["top"]
    # three objections logged once each: the tie is broken by card id, so the order is fixed
    assert top == [
        {"objection_id": "obj.fees-too-high", "count": 1},
        {"objection_id": "obj.guarantee-required", "count": 1},
        {"objection_id": "obj.rate-too-high", "count": 1},
    ]
    await h.send("Acme says the rate is too high", user=OFFICER_ID)  # a second rate objection outranks the ties
    log_button = next(b.payload for row in h.reply().buttons for b in row if b.payload.startswith("objection:log:"))
    await h.press(log_button, user=OFFICER_ID)
    await h.send("/objections", user=OFFICER_ID)
    assert [(r["objection_id"], r["count"]) for r in h.reply().data["top"]] == [
        ("obj.rate-too-high", 2),
        ("obj.fees-too-high", 1),
        ("obj.guarantee-required", 1),
    ]
    # next month (officer-local) starts empty
    h.clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))  # 08:00 on 1 Dec in Shanghai
    await h.send("/objections", user=OFFICER_ID)
    assert h.reply().data["top"] == []


async def test_inline_mode_offers_client_ready_texts(harness: ConsoleHarness) -> None:
    me = OfficerView(id=1, name="x", role=Role.OFFICER, language="en", timezone="Asia/Shanghai")
    results = await SKILL.inline("rate too high", me, harness.runtime.services)
    assert 1 <= len(results) <= 3
    assert results[0].id == "rate:en" and results[0].text.startswith("Thank you")
    zh = await SKILL.inline("利息太高", me, harness.runtime.services)
    assert zh[0].id == "rate:zh" and "感谢" in zh[0].text
    assert await SKILL.inline("", me, harness.runtime.services) == []
