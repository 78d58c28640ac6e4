"""The composition root: engine, services, skills, router, dispatcher, the playbook retriever. Adapters build on this.

Everything is built here from typed configuration per layer: :class:`bot.config.Settings` hands the
knowledge layer its :class:`knowledge.config.KnowledgeConfig` (``settings.knowledge``) and the skills their
:class:`skills.config.SkillsConfig` (the settings object itself). The clock is injected once (default: the
wall clock in UTC) and every part reads ``services.clock``.

Heavy resources load lazily: the playbook retriever (embedding model, Chroma, BM25) is a
:class:`knowledge.lazy.LazyRetriever`, loaded on a background thread at start-up (``preload=True``, the
bot and the console) or on the first question (the CLI). Commands, quotes, reminders, alerts and client
cards never wait for it; a question asked before it is ready waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import ConfigError, Settings
from bot.dispatcher import Dispatcher, Transport
from bot.ratelimit import RateLimiter
from bot.router import Router
from bot.send_limits import SendLimits
from bot.worker import BackgroundLoop
from knowledge.config import KnowledgeConfig
from knowledge.heap import release_free_memory
from knowledge.lazy import LazyRetriever
from knowledge.retrieval import Retriever
from skills import regex_cache
from skills.contract import Services, Skill, utc_now
from skills.playbook.api import make_chat_model
from skills.registry import load_skills
from skills.store.migrate import at_heads, upgrade
from skills.store.session import make_engine, make_sessionmaker, unit_of_work

__all__ = ["Runtime", "lazy_retriever", "open_retriever"]

log = logging.getLogger(__name__)


def open_retriever(
    config: KnowledgeConfig, progress: Callable[[int, int], None] | None = None, *, warm: bool = True
) -> Retriever:
    """Load the playbook retriever now (building the index if stale; ``progress`` per embedded batch; ``warm``:
    run a search per language so the first question does not pay for the first use)."""
    from knowledge.embeddings import start_embeddings

    embeddings = start_embeddings(config)  # first: the model loads while the retrieval modules are imported
    from knowledge.service import open_retriever as _open

    return _open(config, progress, warm=warm, embeddings=embeddings)


def lazy_retriever(config: KnowledgeConfig) -> LazyRetriever:
    """The playbook retriever as a :class:`LazyRetriever` (nothing loads until started or searched). Loaded
    ahead of need it is warmed; loaded for a question waiting on it (the CLI), that question warms only what
    it uses (an English question never loads jieba)."""

    def load(progress: Callable[[int, int], None]) -> Retriever:
        return open_retriever(config, progress, warm=not lazy.demanded)

    lazy = LazyRetriever(load)
    return lazy


@dataclass
class Runtime:
    """Everything a running FactorMate needs, built once and closed once."""

    settings: Settings
    engine: AsyncEngine
    services: Services
    skills: list[Skill]
    router: Router
    worker: BackgroundLoop | None = None
    warming: asyncio.Task[None] | None = None
    warmed: bool = False  # the warm-up ran ("now") or was started ("background", start_background)
    _dispatchers: list[Dispatcher] = field(default_factory=list)

    @classmethod
    async def create(
        cls,
        settings: Settings,
        *,
        clock: Callable[[], datetime] | None = None,
        migrate: bool = True,
        retriever: Retriever | bool | None = True,
        preload: bool = True,
        seed_demo: bool = False,
        warm_up: Literal["now", "background", "skip"] = "now",
    ) -> Runtime:
        """Migrate (unless told not to), check the database answers, load skills; the retriever loads lazily.

        ``retriever=True`` gives the real one (a :class:`LazyRetriever`, started at once when ``preload``),
        ``False`` none, or pass a Retriever (tests use fakes). ``seed_demo`` loads the demo portfolio into an
        empty book (``PORTFOLIO__DEMO_ON_EMPTY``). ``warm_up`` runs the skills' warm-ups (training recognisers,
        priming parsers) before returning, in the ``background`` (the bot: its first reply does not wait), or
        not at all (``skip``: the CLI's one message; each skill then prepares on first use). Raises :class:`ConfigError` naming ``DATABASE_URL`` when the
        database cannot be reached.
        """
        regex_cache.use_folder(settings.routing.model_cache)  # the skills' patterns, compiled at an earlier start
        loaded: Retriever | None
        if retriever is True:
            lazy = lazy_retriever(settings.knowledge)
            if preload:
                lazy.start()  # in parallel with migrations and skill warm-up
            loaded = lazy
        elif retriever is False or retriever is None:
            loaded = None
        else:
            loaded = retriever
        engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
        if migrate:
            try:
                # A database already at our heads (the usual start) never loads Alembic.
                if not await at_heads(engine):
                    await asyncio.to_thread(upgrade, settings.database_url)
            except Exception as exc:  # any driver/OS error becomes one line naming the variable
                await engine.dispose()
                raise ConfigError(f"DATABASE_URL: cannot open or migrate the database: {_first_line(exc)}") from exc
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            await engine.dispose()
            raise ConfigError(f"DATABASE_URL: cannot connect: {_first_line(exc)}") from exc
        services = Services(
            sessionmaker=make_sessionmaker(engine),
            config=settings,
            retriever=loaded,
            clock=clock or utc_now,
            chat_model=make_chat_model(settings),
        )
        skills = load_skills()
        for skill in skills:
            skill.configure(services)
        router = Router(
            services,
            skills,
            admin_ids=settings.admin_user_ids,
            allowed_ids=settings.allowed_user_ids,
            limiter=RateLimiter(per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst),
            routing=settings.routing,
        )
        warming = None
        if warm_up == "now":
            await asyncio.to_thread(_warm_up, skills, services, router)
        elif warm_up == "background":
            warming = asyncio.create_task(asyncio.to_thread(_warm_up, skills, services, router), name="warm-up")
        runtime = cls(
            settings=settings,
            engine=engine,
            services=services,
            skills=skills,
            router=router,
            warming=warming,
            warmed=warm_up != "skip",
        )
        if seed_demo:
            await runtime.seed_demo()
        return runtime

    def start_loading(self) -> None:
        """Start loading the playbook (when lazy and not started yet) without waiting for it. The polling bot
        calls this as it starts talking to Telegram: its handshake (``getMe``, ``deleteWebhook``, the first
        ``getUpdates``) is mostly waiting on the network, time the load can use."""
        retriever = self.services.retriever
        if isinstance(retriever, LazyRetriever):
            retriever.start()  # once: later calls return the same load

    def start_background(self) -> None:
        """Start, without waiting for them, the playbook's loading (when lazy and not started) and then, once, the
        skills' warm-up on a thread. The polling bot and the console call this when they start receiving, so
        their start-up (imports, database, Bot API handshake) has the CPU to itself; the warm-up waits for the
        playbook (loaded or failed), so the two do not share the CPU and the playbook is ready about twice as
        soon. A message that comes before the warm-up is done prepares what it needs itself, as with ``skip``."""
        retriever = self.services.retriever
        lazy = retriever if isinstance(retriever, LazyRetriever) else None
        self.start_loading()

        async def warm_up() -> None:
            if lazy is not None:
                with contextlib.suppress(Exception):  # a failed load is logged and answered where it is needed
                    await lazy.wait()
            await asyncio.to_thread(_warm_up, self.skills, self.services, self.router)

        if not self.warmed:
            self.warmed = True
            self.warming = asyncio.create_task(warm_up(), name="warm-up")

    async def seed_demo(self) -> bool:
        """Load the demo portfolio when the book is empty and ``PORTFOLIO__DEMO_ON_EMPTY`` is on; True if loaded.

        A freshly loaded demo is swept at once, so ``/alerts``, client cards and ``/portfolio`` show its alerts
        from the first message, in every mode (``ask`` and the console run no dispatcher that would sweep).
        The sweep queues the start-up digest in the outbox as the dispatcher's own first sweep would; that
        sweep then finds nothing new, so nothing is pushed twice."""
        from skills.alerts.api import sweep_clients
        from skills.portfolio.api import ensure_demo

        if not await ensure_demo(self):
            return False
        async with unit_of_work(self.services.sessionmaker) as session:
            await sweep_clients(session, self.services.config, self.services.clock())
        return True

    @property
    def retriever_ready(self) -> bool:
        """The playbook retriever is loaded (always True for an injected one; False when there is none)."""
        retriever = self.services.retriever
        if isinstance(retriever, LazyRetriever):
            return retriever.ready
        return retriever is not None

    async def wait_for_retriever(self) -> None:
        """Wait until the playbook retriever has loaded (starting it if needed); raises if loading failed."""
        retriever = self.services.retriever
        if isinstance(retriever, LazyRetriever):
            await retriever.wait()

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
        dispatcher = Dispatcher(
            self.services,
            transport,
            self.skills,
            instance_id=self.settings.instance_id or None,
            batch=self.settings.dispatch_batch,
            lease=timedelta(seconds=self.settings.dispatch_lease_seconds),
            clock=clock or self.services.clock,
            run_job=run_job,
            max_attempts=self.settings.dispatch_max_attempts,
            limits=SendLimits(
                per_second=self.settings.dispatch_rate_per_second,
                per_chat_per_second=self.settings.dispatch_chat_rate_per_second,
            ),
            auth_probe_seconds=self.settings.dispatch_auth_probe_seconds,
            admin_ids=self.settings.admin_user_ids,
            retention=timedelta(days=self.settings.outbox_retention_days),
            prune_batch=self.settings.outbox_prune_batch,
        )
        self._dispatchers.append(dispatcher)
        return dispatcher

    async def close(self) -> None:
        if self.warming is not None:
            await asyncio.wait([self.warming])  # a warm-up thread must not outlive the runtime
        retriever = self.services.retriever
        if isinstance(retriever, LazyRetriever):
            await retriever.finish()  # stop a cold index build at its next batch; never exit mid native call
        for dispatcher in self._dispatchers:  # a retention run in progress finishes its batch first
            await dispatcher.wait_pruned()
        if self.worker is not None:
            await asyncio.to_thread(self.worker.close)
            self.worker = None
        await self.engine.dispose()
        regex_cache.save()  # patterns first compiled in this run (usually none: the warm-up or install kept them)


# How long, in all, the warm-up may hold back for officers' messages before it carries on regardless.
_GIVE_WAY_BUDGET = 5.0


def _warm_up(skills: list[Skill], services: Services, router: Router) -> None:
    started = time.perf_counter()
    budget = [_GIVE_WAY_BUDGET]
    router.arbiter.warm_up()  # first: every free-text message needs the routing classifier (trained or loaded)
    for skill in skills:
        _give_way(router, budget)
        skill.warm_up(services)
    regex_cache.save()  # what the warm-up compiled, for the next start
    release_free_memory()  # training's scratch buffers, freed but still held by the C heap
    log.info("skills warmed up in %.1fs", time.perf_counter() - started)


def _give_way(router: Router, budget: list[float]) -> None:
    """Before the next warm-up step (each holds the GIL for 20-300 ms), wait while officers' messages are
    being handled, so a message that comes during the warm-up is answered at full speed rather than sharing
    the CPU with it. ``budget`` (seconds, shared by all the steps) bounds the waiting: a steady stream of
    messages delays the warm-up, never cancels it."""
    while router.busy and budget[0] > 0:
        time.sleep(0.005)
        budget[0] -= 0.005


def _first_line(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()
    return text_[0] if text_ else type(exc).__name__
