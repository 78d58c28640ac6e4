"""``python -m bot``: run, chat, ask, migrate, config, plus subcommands that skills' CLI modules add.

Every subcommand handler is ``async def handler(settings, args) -> int``; configuration errors print one
line naming the variable and exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TextIO

from bot import cli_knowledge, cli_portfolio, cli_train, collector_paused
from bot.access import Caller
from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import setup_logging
from bot.router import Incoming
from bot.runtime import Runtime

__all__ = ["main"]

log = logging.getLogger(__name__)

Handler = Callable[[Settings, argparse.Namespace], Awaitable[int]]


def _parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--now: not an ISO-8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError("--now: give an offset, e.g. 2026-11-30T09:00:00+08:00")
    return parsed.astimezone(UTC)


async def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Route one message (or one per stdin line with ``-``) and print JSON."""
    # The model loads on the first question that needs it (not for /help, quotes, reminders…).
    runtime = await Runtime.create(
        settings, retriever=settings.load_playbook, preload=False, seed_demo=True, warm_up="skip"
    )
    try:
        caller = Caller(
            user_id=args.user if args.user is not None else settings.console_officer_id,
            console=args.user is None,
            name="Console" if args.user is None else "",
            lang_override=args.lang,
            tz_override=args.tz,
        )
        lines = sys.stdin if args.text == "-" else [args.text]
        for line in lines:
            text = line.rstrip("\n")
            if not text.strip():
                continue
            incoming = Incoming(caller=caller, chat_id=caller.user_id, now=args.now)
            if text.startswith("button:"):
                incoming.payload = text.removeprefix("button:")
            else:
                incoming.text = text
            outcome = await runtime.router.handle(incoming)
            payload = outcome.as_json()
            print(json.dumps(payload, ensure_ascii=False, indent=None if args.text == "-" else 2), flush=True)
    finally:
        await runtime.close()
    return 0


async def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    """Apply database migrations."""
    runtime = await Runtime.create(settings, retriever=False)
    await runtime.close()
    print(f"database migrated: {_safe_url(settings.database_url)}")
    return 0


async def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """The console chat on the same skills."""
    from bot.console import run_console

    return await run_console(settings, now=args.now)


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run on Telegram when a token is set (polling, or webhook with WEBHOOK_URL); else the console chat."""
    if settings.telegram_bot_token is None:
        from bot.console import run_console

        return await run_console(settings, intro=True)
    from bot.tls import prepare_tls_context

    prepare_tls_context()  # OpenSSL reads the CA bundle on the other core while python-telegram-bot imports
    with collector_paused():  # python-telegram-bot's modules, as for the rest of the bot in __main__
        from bot.telegram_app import run_telegram

    return await run_telegram(settings)


async def cmd_config(settings: Settings, args: argparse.Namespace) -> int:
    """Print a documented .env example generated from the settings model."""
    from bot.env_example import render_env_example

    sys.stdout.write(render_env_example())
    return 0


async def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    """Check configuration, database, index, model and Telegram reachability."""
    from bot.doctor import run_doctor

    return await run_doctor(settings, sys.stdout)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="FactorMate — the factoring officer's assistant")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="start the bot (Telegram with a token, else the console chat)")
    run.set_defaults(handler=cmd_run)

    chat = sub.add_parser("chat", help="console chat on the same skills (buttons as numbered choices)")
    chat.add_argument("--now", type=_parse_now, default=None, help="fix the clock (ISO-8601 with offset)")
    chat.set_defaults(handler=cmd_chat)

    ask = sub.add_parser("ask", help="route one message and print the reply as JSON")
    ask.add_argument("text", help="the message, or - to read one message per line from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (the only format; accepted for clarity)")
    ask.add_argument("--user", type=int, default=None, help="act as this Telegram user id (default: console admin)")
    ask.add_argument("--lang", choices=("en", "zh"), default=None)
    ask.add_argument("--tz", default=None, help="IANA timezone, e.g. Asia/Shanghai")
    ask.add_argument("--now", type=_parse_now, default=None, help="fix the clock (ISO-8601 with offset)")
    ask.set_defaults(handler=cmd_ask)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=cmd_migrate)

    config = sub.add_parser("config", help="print a documented .env example of every setting")
    config.set_defaults(handler=cmd_config)

    doctor = sub.add_parser("doctor", help="check configuration, database, index, model, Telegram; say what to fix")
    doctor.set_defaults(handler=cmd_doctor)

    for extension in (cli_knowledge, cli_portfolio, cli_train):
        extension.register(sub)
    return parser


def main(argv: list[str] | None = None, *, stderr: TextIO | None = None) -> int:
    """Entry point; returns the exit code."""
    err = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    if getattr(args, "tz", None):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            print(f"--tz: unknown timezone {args.tz!r}", file=err)
            return 2
    try:
        settings = load_settings()
        setup_logging(settings)
        return asyncio.run(args.handler(settings, args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=err)
        return 2
    except KeyboardInterrupt:
        return 130
