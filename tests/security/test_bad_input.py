"""Bad input, through the same router Telegram uses: every message gets a sendable answer in the officer's
language, nothing stored changes when the input is refused, and no exception escapes to the adapter."""

from __future__ import annotations

import io
import zipfile

import pytest

from skills.contract import Attachment
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.security.checks import assert_sendable, snapshot
from tests.security.conftest import World

EVIL = '<b>Evil</b> & <a href="https://x.test">Co</a> <script>alert(1)</script> 1<2 &amp'

# -- text that must be refused (a question, a usage line, an error) and store nothing -----------------------

REFUSED_TEXT = [
    ("quote 1e308", "en"),
    ("quote -5m 90d", "en"),
    ("quote 1m 99999d", "en"),
    ("quote 1m -90d", "en"),
    ("quote 0 90d", "en"),
    ("quote 99999999999999999999999999999999 90d", "en"),
    ("quote 1m 90d advance 500%", "en"),
    ("quote 1m 90d rate -3%", "en"),
    ("100000000亿 90天", "zh"),
    ("报价 负100万 90天", "zh"),
    ("remind me in 9999 years to call Acme", "en"),
    ("remind me on 31 Feb to call Acme", "en"),
    ("remind me in 99999999999 days to call", "en"),
    ("/remind 99999999999d call", "en"),
    ("/remind 1e400h call", "en"),
    ("2月30日提醒我打电话", "zh"),
    ("/reminders cancel 99999999999999999999999", "en"),
    ("/reminders edit -1", "en"),
    ("cancel reminder #99999999999999999999999", "en"),
    ("/tz " + "A" * 5000, "en"),
    ("/tz ../../etc/passwd", "en"),
    ("/quiet 25:00-99:99", "en"),
    ("/quiet " + "9" * 3000, "en"),
    ("/lang klingon", "en"),
    ("/flag", "en"),
    ("/flag Nobody lawsuit x", "en"),
    ("/flag Zenith lawsuit taking over someone else's client", "en"),
    ("/flag " + "x" * 5000, "en"),
    ("/alerts " + EVIL, "en"),
    ("/client " + EVIL, "en"),
    ("/" + "a" * 40, "en"),
]

JUNK_TEXT = [
    "x" * 100_000,
    "quote " + "9" * 100_000,
    "remind me tomorrow 10am to " + "y" * 100_000,
    "\x00\x01\x02\x03\x1b[31m\x7f",
    "quote\x001m\x0090d",
    "\u202etomorrow 10am remind me to call\u202c",
    "\u200b\u200c\u200d\ufeff",
    "مرحبا، كيف حالك؟",
    "😀😀😀🔥💯",
    "👨‍👩‍👧‍👦" * 500,
    EVIL,
    "<b>unclosed",
    "&&&&<<<>>>",
    "' OR 1=1; DROP TABLE clients; --",
    "%s %d {0} {name} ${HOME}",
    "\n\n\n",
    "   ",
    "/",
    "/start@SomeOtherBot",
    "/cancel " + "z" * 10_000,
    "/quotes " + EVIL,
    "/obj " + "\u200b" * 50,
    "/help",
    "/start",
    "/clients",
    "/alerts",
    "/reminders",
    "/objections",
    "/officers",
    "/grant 1",
]


async def _fresh(h_send, user: int) -> None:  # type: ignore[no-untyped-def]
    await h_send("/cancel", user=user)


@pytest.mark.parametrize(("text", "lang"), REFUSED_TEXT, ids=[f"refused{i}" for i in range(len(REFUSED_TEXT))])
async def test_absurd_or_malformed_text_is_refused_and_stores_nothing(world: World, text: str, lang: str) -> None:
    h = world.h
    await h.send(f"/lang {lang}", user=OFFICER_ID)
    await _fresh(h.send, OFFICER_ID)
    before = await snapshot(h.runtime.services.sessionmaker)
    out = await h.send(text, user=OFFICER_ID)
    assert_sendable(out)
    reply = out.replies[0]
    refused = reply.data.get("error") or reply.state is not None or out.intent in (
        "clarify", "unknown_command", "ask_time", "list", "expired",
    ) or out.intent.startswith("guided")
    assert refused, f"{text[:60]!r} was accepted: {out.skill}/{out.intent}: {reply.text[:200]}"
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.text), reply.text
    assert await snapshot(h.runtime.services.sessionmaker) == before, f"{text[:60]!r} changed stored data"
    assert "Zenith Foods" not in reply.text and "Zed Retail" not in reply.text


