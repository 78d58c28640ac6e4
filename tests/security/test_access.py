"""Security: an officer never reads or changes another officer's book; managers see their team, admins see
all; the allowlist holds at every entry point; admin actions and imports are audited."""

from __future__ import annotations

from sqlalchemy import select

from bot.access import Caller
from skills.contract import Attachment
from skills.store.models import AuditEntry
from tests.conftest import ADMIN_ID, OFFICER_ID, OTHER_OFFICER_ID, STRANGER_ID
from tests.security.checks import assert_sendable, snapshot
from tests.security.conftest import World, other_ledger

MANAGER_ID = 4004

PEEKS = [
    "/client Zenith Foods",
    "/client Zenith",
    "show me Zenith Foods",
    "查看Zenith Foods的客户画像",
    "any red flags on Zenith Foods?",
    "Zenith Foods有什么风险",
    "/alerts Zenith Foods",
    "/alerts",
    "/quotes",
    "/quotes Zenith Foods",
    "/reminders",
    "what reminders do I have this week",
    "/clients",
    "quote Zenith Foods 1m 90d",
    "remind me tomorrow 10am to visit Zenith Foods",
    "client Zenith Foods says the rate is too high",
    "/objections",
]


async def test_an_officer_never_sees_another_officers_book(world: World) -> None:
    h = world.h
    for text in PEEKS:
        out = await h.send(text, user=OFFICER_ID)
        assert_sendable(out)
        for reply in out.replies:
            assert "Zed Retail" not in reply.text and "call Zenith" not in reply.text, (text, reply.text)
            assert reply.client_id in (None, world.acme), (text, reply.client_id)
            data = repr(reply.data)
            assert f"'client_id': {world.zenith}" not in data and "Zed Retail" not in data, (text, data)
            assert f"'quote_id': {world.quote}," not in data, (text, data)
            assert f"'reminder_id': {world.reminder}," not in data, (text, data)
        names = [c["name"] for c in out.replies[0].data.get("clients", [])]
        assert "Zenith Foods" not in names, text
        await h.send("/cancel", user=OFFICER_ID)


async def test_typed_ids_of_another_officers_reminder_are_refused_and_change_nothing(world: World) -> None:
    h = world.h
    for text in (f"/reminders cancel {world.reminder}", f"/reminders edit {world.reminder}",
                 f"cancel reminder #{world.reminder}", f"取消提醒{world.reminder}"):  # fmt: skip
        before = await snapshot(h.runtime.services.sessionmaker)
        out = await h.send(text, user=OFFICER_ID)
        assert out.replies[0].data.get("error") is True, (text, out.replies[0].text)
        assert await snapshot(h.runtime.services.sessionmaker) == before, text


async def test_flag_on_another_officers_client_or_debtor_is_refused(world: World) -> None:
    h = world.h
    for text in ("/flag Zenith Foods lawsuit sued", "/flag Zed Retail bankruptcy rumour heard it"):
        before = await snapshot(h.runtime.services.sessionmaker)
        out = await h.send(text, user=OFFICER_ID)
        assert_sendable(out)
        assert out.replies[0].data.get("error") is True, out.replies[0].text
        assert await snapshot(h.runtime.services.sessionmaker) == before


async def test_a_ledger_naming_another_officers_client_imports_nothing(world: World) -> None:
    h = world.h
    before = await snapshot(h.runtime.services.sessionmaker)
    for content in (other_ledger(), other_ledger(officer_id=OFFICER_ID)):
        out = await h.send("", user=OFFICER_ID, attachment=Attachment("theirs.csv", content))
        assert_sendable(out)
        assert out.replies[0].data["pending_id"] is None, out.replies[0].text
        assert out.replies[0].data["preview"]["rejected"], out.replies[0].data
    assert await snapshot(h.runtime.services.sessionmaker) == before


