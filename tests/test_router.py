"""The router: access guard, commands, buttons, conversations, free text, clarification — through the harness."""

from __future__ import annotations

from skills.contract import Reply, Request, Services, Skill
from tests.conftest import ADMIN_ID, OFFICER_ID, OTHER_OFFICER_ID, STRANGER_ID
from tests.fixtures.harness import ConsoleHarness


async def test_help_in_english_then_chinese_after_lang(harness: ConsoleHarness) -> None:
    en = await harness.send("/help")
    assert en.skill == "help" and "What I can do" in en.replies[0].text
    assert (await harness.send("/lang zh")).replies[0].text == "语言已切换为中文。"
    zh = await harness.send("/help")
    assert "保理业务助手" in zh.replies[0].text and zh.replies[0].data["lang"] == "zh"


async def test_language_follows_telegram_then_script(harness: ConsoleHarness) -> None:
    by_code = await harness.send("/help", user=OFFICER_ID, language_code="zh-hans")
    assert by_code.replies[0].data["lang"] == "zh"
    by_script = await harness.send("你好", user=OTHER_OFFICER_ID, language_code=None)
    assert by_script.officer is not None and by_script.officer.language == "zh"


async def test_stranger_is_refused_with_their_id_and_nothing_else(harness: ConsoleHarness) -> None:
    out = await harness.send("/help", user=STRANGER_ID)
    assert out.skill == "access"
    assert str(STRANGER_ID) in out.replies[0].text and out.replies[0].buttons == []
    assert out.replies[0].data == {"refused": True, "user_id": STRANGER_ID}


async def test_admin_only_commands_are_refused_to_officers(harness: ConsoleHarness) -> None:
    out = await harness.send("/grant 5 admin", user=OFFICER_ID)
    assert out.replies[0].text == "That command is for admins only."
    granted = await harness.send("/grant 5 manager", user=ADMIN_ID)
    assert granted.replies[0].data == {"user_id": 5, "role": "manager"}
    assert (await harness.send("/help", user=5)).skill == "help"


async def test_revoke_overrides_the_env_allowlist(harness: ConsoleHarness) -> None:
    await harness.send(f"/revoke {OFFICER_ID}", user=ADMIN_ID)
    assert (await harness.send("/help", user=OFFICER_ID)).skill == "access"
    await harness.send(f"/grant {OFFICER_ID}", user=ADMIN_ID)
    assert (await harness.send("/help", user=OFFICER_ID)).skill == "help"


async def test_bad_input_gets_a_specific_message_and_changes_nothing(harness: ConsoleHarness) -> None:
    bad = await harness.send("/tz Mars/Olympus")
    assert bad.replies[0].data["error"] is True and "Mars/Olympus" in bad.replies[0].text
    shown = await harness.send("/tz")
    assert shown.replies[0].data == {"timezone": "Asia/Shanghai"}
    assert (await harness.send("/grant abc")).replies[0].text.startswith("Usage: /grant")


async def test_unknown_command_and_cancel(harness: ConsoleHarness) -> None:
    assert "/frobnicate" in (await harness.send("/frobnicate")).replies[0].text
    assert (await harness.send("/cancel")).replies[0].text == "Nothing to cancel."


async def test_unclear_text_gets_choices_and_a_choice_routes_the_original_text(harness: ConsoleHarness) -> None:
    class Echo(Skill):
        name = "playbook"

        async def handle(self, request: Request, services: Services) -> Reply:
            return Reply(text=f"echo: {request.text}")

    harness.runtime.router.skills["playbook"] = Echo()
    unclear = await harness.send("zzqx wvvb")
    assert unclear.skill == "router" and unclear.intent == "clarify"
    payloads = [b.payload for row in unclear.replies[0].buttons for b in row]
    assert "router:pick:playbook" in payloads
    picked = await harness.press("router:pick:playbook")
    assert picked.replies[0].text == "echo: zzqx wvvb"
    again = await harness.press("router:pick:playbook")
    assert again.intent == "expired", "a used choice does not replay"


async def test_conversation_state_continues_then_times_out(harness: ConsoleHarness) -> None:
    class Steps(Skill):
        name = "quote"
        from skills.contract import Command

        commands = (Command("steps", "steps", "步骤"),)

        async def handle(self, request: Request, services: Services) -> Reply:
            if request.state is None:
                return Reply(text="amount?", state={"step": 1})
            return Reply(text=f"got {request.text} at step {request.state['step']}", state=Reply.END)

    skill = Steps()
    harness.runtime.router.skills["quote"] = skill
    harness.runtime.router.commands["steps"] = (skill, skill.commands[0])
    assert (await harness.send("/steps")).replies[0].text == "amount?"
    assert (await harness.send("1m")).replies[0].text == "got 1m at step 1"
    await harness.send("/steps")
    harness.clock.advance(minutes=16)
    late = await harness.send("1m")
    assert late.skill != "quote", "an expired conversation does not swallow the next message"


async def test_malformed_button_payloads_are_refused_politely(harness: ConsoleHarness) -> None:
    for payload in ["", ":::", "nosuchskill:do:1", "router:pick", "router:pick:quote"]:
        out = await harness.press(payload)
        assert out.intent == "expired", payload


async def test_an_officer_flooding_the_bot_is_slowed_politely(sqlite_url: str, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_settings

    h = await ConsoleHarness.create(
        make_settings(sqlite_url, tmp_path, rate_limit_per_minute=30, rate_limit_burst=3), clock=clock
    )
    try:
        outcomes = [await h.send("/help", user=OFFICER_ID) for _ in range(4)]
        assert [o.skill for o in outcomes] == ["help", "help", "help", "router"]
        assert outcomes[-1].replies[0].text.startswith("You're sending messages faster")
        assert (await h.send("/help", user=OTHER_OFFICER_ID)).skill == "help", "other officers are not affected"
        clock.advance(seconds=2)
        assert (await h.send("/help", user=OFFICER_ID)).skill == "help"
    finally:
        await h.close()


async def test_thanks_gets_a_short_reply_not_a_question_and_a_request_after_thanks_is_served(
    harness: ConsoleHarness,
) -> None:
    for text, lang in (
        ("thx", "en"),
        ("thank you so much!", "en"),
        ("ok cool 👍", "en"),
        ("好的，谢谢！", "zh"),
        ("收到", "zh"),
    ):
        out = await harness.send(text, lang=lang)
        assert (out.skill, out.replies[0].intent) == ("help", "thanks"), text
        assert len(out.replies[0].text) < 60  # one line, not the whole help
    served = await harness.send("thanks, remind me tomorrow 10 to call Acme")
    assert served.skill == "reminders"
    assert "10:00" in served.replies[0].text