@pytest.mark.parametrize("text", JUNK_TEXT, ids=[f"junk{i}" for i in range(len(JUNK_TEXT))])
async def test_junk_text_gets_a_sendable_answer(world: World, text: str) -> None:
    h = world.h
    await _fresh(h.send, OFFICER_ID)
    out = await h.send(text, user=OFFICER_ID)
    assert_sendable(out)
    for reply in out.replies:
        assert "\x00" not in reply.text and "\u202e" not in reply.text
        assert "<script>" not in reply.text and '<a href="https://x.test">' not in reply.text


ADMIN_REFUSED = [
    "/grant 99999999999999999999999 officer",
    "/grant 5 officer 99999999999999999999999",
    "/grant 5 officer 424242",
    "/grant 5 overlord",
    "/grant",
    "/revoke 99999999999999999999999",
    "/revoke",
    "/revoke 0",
    "/revoke abc",
]


@pytest.mark.parametrize("text", ADMIN_REFUSED)
async def test_admin_commands_with_bad_arguments_are_refused_and_store_nothing(world: World, text: str) -> None:
    h = world.h
    await h.send("/help")  # the console officer (an admin) exists
    before = await snapshot(h.runtime.services.sessionmaker)
    out = await h.send(text)
    assert_sendable(out)
    assert out.replies[0].data.get("error") is True, out.replies[0].text
    assert out.replies[0].text.startswith(("Usage", "You can't")), out.replies[0].text
    assert await snapshot(h.runtime.services.sessionmaker) == before


async def test_control_characters_never_reach_the_database(world: World) -> None:
    h = world.h
    out = await h.send("remind me tomorrow 10am to call\x00 Acme\x1b \u202eback\u202c", user=OFFICER_ID)
    assert out.intent == "set", out.replies[0].text
    assert out.replies[0].data["task"] == "call Acme back"


# -- HTML in names and notes is shown escaped, wherever it comes from -----------------------------------------


async def test_html_in_a_ledger_client_name_is_escaped_everywhere(world: World) -> None:
    h = world.h
    ledger = (
        "client,officer_id,debtor,invoice_no,amount,issue_date,due_date,credit_limit\n"
        f'"{EVIL.replace(chr(34), chr(34) * 2)}",{OFFICER_ID},<i>Buyer</i> & Sons,E-1,400000,2026-07-01,2026-08-01,1000000\n'
    ).encode()
    preview = await h.send("", user=OFFICER_ID, attachment=Attachment("<b>ledger</b>&.csv", ledger))
    assert_sendable(preview)
    confirm = preview.replies[0].buttons[0][0].payload
    done = await h.press(confirm, user=OFFICER_ID)
    assert_sendable(done)
    assert done.replies[0].intent == "import", done.replies[0].text
    listing = await h.send("/clients", user=OFFICER_ID)
    assert_sendable(listing)
    evil = next(c for c in listing.replies[0].data["clients"] if c["name"].startswith("<b>Evil"))
    for step in (
        h.press(f"client:show:{evil['id']}", user=OFFICER_ID),
        h.press(f"alerts:list:{evil['id']}", user=OFFICER_ID),
        h.send("/alerts", user=OFFICER_ID),
        h.send("/flag <i>Buyer</i> & Sons lawsuit <b>sued</b> & <a href=x>", user=OFFICER_ID),
        h.send(f"remind me tomorrow 10am to call {EVIL}", user=OFFICER_ID),
        h.send("/reminders", user=OFFICER_ID),
    ):
        assert_sendable(await step)
    quote = await h.send("quote 1m 90d", user=OFFICER_ID)
    saved = await h.press(f"quote:saveto:{quote.replies[0].data['quote_id']}:{evil['id']}", user=OFFICER_ID)
    assert_sendable(saved)
    assert saved.replies[0].data["saved"] is True
    assert_sendable(await h.send("/quotes", user=OFFICER_ID))
    await h.tick()  # pushes: alert cards on the new client
    for _chat, text, _, _ in h.transport.pushes:
        assert_sendable([__import__("skills.contract", fromlist=["Reply"]).Reply(text=text)])


