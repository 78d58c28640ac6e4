"""Logging: plain or JSON lines, a request id per update, noisy libraries quietened, secrets redacted."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import uuid
from datetime import UTC, datetime

from bot.config import Settings

__all__ = ["instance_id", "request_id", "set_instance_id", "setup_logging"]

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_instance = {"id": f"fm-{uuid.uuid4().hex[:8]}"}


def instance_id() -> str:
    """This process's instance id (``INSTANCE_ID``, else a random ``fm-xxxxxxxx``): in every log line."""
    return _instance["id"]


def set_instance_id(value: str) -> None:
    """Use ``value`` as this process's instance id (empty: keep the generated one)."""
    if value:
        _instance["id"] = value


class _Context(logging.Filter):
    """Adds the request id and scrubs secrets (the bot token, API keys) from every record."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.instance = _instance["id"]
        if self.secrets:
            message = record.getMessage()
            scrubbed = message
            for secret in self.secrets:
                scrubbed = scrubbed.replace(secret, "***")
            if scrubbed != message:
                record.msg, record.args = scrubbed, None
        return True


class _JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "instance": getattr(record, "instance", _instance["id"]),
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(settings: Settings, *, stream: object = None) -> None:
    """Configure the root logger once for the process."""
    set_instance_id(settings.instance_id)
    secrets = [
        settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else "",
        settings.llm_api_key.get_secret_value() if settings.llm_api_key else "",
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else "",
    ]
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.addFilter(_Context(secrets))
    if settings.log_json:
        handler.setFormatter(_JSONFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(instance)s %(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for noisy in (
        "httpx",
        "httpcore",
        "apscheduler",
        "telegram.ext.Updater",
        "chromadb",
        "urllib3",
        "jieba",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
