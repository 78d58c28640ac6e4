"""Runtime settings from the environment / ``.env`` (pydantic-settings). Nothing else reads os.environ.

A missing or malformed value fails at start-up with :class:`ConfigError`, whose one-line message names
the variable (``ALLOWED_USER_IDS: expected comma-separated integer user ids, got 'abc'``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.routing_config import RoutingConfig
from bot.transcribe import VoiceConfig
from knowledge.config import Backend, KnowledgeConfig
from skills.config import SkillsConfig

__all__ = ["ConfigError", "Settings", "get_settings", "load_settings"]

ROOT = Path(__file__).resolve().parent.parent
_PLACEHOLDERS = {"changethis", "your-token-here", "<token>", "123456:ABC-DEF"}
_ASYNC_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg", "postgresql+psycopg"}


class ConfigError(Exception):
    """A configuration problem, worded for the person starting the bot (names the variable)."""


def _int_list(value: Any, name: str) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]
    try:
        return [int(item) for item in items]
    except (TypeError, ValueError):
        raise ValueError(f"expected comma-separated integer Telegram user ids, got {value!r}") from None


class Settings(SkillsConfig, BaseSettings):
    """All settings. Flat names for the runtime; ``GROUP__FIELD`` for skill groups (see .env.example)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_nested_delimiter="__", extra="ignore", case_sensitive=False
    )

    routing: RoutingConfig = RoutingConfig()

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_base_file_url: str = "https://api.telegram.org/file/bot"

    database_url: str = f"sqlite+aiosqlite:///{ROOT / 'data' / 'factormate.db'}"

    chroma_path: Path = ROOT / "data" / "chroma"
    chroma_host: str | None = None
    chroma_port: int = 8000
    embeddings: Backend = Field(
        "onnx",
        description="embedding backend: onnx (int8 MiniLM on onnxruntime, the default) or torch "
        "(sentence-transformers; pip install '.[torch]'); switching re-embeds the index once",
    )
    embedding_threads: int = Field(1, ge=0, description="threads per embedding call (0: as many as cores)")

    allowed_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    webhook_url: str | None = None  # public https URL; set → webhook mode
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_path: str = "telegram"

    voice: VoiceConfig = VoiceConfig()  # VOICE__BACKEND, VOICE__BASE_URL, VOICE__API_KEY, VOICE__MODEL, limits

    rate_limit_per_minute: float = Field(60.0, ge=0, description="messages per officer per minute (0: no limit)")
    rate_limit_burst: int = Field(15, gt=0, description="messages an officer may send at once before the limit")
    load_playbook: bool = Field(True, description="load the playbook index and model at start-up (off: no Q&A)")
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        "NORMAL",
        description="SQLite only: NORMAL survives app crashes without an fsync per commit; FULL also survives "
        "power loss, at ~10 ms per write",
    )
    dispatch_interval: float = Field(1.0, gt=0, description="seconds between dispatcher ticks")
    dispatch_batch: int = Field(50, gt=0, description="pushes claimed per dispatcher round")
    dispatch_lease_seconds: float = Field(
        120.0, gt=0, description="a push claimed by an instance that died is re-sent after this long"
    )
    dispatch_max_attempts: int = Field(
        8, gt=0, description="failed attempts before a push is dead-lettered (429 waits never dead-letter)"
    )
    dispatch_rate_per_second: float = Field(
        30.0, ge=0, description="pushes per second per instance (Telegram allows ~30 per bot; 0: no limit)"
    )
    dispatch_chat_rate_per_second: float = Field(
        1.0, ge=0, description="pushes per second to one chat (Telegram allows ~1; 0: no limit)"
    )
    dispatch_auth_probe_seconds: float = Field(
        30.0, gt=0, description="while the token is refused (401), seconds between getMe probes"
    )
    outbox_retention_days: float = Field(30.0, gt=0, description="sent pushes are deleted after this many days")
    outbox_prune_batch: int = Field(200, gt=0, description="sent pushes deleted per retention statement")
    telegram_timeout: float = Field(10.0, gt=0, description="seconds before a Bot API call counts as timed out")
    working_notice_rows: int = Field(
        2000,
        ge=0,
        description="a ledger uploaded on Telegram, or confirmed for import, with at least this many rows gets "
        "'working…' at once (0: every upload)",
    )
    console_officer_id: int = 0
    log_level: str = "INFO"
    log_json: bool = False
    instance_id: str = ""

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _allowed(cls, value: Any) -> list[int]:
        return _int_list(value, "ALLOWED_USER_IDS")

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _admins(cls, value: Any) -> list[int]:
        return _int_list(value, "ADMIN_USER_IDS")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"not a database URL: {value!r}") from None
        driver = url.drivername
        if driver == "sqlite":
            return value.replace("sqlite://", "sqlite+aiosqlite://", 1)
        if driver in ("postgresql", "postgres"):
            return str(url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False))
        if driver not in _ASYNC_DRIVERS:
            raise ValueError(f"unsupported driver {driver!r}; use sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        raw = value.get_secret_value().strip()
        if raw.lower() in _PLACEHOLDERS:
            raise ValueError("is still the placeholder from .env.example; paste the token from @BotFather")
        if ":" not in raw:
            raise ValueError("does not look like a bot token (expected '<digits>:<secret>')")
        return SecretStr(raw)

    @property
    def knowledge(self) -> KnowledgeConfig:
        """The knowledge layer's configuration (index location, embedding backend)."""
        return KnowledgeConfig(
            chroma_path=self.chroma_path,
            chroma_host=self.chroma_host,
            chroma_port=self.chroma_port,
            embeddings=self.embeddings,
            embedding_threads=self.embedding_threads,
            model_cache=self.routing.model_cache,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning validation errors into one line that names the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = "__".join(str(p) for p in err["loc"] if not isinstance(p, int)).upper() or "SETTINGS"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        raise ConfigError(f"{loc}: {msg}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call ``get_settings.cache_clear()``)."""
    return load_settings()