@pytest.mark.parametrize("name", [EVIL, "<b>", "A & B", "\u202eevil", "x" * 300, "😀"])
async def test_officer_display_names_are_escaped(world: World, name: str) -> None:
    h = world.h
    await h.send("/help", user=OFFICER_ID, name=name)
    out = await h.send("/officers")  # console admin
    assert_sendable(out)
    stored = next(o["name"] for o in out.replies[0].data["officers"] if o["id"] == OFFICER_ID)
    assert "\u202e" not in stored and len(stored) <= 200


async def test_quote_answers_quoting_back_what_was_typed_are_escaped(world: World) -> None:
    h = world.h
    for text in ("/quote", EVIL, "/cancel", "/quote 1m", "<b>soon</b> & later", "/cancel"):
        assert_sendable(await h.send(text, user=OFFICER_ID))
    await h.press(f"quote:save:{world.my_quote}", user=OFFICER_ID)
    assert_sendable(await h.send(EVIL, user=OFFICER_ID))  # "I couldn't find a client of yours in …"


# -- malformed and forged button payloads --------------------------------------------------------------------

BAD_PAYLOADS = [
    "",
    ":",
    "::::",
    "x" * 10_000,
    "quote",
    "quote:",
    "nosuchskill:do:1",
    "router:pick",
    "router:pick:nosuchskill",
    "quote:explain",
    "quote:explain:abc",
    "quote:explain:1:2:3:4:5",
    "quote:saveto:1:²",
    "quote:saveto:2:99999999999999999999999",
    "client:show:99999999999999999999999",
    "client:show:-1",
    "client:show:1;DROP TABLE clients",
    "client:import:1",
    "client:import:x:ok",
    "alerts:ack:1;DROP TABLE alerts",
    "alerts:snooze:999:99999w",
    "alerts:list:",
    "reminders:at:99999999999999999999",
    "reminders:at:100000000000000000",
    "reminders:snz:1:99999999999999999",
    "reminders:done:1.5",
    "objection:log:1:99999999999999999999999",
    "objection:angle:obj.rate-too-high:x:1",
    "objection:show:../../etc/passwd:1",
    "playbook:show:../../etc/passwd",
    "settings:grant:1",
    "help:x",
    "quote:explain:1\n",
    "quote:explain:１",
    "quote:explain:\x00",
]


@pytest.mark.parametrize("data", BAD_PAYLOADS, ids=[f"payload{i}" for i in range(len(BAD_PAYLOADS))])
async def test_malformed_button_payloads_are_refused_and_change_nothing(world: World, data: str) -> None:
    h = world.h
    before = await snapshot(h.runtime.services.sessionmaker)
    out = await h.press(data, user=OFFICER_ID)
    assert_sendable(out)
    assert await snapshot(h.runtime.services.sessionmaker) == before
    assert "Zenith" not in out.replies[0].text


def _forged(w: World) -> list[str]:
    return [
        f"reminders:done:{w.reminder}",
        f"reminders:snz:{w.reminder}:10",
        f"reminders:snz:{w.reminder}:tmr",
        f"reminders:snz:{w.reminder}:pick",
        f"reminders:edit:{w.reminder}",
        f"reminders:cancel:{w.reminder}",
        f"alerts:ack:{w.alert}",
        f"alerts:snooze:{w.alert}:1d",
        f"alerts:snooze:{w.alert}:1w",
        f"alerts:remind:{w.alert}",
        f"alerts:list:{w.zenith}",
        f"quote:explain:{w.quote}",
        f"quote:compare:{w.quote}",
        f"quote:save:{w.quote}",
        f"quote:saveto:{w.quote}:{w.acme}",
        f"quote:saveto:{w.my_quote}:{w.zenith}",
        f"client:show:{w.zenith}",
        f"client:import:{w.pending_import}:ok",
        f"client:import:{w.pending_import}:no",
        f"objection:log:{w.objection_card}:{w.objection_row}",
        f"objection:full:{w.objection_card}:{w.objection_row}",
        f"objection:angle:{w.objection_card}:1:{w.objection_row}",
        f"objection:client:{w.objection_card}:{w.objection_row}:en",
        f"objection:show:{w.objection_card}:{w.objection_row}",
    ]


