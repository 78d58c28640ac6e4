"""Composition of the runtime: engine, services, skills, router, dispatcher. Adapters build on this."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import ConfigError, Settings
from bot.dispatcher import Dispatcher, Transport
from bot.ratelimit import RateLimiter
from bot.router import Router
from bot.worker import BackgroundLoop
from knowledge.retrieval import Retriever
from skills.contract import Services, Skill
from skills.registry import load_skills
from skills.store.migrate import upgrade
from skills.store.session import make_engine, make_sessionmaker

__all__ = ["Runtime", "open_retriever"]

log = logging.getLogger(__name__)


def open_retriever(settings: Settings) -> Retriever | None:
    """Load the playbook retriever (building the index if stale); None if the knowledge layer is absent."""
    if importlib.util.find_spec("knowledge.service") is None:
        return None
    from knowledge.service import open_retriever as _open  # type: ignore[import-not-found,unused-ignore]

    return _open(settings)  # type: ignore[no-any-return]


@dataclass
class Runtime:
    """Everything a running FactorMate needs, built once and closed once."""

    settings: Settings
    engine: AsyncEngine
    services: Services
    skills: list[Skill]
    router: Router
    worker: BackgroundLoop | None = None

    @classmethod
    async def create(
        cls,
        settings: Settings,
        *,
        clock: Callable[[], datetime] | None = None,
        migrate: bool = True,
        retriever: Retriever | bool | None = True,
    ) -> Runtime:
        """Migrate (unless told not to), check the database answers, load skills and the retriever.

        ``retriever=True`` loads the real one, ``False`` none, or pass a Retriever (tests use fakes).
        Raises :class:`ConfigError` naming ``DATABASE_URL`` when the database cannot be reached.
        """
        if migrate:
            try:
                await asyncio.to_thread(upgrade, settings.database_url)
            except Exception as exc:  # any driver/OS error becomes one line naming the variable
                raise ConfigError(f"DATABASE_URL: cannot open or migrate the database: {_first_line(exc)}") from exc
        engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            await engine.dispose()
            raise ConfigError(f"DATABASE_URL: cannot connect: {_first_line(exc)}") from exc
        if retriever is True:
            loaded: Retriever | None = await asyncio.to_thread(open_retriever, settings)
        elif retriever is False:
            loaded = None
        else:
            loaded = retriever  # type: ignore[assignment]
        services = Services(sessionmaker=make_sessionmaker(engine), config=settings, retriever=loaded, clock=clock)
        skills = load_skills()
        for skill in skills:
            await asyncio.to_thread(skill.warm_up, services)
        router = Router(
            services,
            skills,
            admin_ids=settings.admin_user_ids,
            allowed_ids=settings.allowed_user_ids,
            limiter=RateLimiter(per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst),
            routing=settings.routing,
        )
        return cls(settings=settings, engine=engine, services=services, skills=skills, router=router)

    def dispatcher(
        self, transport: Transport, *, clock: Callable[[], datetime] | None = None, background: bool = False
    ) -> Dispatcher:
        """A dispatcher sending this runtime's outbox through ``transport``.

        ``background=True`` runs the skills' periodic jobs (reminder pick-up, alert sweep) on a worker
        thread's loop with its own engine, so a long sweep never stalls replies on the main loop.
        """
        run_job = None
        if background:
            if self.worker is None:
                self.worker = BackgroundLoop(
                    self.services, self.settings.database_url, sqlite_synchronous=self.settings.sqlite_synchronous
                )
            run_job = self.worker.run
        return Dispatcher(
            self.services,
            transport,
            self.skills,
            instance_id=self.settings.instance_id or None,
            batch=self.settings.dispatch_batch,
            lease=timedelta(seconds=self.settings.dispatch_lease_seconds),
            clock=clock or self.services.clock,
            run_job=run_job,
        )

    async def close(self) -> None:
        if self.worker is not None:
            await asyncio.to_thread(self.worker.close)
            self.worker = None
        await self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()
    return text_[0] if text_ else type(exc).__name__