async def test_managers_see_their_team_and_admins_see_everyone(world: World) -> None:
    h = world.h
    assert (await h.send(f"/grant {MANAGER_ID} manager", user=ADMIN_ID)).replies[0].data["role"] == "manager"
    assert (await h.send(f"/grant {OTHER_OFFICER_ID} officer {MANAGER_ID}", user=ADMIN_ID)).replies[0].data
    team = await h.send("/clients", user=MANAGER_ID)
    assert [c["name"] for c in team.replies[0].data["clients"]] == ["Zenith Foods"]
    alerts = await h.send("/alerts", user=MANAGER_ID)
    assert {a["client"] for a in alerts.replies[0].data["alerts"]} == {"Zenith Foods"}
    quotes = await h.send("/quotes", user=MANAGER_ID)
    assert [q["quote_id"] for q in quotes.replies[0].data["quotes"]] == [world.quote]
    assert (await h.press(f"client:show:{world.zenith}", user=MANAGER_ID)).replies[0].intent == "profile"
    refused = await h.press(f"client:show:{world.acme}", user=MANAGER_ID)
    assert refused.replies[0].data.get("refused") is True
    everyone = await h.send("/clients", user=ADMIN_ID)
    assert {c["name"] for c in everyone.replies[0].data["clients"]} == {"Acme Trading", "Zenith Foods"}
    # the officer still sees only their own book
    mine = await h.send("/clients", user=OFFICER_ID)
    assert [c["name"] for c in mine.replies[0].data["clients"]] == ["Acme Trading"]


async def test_the_allowlist_holds_at_every_entry_point(world: World) -> None:
    h = world.h
    before = await snapshot(h.runtime.services.sessionmaker)
    outs = [
        await h.send("quote 1m 90d", user=STRANGER_ID),
        await h.send("/clients", user=STRANGER_ID),
        await h.send("/grant 9999 admin", user=STRANGER_ID),
        await h.press(f"client:show:{world.acme}", user=STRANGER_ID),
        await h.press(f"client:import:{world.pending_import}:ok", user=STRANGER_ID),
        await h.send("", user=STRANGER_ID, attachment=Attachment("l.csv", other_ledger())),
    ]
    for out in outs:
        assert out.skill == "access" and out.replies[0].data == {"refused": True, "user_id": STRANGER_ID}
        assert_sendable(out)
    assert await h.runtime.router.inline(Caller(user_id=STRANGER_ID), "rate too high") == []
    assert await snapshot(h.runtime.services.sessionmaker) == before


async def test_a_revoked_officer_pressing_an_old_button_is_refused(world: World) -> None:
    h = world.h
    assert await h.runtime.router.inline(Caller(user_id=OTHER_OFFICER_ID), "rate too high")
    await h.send(f"/revoke {OTHER_OFFICER_ID}", user=ADMIN_ID)
    before = await snapshot(h.runtime.services.sessionmaker)
    for data in (f"reminders:done:{world.reminder}", f"alerts:ack:{world.alert}", f"quote:explain:{world.quote}",
                 f"client:import:{world.pending_import}:ok", f"client:show:{world.zenith}"):  # fmt: skip
        out = await h.press(data, user=OTHER_OFFICER_ID)
        assert out.skill == "access", data
    assert (await h.send("/reminders", user=OTHER_OFFICER_ID)).skill == "access"
    assert await h.runtime.router.inline(Caller(user_id=OTHER_OFFICER_ID), "rate too high") == []
    assert await snapshot(h.runtime.services.sessionmaker) == before


async def test_admin_actions_and_imports_are_audited(world: World) -> None:
    h = world.h
    await h.send(f"/grant {MANAGER_ID} manager", user=ADMIN_ID)
    await h.send(f"/revoke {MANAGER_ID}", user=ADMIN_ID)
    done = await h.press(f"client:import:{world.pending_import}:ok", user=OTHER_OFFICER_ID)
    assert done.replies[0].intent == "import", done.replies[0].text
    async with h.runtime.services.sessionmaker() as s:
        rows = (await s.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    got = [(r.actor_id, r.action, r.detail.get("user_id")) for r in rows]
    assert (ADMIN_ID, "grant", MANAGER_ID) in got and (ADMIN_ID, "revoke", MANAGER_ID) in got
    assert any(r.actor_id == OTHER_OFFICER_ID and r.action == "import" and r.detail["file"] == "zenith.csv" for r in rows)
    # a refused attempt is not an admin action
    await h.send(f"/grant {MANAGER_ID} admin", user=OFFICER_ID)
    async with h.runtime.services.sessionmaker() as s:
        assert len((await s.scalars(select(AuditEntry))).all()) == len(rows)
