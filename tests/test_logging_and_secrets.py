"""Operations: JSON logs with a request id per update, and secrets never reach the logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.logging_setup import request_id, setup_logging
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_logs_carry_the_request_id_and_scrub_secrets(tmp_path: Path) -> None:
    settings = make_settings(
        "sqlite+aiosqlite:///x.db", tmp_path, log_json=True,
        telegram_bot_token=SecretStr("123456:SUPER-SECRET-TOKEN"), llm_api_key=SecretStr("sk-very-secret"),
    )
    stream = io.StringIO()
    setup_logging(settings, stream=stream)
    token = request_id.set("u42")
    logging.getLogger("bot.test").warning("calling https://api.telegram.org/bot%s/getMe with %s",
                                           "123456:SUPER-SECRET-TOKEN", "sk-very-secret")
    request_id.reset(token)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["request_id"] == "u42" and line["level"] == "WARNING"
    assert "SUPER-SECRET" not in line["message"] and "sk-very-secret" not in line["message"]
    assert "bot***/getMe" in line["message"]


async def test_a_whole_session_never_logs_the_token(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> None:
    stream = io.StringIO()
    settings = make_settings(sqlite_url, tmp_path, log_level="DEBUG", telegram_bot_token=SecretStr(fake_bot_api.token))
    setup_logging(settings, stream=stream)
    async with running_bot(fake_bot_api, settings, clock):
        fake_bot_api.user_sends(OFFICER_ID, "/help")
        fake_bot_api.user_sends(OFFICER_ID, "/tz Nowhere/Land")
        await fake_bot_api.wait_for_sent(OFFICER_ID, count=2)
    logs = stream.getvalue()
    assert logs, "debug logging produced output"
    assert fake_bot_api.token not in logs
    assert fake_bot_api.token.split(":")[1] not in logs
