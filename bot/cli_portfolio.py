"""CLI commands for portfolio data: ``python -m bot import FILE`` and ``python -m bot demo``.

``bot/cli.py`` calls :func:`register` with its subparsers; each handler is
``async def fn(settings, args) -> int`` and builds (and closes) its own runtime.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.progress import Progress
from bot.runtime import Runtime
from skills.contract import Officer, Role
from skills.portfolio.api import (
    ImportRejected,
    apply_import,
    ensure_demo,
    load_demo,
    plan_import,
    portfolio_config,
    render_applied,
    render_preview,
    reset_demo,
)
from skills.store.models import Officer as OfficerRow

__all__ = ["demo_command", "ensure_demo", "import_command", "register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` and ``demo`` sub-commands."""
    imp = subparsers.add_parser("import", help="import a receivables ledger (.csv/.xlsx) or an events list")
    imp.add_argument("file", type=Path)
    imp.add_argument("--officer", type=int, default=None, help="import as this officer (default: the console)")
    imp.add_argument("--dry-run", action="store_true", help="show the preview and write nothing")
    imp.add_argument("--yes", action="store_true", help="apply without asking")
    imp.add_argument("--lang", choices=("en", "zh"), default=None)
    imp.add_argument("--json", action="store_true", help="print the counts as JSON")
    imp.set_defaults(handler=import_command)

    demo = subparsers.add_parser("demo", help="load the demo portfolio")
    demo.add_argument("--officer", type=int, default=None, help="give the demo clients to this officer")
    demo.add_argument("--scale", type=int, default=1, help="multiply clients and invoices (50 ≈ 1,000 clients)")
    demo.add_argument("--reset", action="store_true", help="delete the demo clients first")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=demo_command)


def _now(rt: Runtime) -> datetime:
    return rt.services.clock()


async def _officer(rt: Runtime, officer_id: int | None, lang: str | None) -> Officer:
    """The importing officer from the database (created for the console / configured ids if missing)."""
    settings = rt.settings
    oid = settings.console_officer_id if officer_id is None else officer_id
    admin = oid == settings.console_officer_id or oid in settings.admin_user_ids
    async with rt.services.sessionmaker() as session:
        row = await session.get(OfficerRow, oid)
        if row is None:
            row = OfficerRow(
                id=oid,
                name="Console" if oid == settings.console_officer_id else str(oid),
                role="admin" if admin else "officer",
                active=True,
                created_at=_now(rt),
            )
            session.add(row)
            await session.commit()
        team: tuple[int, ...] = ()
        role = Role.ADMIN if admin else Role(row.role)
        if role is Role.MANAGER:
            team = tuple((await session.scalars(select(OfficerRow.id).where(OfficerRow.manager_id == oid))).all())
    return Officer(
        id=oid,
        name=row.name,
        role=role,
        language=lang or row.language or settings.default_language,
        timezone=row.timezone or settings.default_timezone,
        team_ids=team,
    )


async def import_command(settings: Settings, args: argparse.Namespace) -> int:
    """Preview a ledger import, then apply it (``--yes``) or stop (``--dry-run``)."""
    path: Path = args.file
    if not await asyncio.to_thread(path.is_file):
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    rt = await Runtime.create(settings, retriever=False)
    try:
        officer = await _officer(rt, args.officer, args.lang)
        now = _now(rt)
        today = now.astimezone(ZoneInfo(officer.timezone)).date()
        config = portfolio_config(settings)
        async with rt.services.sessionmaker() as session:
            content = await asyncio.to_thread(path.read_bytes)
            with Progress(f"import {path.name}: checking", unit="rows") as checked:
                plan = await plan_import(
                    session, officer, path.name, content, today=today, config=config, progress=checked
                )
            from skills.alerts.api import new_applications, record_imported_applications

            plan.applications_new = await new_applications(session, rt.services.config, plan.applications)
            if not args.json:
                print(_plain(render_preview(plan, officer.language)))
            if plan.error is not None or (plan.rejected and not plan.partial_allowed):
                _json(args, plan.summary(), applied=False)
                return 1
            if args.dry_run or not plan.has_changes:
                _json(args, plan.summary(), applied=False)
                return 0
            if not args.yes and not _confirm():
                _json(args, plan.summary(), applied=False)
                return 0
            try:
                with Progress(f"import {path.name}: writing", unit="rows") as written:
                    applied = await apply_import(session, plan, now=now, progress=written)
            except ImportRejected as exc:
                if not args.json:
                    print(_plain(render_preview(exc.plan, officer.language)))
                await session.rollback()
                return 1
            await record_imported_applications(session, rt.services.config, applied.applications, now=now)
            await session.commit()
            if not args.json:
                print(_plain(render_applied(applied, officer.language)))
            _json(args, applied.summary(), applied=True)
            return 0
    finally:
        await rt.close()


async def demo_command(settings: Settings, args: argparse.Namespace) -> int:
    """Load the demo portfolio for the console officer and admins (or ``--officer``)."""
    if args.scale < 1:
        print("--scale must be 1 or more", file=sys.stderr)
        return 2
    rt = await Runtime.create(settings, retriever=False)
    try:
        if args.officer is not None:
            officer_ids = [args.officer]
        else:
            officer_ids = list(dict.fromkeys([settings.console_officer_id, *settings.admin_user_ids]))
        now = _now(rt)
        today = now.astimezone(ZoneInfo(settings.default_timezone)).date()
        async with rt.services.sessionmaker() as session:
            removed = 0
            if args.reset:
                print("demo: removing the old demo clients", file=sys.stderr, flush=True)
                removed = await reset_demo(session, scale=max(args.scale, 10))
            with Progress("demo: creating", unit="clients") as created:
                summary = await load_demo(
                    session, officer_ids=officer_ids, today=today, scale=args.scale, now=now, progress=created
                )
            await session.commit()
        data = {
            "removed_clients": removed,
            "clients": summary.clients,
            "debtors": summary.debtors,
            "invoices": summary.invoices,
            "events": summary.events,
            "officers": summary.officer_ids,
            "skipped_clients": summary.skipped_clients,
        }
        if args.json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            if removed:
                print(f"removed {removed} demo clients")
            print(
                f"demo portfolio: {summary.clients} clients, {summary.invoices} invoices, {summary.debtors} debtors, "
                f"{summary.events} credit events for officers {', '.join(map(str, summary.officer_ids))}"
                + (f" ({summary.skipped_clients} clients already there, skipped)" if summary.skipped_clients else "")
            )
        return 0
    finally:
        await rt.close()


def _confirm() -> bool:
    if not sys.stdin.isatty():
        print("not applied: pass --yes to apply without a prompt")
        return False
    return input("Apply? [y/N] ").strip().lower() in ("y", "yes", "是")


def _json(args: argparse.Namespace, summary: dict[str, object], *, applied: bool) -> None:
    if args.json:
        print(json.dumps({**summary, "applied": applied}, ensure_ascii=False))


def _plain(text: str) -> str:
    """Telegram HTML → terminal text."""
    import html
    import re

    return html.unescape(re.sub(r"</?(b|i|code|pre)>", "", text))
