"""``python -m bot doctor``: check configuration, database, index, model and Telegram, and say what to fix."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

import httpx
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.config import Settings
from skills.store.migrate import alembic_config
from skills.store.session import make_engine

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


async def _index(settings: Settings) -> Check:
    if importlib.util.find_spec("knowledge.service") is None:
        return Check("index", False, "knowledge layer missing", "reinstall the project")
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
    from knowledge.embeddings import EmbeddingModelError, make_embeddings

    embeddings = make_embeddings(settings.embeddings, threads=settings.embedding_threads)
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


CHECKS: list[Callable[[Settings], Awaitable[Check]]] = [_database, _model, _index, _telegram]


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
