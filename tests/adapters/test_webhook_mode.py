"""Webhook mode: Telegram POSTs updates to us; the secret token is checked; replies go back as usual."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from bot.telegram_app import run_telegram
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _until_listening(port: int) -> None:
    """Wait (bounded) until the webhook server accepts connections."""
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise TimeoutError(f"webhook server never listened on {port}")


async def test_webhook_mode_registers_checks_the_secret_and_answers(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    settings = make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token=SecretStr(fake_bot_api.token),
        telegram_api_base_url=f"{fake_bot_api.url}/bot",
        telegram_api_base_file_url=f"{fake_bot_api.url}/file/bot",
        webhook_url=f"http://127.0.0.1:{port}",
        webhook_secret=SecretStr("s3cret-token"),
        webhook_listen="127.0.0.1",
        webhook_port=port,
        dispatch_interval=3600.0,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_telegram(settings, stop=stop, retriever=False))
    try:
        await fake_bot_api.wait_for_call("setWebhook", timeout=60)
        assert fake_bot_api.webhook is not None
        assert fake_bot_api.webhook["url"] == f"http://127.0.0.1:{port}/telegram"
        assert fake_bot_api.webhook["secret_token"] == "s3cret-token"
        await _until_listening(port)
        forged = {"update_id": 999, "message": {"message_id": 1, "date": 0, "chat": {"id": OFFICER_ID, "type": "private"},
                                                "from": {"id": OFFICER_ID, "is_bot": False, "first_name": "X"}, "text": "/help"}}
        assert await fake_bot_api.deliver_to_webhook(forged, secret="wrong") == 403
        fake_bot_api.user_sends(OFFICER_ID, "/start")
        (welcome,) = await fake_bot_api.wait_for_sent(OFFICER_ID, timeout=30)
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as resp:
            body = await resp.json()
        assert body["database"] == "ok" and body["index"] == "not loaded" and resp.status == 503
        assert "FactorMate" in welcome.text
        assert len(fake_bot_api.messages_to(OFFICER_ID)) == 1, "the forged update was not processed"
    finally:
        stop.set()
        assert await asyncio.wait_for(task, timeout=30) == 0