async def test_forged_buttons_for_another_officers_things_are_refused_and_change_nothing(any_db_world: World) -> None:
    world = any_db_world
    h = world.h
    for lang in ("en", "zh"):
        await h.send(f"/lang {lang}", user=OFFICER_ID)
        for data in _forged(world):
            before = await snapshot(h.runtime.services.sessionmaker)
            out = await h.press(data, user=OFFICER_ID)
            assert_sendable(out)
            reply = out.replies[0]
            assert reply.data.get("error") is True or out.intent == "expired", f"{data}: {reply.text}"
            assert "Zenith" not in reply.text and "Zed Retail" not in reply.text, data
            if lang == "zh":
                assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.text), (data, reply.text)
            assert await snapshot(h.runtime.services.sessionmaker) == before, f"{data} changed stored data"


# -- uploads -------------------------------------------------------------------------------------------------


def _zip_bomb() -> bytes:
    """An .xlsx-named zip whose one sheet is 200 MB of zeros (about 200 KB compressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"0" * (1 << 20)
            for _ in range(200):
                sheet.write(block)
    return buf.getvalue()


def _uploads() -> list[tuple[str, str, bytes]]:
    header = b"client,officer_id,debtor,invoice_no,amount,issue_date,due_date\n"
    return [
        ("binary", "ledger.csv", bytes(range(256)) * 64),
        ("not_a_zip", "ledger.xlsx", b"PK\x03\x04 this is not really a zip" * 10),
        ("empty", "ledger.csv", b""),
        ("empty_xlsx", "ledger.xlsx", b""),
        ("wide_header", "ledger.csv", ",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n1,2\n"),
        ("zip_bomb", "ledger.xlsx", _zip_bomb()),
        ("wrong_type", "ledger.exe", b"MZ\x90\x00"),
        ("no_header", "ledger.csv", b"a,b,c\n1,2,3\n" * 20),
        ("huge_amount", "ledger.csv", header + f"Acme Trading,{OFFICER_ID},B,X-1,{'9' * 40},2026-01-01,2026-03-01\n".encode()),
        ("exp_amount", "ledger.csv", header + f"Acme Trading,{OFFICER_ID},B,X-1,1e308,2026-01-01,2026-03-01\n".encode()),
        ("bad_dates", "ledger.csv", header + f"Acme Trading,{OFFICER_ID},B,X-1,100,31/02/2026,99999-99-99\n".encode()),
        ("other_officers_client", "ledger.csv", header + f"Zenith Foods,{OTHER_OFFICER_ID},Zed Retail,Z-77,100,2026-01-01,2026-03-01\n".encode()),
        ("other_client_as_mine", "ledger.csv", header + f"Zenith Foods,{OFFICER_ID},Zed Retail,Z-78,100,2026-01-01,2026-03-01\n".encode()),
        ("nul_in_csv", "ledger.csv", header + b"Acme\x00,1,2,3\n"),
        ("gb18030_garbage", "ledger.csv", "客户,金额\n".encode("gb18030") + b"\xff\xfe\xfd" * 100),
    ]


UPLOADS = _uploads()


@pytest.mark.parametrize(("label", "name", "content"), UPLOADS, ids=[u[0] for u in UPLOADS])
async def test_bad_uploads_get_a_clear_message_and_store_nothing(
    world: World, label: str, name: str, content: bytes
) -> None:
    h = world.h
    before = await snapshot(h.runtime.services.sessionmaker)
    out = await h.send("", user=OFFICER_ID, attachment=Attachment(name, content))
    assert_sendable(out)
    reply = out.replies[0]
    assert reply.data.get("pending_id") is None, f"{label}: a bad file was kept for import: {reply.text}"
    assert reply.buttons == [], f"{label}: {reply.text}"
    assert "Zenith" not in reply.text or label.startswith("other"), reply.text
    assert await snapshot(h.runtime.services.sessionmaker) == before


async def test_an_oversized_upload_is_refused_before_any_skill(world: World) -> None:
    h = world.h
    limit = h.runtime.settings.portfolio.max_upload_bytes
    before = await snapshot(h.runtime.services.sessionmaker)
    out = await h.send("", user=OFFICER_ID, attachment=Attachment("big.csv", b"a,b\n" * (limit // 4 + 1)))
    assert_sendable(out)
    assert out.replies[0].buttons == [] and out.replies[0].data.get("pending_id") is None
    assert "too large" in out.replies[0].text or "too_big" in str(out.replies[0].data)
    assert await snapshot(h.runtime.services.sessionmaker) == before
