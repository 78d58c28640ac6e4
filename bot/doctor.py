"""``python -m bot doctor``: check configuration, database, index (or the Chroma server), model, Telegram
and push delivery (paused on a refused token, dead letters, late pushes), and say what to fix."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

import httpx
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.config import Settings
from bot.delivery_status import delivery_status
from skills.store.migrate import alembic_config
from skills.store.session import make_engine, make_sessionmaker

__all__ = ["Check", "run_doctor"]


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


async def _database(settings: Settings) -> Check:
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            try:
                current = set((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all())
            except Exception:  # no table yet: never migrated
                current = set()
    except Exception as exc:
        return Check(
            "database",
            False,
            f"cannot connect: {str(exc).splitlines()[0]}",
            "check DATABASE_URL and that the server runs",
        )
    finally:
        await engine.dispose()
    heads = set(ScriptDirectory.from_config(alembic_config(settings.database_url)).get_heads())
    if current != heads:
        missing = ", ".join(sorted(heads - current)) or "-"
        return Check("database", False, f"schema not up to date (missing {missing})", "run: python -m bot migrate")
    return Check("database", True, f"reachable, schema at {len(heads)} head(s)")


async def _chroma_server(settings: Settings) -> Check | None:
    """With CHROMA_HOST set, the index lives on that server: is it up? (None: embedded index.)"""
    if not settings.chroma_host:
        return None
    base = f"http://{settings.chroma_host}:{settings.chroma_port}"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(f"{base}/api/v2/heartbeat")
            if response.status_code == 404:
                response = await client.get(f"{base}/api/v1/heartbeat")
    except httpx.HTTPError as exc:
        return Check(
            "index",
            False,
            f"Chroma server {base} unreachable ({type(exc).__name__})",
            "start the Chroma server (chroma run --host 0.0.0.0 --port "
            f"{settings.chroma_port}) or fix CHROMA_HOST/CHROMA_PORT; unset CHROMA_HOST to use the embedded index",
        )
    if response.status_code >= 400:
        return Check(
            "index", False, f"Chroma server {base} answers HTTP {response.status_code}", "check the Chroma server's log"
        )
    return None


async def _index(settings: Settings) -> Check:
    server = await _chroma_server(settings)
    if server is not None:
        return server
    from bot.runtime import open_retriever

    try:
        retriever = await asyncio.to_thread(open_retriever, settings.knowledge)
    except Exception as exc:
        return Check("index", False, f"cannot open: {str(exc).splitlines()[0]}", "run: python -m bot index")
    if retriever is None:
        return Check("index", False, "not loaded", "run: python -m bot index")
    hits = await asyncio.to_thread(retriever.search, "how do I explain factoring", 1)
    return Check(
        "index", bool(hits), f"loaded ({'answers' if hits else 'empty'})", "" if hits else "run: python -m bot index"
    )


async def _model(settings: Settings) -> Check:
    from knowledge.embeddings import EmbeddingModelError, embeddings_for

    embeddings = embeddings_for(settings.knowledge)
    try:
        await asyncio.to_thread(embeddings.load)
    except EmbeddingModelError as exc:
        return Check("model", False, str(exc).splitlines()[0], "run: make install (or set EMBEDDINGS=onnx)")
    return Check("model", True, f"{embeddings.model_id} loads")


async def _telegram(settings: Settings) -> Check:
    if settings.telegram_bot_token is None:
        return Check("telegram", True, "no token: the console chat will run (set TELEGRAM_BOT_TOKEN for Telegram)")
    url = f"{settings.telegram_api_base_url}{settings.telegram_bot_token.get_secret_value()}/getMe"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:
        return Check("telegram", False, f"unreachable: {type(exc).__name__}", "check network / TELEGRAM_API_BASE_URL")
    if response.status_code == 401:
        return Check("telegram", False, "token rejected (401)", "paste the current token from @BotFather")
    if response.status_code != 200:
        return Check("telegram", False, f"HTTP {response.status_code}", "check TELEGRAM_API_BASE_URL")
    username = response.json().get("result", {}).get("username", "?")
    return Check("telegram", True, f"reachable as @{username}")


async def _delivery(settings: Settings) -> Check:
    """Push delivery as the running instances left it in the database."""
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            status = await delivery_status(session, datetime.now(UTC))
    except Exception as exc:  # not migrated yet, or no database: the database check says what to do
        return Check("delivery", False, f"cannot read: {str(exc).splitlines()[0][:120]}", "run: python -m bot migrate")
    finally:
        await engine.dispose()
    parts = [f"dead letters in the last hour: {status.dead_letters_last_hour}"]
    if status.oldest_pending_seconds is not None:
        parts.append(f"oldest waiting push: {status.oldest_pending_seconds:.0f} s past due")
    if status.unreadable_answers_last_day:
        parts.append(
            f"pushes delivered with an unreadable answer in the last day: {status.unreadable_answers_last_day} "
            "(not re-sent; see docs/deploy.md)"
        )
    if status.unreachable_officers:
        parts.append(f"officers unreachable (blocked the bot): {status.unreachable_officers} — see /officers")
    if status.paused_since is not None:
        return Check(
            "delivery",
            False,
            f"PAUSED since {status.paused_since:%Y-%m-%d %H:%M} UTC: Telegram refused the token ({status.pause_reason}); "
            + "; ".join(parts),
            "paste the current token from @BotFather into TELEGRAM_BOT_TOKEN and restart; pushes are kept and "
            "go out by themselves once the token works",
        )
    if status.late:
        return Check(
            "delivery",
            False,
            "; ".join(parts),
            "pushes are late: is an instance running (python -m bot)? check its log for errors",
        )
    return Check("delivery", True, "; ".join(parts))


CHECKS: list[Callable[[Settings], Awaitable[Check]]] = [_database, _model, _index, _telegram, _delivery]


async def run_doctor(settings: Settings, out: TextIO) -> int:
    """Run every check; exit code 1 when any fails."""
    results = [Check("configuration", True, "settings load and validate")]
    for check in CHECKS:
        results.append(await check(settings))
    for r in results:
        out.write(f"{'✓' if r.ok else '✗'} {r.name:<14} {r.detail}\n")
        if not r.ok and r.fix:
            out.write(f"  → {r.fix}\n")
    return 0 if all(r.ok for r in results) else 1
