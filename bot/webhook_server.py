"""Webhook mode server (aiohttp): ``POST /<path>`` takes Telegram updates, ``GET /healthz`` answers the balancer.

Updates are accepted only with the right ``X-Telegram-Bot-Api-Secret-Token`` (constant-time compare) and
handed to the Application's update queue; ``/healthz`` checks the database answers, the index is loaded
and sending is not paused, and reports the dispatcher's state and the instance id.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application

from bot.delivery_status import delivery_status
from bot.logging_setup import instance_id
from bot.runtime import Runtime

__all__ = ["WebhookServer", "health"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000


async def health(runtime: Runtime) -> tuple[bool, dict[str, Any]]:
    """Database reachable, playbook index loaded and sending not paused on a refused token → healthy.

    The report also carries the dispatcher's state: dead letters in the last hour, the oldest push
    still waiting (seconds past due), officers Telegram cannot reach, and which instance answered.
    """
    report: dict[str, Any] = {}
    ok = True
    try:
        async with runtime.services.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:  # health must report, never raise
        ok = False
        report["database"] = f"error: {type(exc).__name__}"
    retriever = runtime.services.retriever
    # While the model loads in the background, commands are served: "loading" is healthy; a failed load is not.
    failed = bool(getattr(retriever, "failed", False))
    report["index"] = "not loaded" if retriever is None or failed else "ok" if runtime.retriever_ready else "loading"
    ok = ok and retriever is not None and not failed
    report["instance"] = instance_id()
    try:
        async with runtime.services.sessionmaker() as session:
            status = await delivery_status(session, runtime.services.clock())
        report["dispatcher"] = status.as_json()
        if status.paused_since is not None:  # the token is refused: this bot can neither push nor reply
            ok = False
    except Exception as exc:  # health must report, never raise
        report["dispatcher"] = f"error: {type(exc).__name__}"
    return ok, report


class WebhookServer:
    """The aiohttp app serving the webhook and the health endpoint for one instance."""

    def __init__(self, app: Application, runtime: Runtime, *, path: str, secret: str) -> None:  # type: ignore[type-arg]
        self.app = app
        self.runtime = runtime
        self.path = "/" + path.strip("/")
        self.secret = secret
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.router.add_post(self.path, self.on_update)
        web_app.router.add_get("/healthz", self.on_health)
        return web_app

    async def on_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook call with a wrong or missing secret token refused")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, self.app.bot)
        except (json.JSONDecodeError, ValueError, KeyError, TypeError):
            return web.Response(status=400, text="bad update")
        if update is None:
            return web.Response(status=400, text="bad update")
        await self.app.update_queue.put(update)
        return web.Response(status=200, text="ok")

    async def on_health(self, request: web.Request) -> web.Response:
        ok, report = await health(self.runtime)
        return web.json_response(report, status=200 if ok else 503)

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
