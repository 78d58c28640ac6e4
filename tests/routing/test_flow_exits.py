"""Scripted flow exits (tests/routing/flow_exits.yaml) through the real router, as an officer would type them.

An open flow keeps a message that answers its question; a clearly different request is served at once and
the flow is offered back; "cancel"/"取消" end it as /cancel does; nothing is created by a non-answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.router import Outcome
from skills.contract import Attachment
from skills.portfolio.models import Invoice
from skills.quote.models import Quote
from skills.reminders.models import Reminder
from skills.store.models import Conversation
from tests.fixtures.harness import ConsoleHarness

SCRIPTS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("flow_exits.yaml")).read_text(encoding="utf-8")
)


async def _counts(h: ConsoleHarness) -> dict[str, int]:
    async with h.runtime.services.sessionmaker() as s:
        return {
            "quotes": int(await s.scalar(select(func.count()).select_from(Quote)) or 0),
            "saved": int(
                await s.scalar(select(func.count()).select_from(Quote).where(Quote.saved_at.is_not(None))) or 0
            ),
            "reminders": int(await s.scalar(select(func.count()).select_from(Reminder)) or 0),
            "invoices": int(await s.scalar(select(func.count()).select_from(Invoice)) or 0),
        }


async def _open_flow(h: ConsoleHarness) -> str | None:
    async with h.runtime.services.sessionmaker() as s:
        conv = await s.get(Conversation, 0)
        return conv.skill if conv is not None else None


def _check(step: str, out: Outcome, expect: dict[str, Any], flow: str | None) -> list[str]:
    first = out.replies[0]
    last = out.replies[-1]
    kept = last.data.get("open_flow") if last.intent == "flow_kept" else False
    got = {
        "skill": out.skill,
        "intent": first.intent or out.intent,
        "awaiting": first.data.get("awaiting"),
        "kept": kept,
        "open": flow,
        "text": first.text,
    }
    problems = [
        f"{step!r}: {key} is {got[key]!r}, expected {want!r}"
        for key, want in expect.items()
        if key in got and got[key] != want
    ]
    if "not_skill" in expect and out.skill == expect["not_skill"]:
        problems.append(f"{step!r}: went to {out.skill}")
    for key, want in (expect.get("data") or {}).items():
        if first.data.get(key) != want:
            problems.append(f"{step!r}: data[{key!r}] is {first.data.get(key)!r}, expected {want!r}")
    return problems


def test_there_are_at_least_forty_scripts() -> None:
    assert len(SCRIPTS) >= 40


@pytest.mark.parametrize("script", SCRIPTS, ids=[s["name"] for s in SCRIPTS])
async def test_flow_exit_script(demo: ConsoleHarness, script: dict[str, Any]) -> None:
    lang = script.get("lang", "en")
    before = await _counts(demo)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for step in script["steps"]:
        if "press" in step:
            label = step["press"].format(**values)
            out = await demo.press(label, lang=lang)
        elif "upload" in step:  # a ledger file sent as a document: {upload: <csv text>}
            label = "(ledger.csv)"
            out = await demo.send("", lang=lang, attachment=Attachment("ledger.csv", step["upload"].encode()))
            preview = out.replies[0].buttons[0] if out.replies[0].buttons else []
            values.update(zip(("confirm", "discard"), (b.payload for b in preview), strict=False))
        else:
            label = step["send"]
            out = await demo.send(label, lang=lang)
        for reply in out.replies:
            values.update({k: v for k, v in reply.data.items() if k in ("quote_id", "reminder_id") and v})
        problems += _check(label, out, step.get("expect") or {}, await _open_flow(demo))
    after = await _counts(demo)
    created = {k: after[k] - before[k] for k in after}
    for key, want in (script.get("created") or {}).items():
        if created[key] != want:
            problems.append(f"created {created[key]} {key}, expected {want}")
    assert not problems, "\n".join(problems)
