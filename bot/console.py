"""The console chat: the same router and skills as Telegram, in a terminal; buttons are numbered choices.

Pushes (reminders, alerts) are printed as they come due, from the same dispatcher and outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.access import Caller
from bot.config import ROOT, Settings
from bot.messages import MESSAGES
from bot.router import Incoming
from bot.runtime import Runtime
from skills.contract import Button, Reply
from skills.i18n import t

__all__ = ["ConsoleTransport", "render_text", "run_console"]

_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>")
IMAGE_DIR = ROOT / "data" / "images"


def render_text(text: str) -> str:
    """Telegram HTML → terminal text (tags dropped, entities unescaped)."""
    return html.unescape(_TAG.sub("", text))


def _save_image(image: bytes, name: str) -> Path:
    IMAGE_DIR.mkdir(parents=True, exist_ok=True)
    path = IMAGE_DIR / f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{name}"
    path.write_bytes(image)
    return path


class ConsoleTransport:
    """Prints pushes to the terminal (the console officer's 'phone')."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None:
        self.count += 1
        self.out.write(f"\n🔔 {render_text(text)}\n")
        if image:
            self.out.write(f"[image saved: {_save_image(image, 'push.png')}]\n")
        for label in [b.label for row in buttons for b in row]:
            self.out.write(f"   · {label}\n")
        self.out.flush()
        return self.count


class _Console:
    def __init__(self, runtime: Runtime, out: TextIO, now: datetime | None) -> None:
        self.runtime = runtime
        self.out = out
        self.fixed_now = now
        self.choices: list[Button] = []
        self.caller = Caller(user_id=runtime.settings.console_officer_id, name="Console", console=True)

    def show(self, replies: list[Reply]) -> None:
        self.choices = [b for reply in replies for row in reply.buttons for b in row if b.payload]
        number = 0
        for reply in replies:
            self.out.write(render_text(reply.text) + "\n")
            if reply.image:
                self.out.write(f"[chart saved: {_save_image(reply.image, reply.image_name)}]\n")
            for row in reply.buttons:
                for button in row:
                    if button.payload:
                        number += 1
                        self.out.write(f"  [{number}] {button.label}\n")
                    elif button.url:
                        self.out.write(f"  {button.label}: {button.url}\n")
        self.out.flush()

    async def handle_line(self, line: str) -> None:
        text = line.strip()
        incoming = Incoming(caller=self.caller, chat_id=self.caller.user_id, now=self.fixed_now)
        if text.isdigit() and self.choices and 1 <= int(text) <= len(self.choices):
            incoming.payload = self.choices[int(text) - 1].payload
        else:
            incoming.text = text
        outcome = await self.runtime.router.handle(incoming)
        self.show(outcome.replies)


async def run_console(
    settings: Settings,
    *,
    intro: bool = False,
    now: datetime | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Chat in the terminal until /quit or end of input. Pushes are printed as they come due."""
    inp, out = stdin or sys.stdin, stdout or sys.stdout
    # The playbook and then the warm-up start with the first prompt (below), so start-up does not compete with them.
    runtime = await Runtime.create(
        settings, retriever=settings.load_playbook, preload=False, seed_demo=True, warm_up="skip"
    )
    console = _Console(runtime, out, now)
    dispatcher = runtime.dispatcher(ConsoleTransport(out), background=True)
    stop = asyncio.Event()

    async def pump() -> None:
        while not stop.is_set():
            await dispatcher.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.dispatch_interval)

    if intro:
        out.write(t(MESSAGES, "console_intro", settings.default_language) + "\n")
    out.write("> ")
    out.flush()
    runtime.start_background()
    pump_task = asyncio.create_task(pump())
    try:
        while True:
            line = await asyncio.to_thread(inp.readline)
            if not line:
                break
            if line.strip() in ("/quit", "/exit"):
                break
            if line.strip():
                await console.handle_line(line)
            out.write("> ")
            out.flush()
    finally:
        stop.set()
        await pump_task
        await runtime.close()
    out.write("\n")
    return 0
