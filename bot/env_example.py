"""Render ``.env.example`` from the settings model, so the documented variables cannot drift."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import to_json

from bot.config import ROOT, Settings

__all__ = ["render_env_example"]

_DOCS = {
    "telegram_bot_token": "Bot token from @BotFather. Unset: `make run` opens the console chat instead.",
    "telegram_api_base_url": "Bot API base URL (a self-hosted Bot API server, or the fake one in tests).",
    "telegram_api_base_file_url": "Bot API file download base URL.",
    "database_url": "SQLAlchemy async URL. Default: a SQLite file under data/. PostgreSQL: "
    "postgresql+asyncpg://user@host:5432/db",
    "chroma_path": "Folder of the embedded Chroma index of the playbook.",
    "chroma_host": "Use a Chroma server instead of the embedded index (several instances).",
    "chroma_port": "Port of the Chroma server.",
    "allowed_user_ids": "Comma-separated Telegram user ids allowed as officers (admins can /grant more).",
    "admin_user_ids": "Comma-separated Telegram user ids of admins (can /grant, /revoke, see all books).",
    "webhook_url": "Public https URL; set it to run in webhook mode (several instances behind a balancer).",
    "webhook_secret": "Secret token Telegram sends with each webhook call; requests without it are refused.",
    "llm_provider": "none (extractive playbook answers), openai (OpenAI-compatible) or ollama.",
}


def _line(name: str, field: FieldInfo, default: object) -> list[str]:
    doc = _DOCS.get(name) or field.description or ""
    if isinstance(default, BaseModel) or default is None:
        value = ""
    elif isinstance(default, list) and all(isinstance(v, int | str) for v in default):
        value = ",".join(str(v) for v in default)
    elif isinstance(default, dict | list | tuple):
        value = to_json(default).decode()
    else:
        value = str(default).replace(str(ROOT) + "/", "").replace(str(ROOT), ".")
    return ([f"# {doc}"] if doc else []) + [f"# {name.upper()}={value}"]


def render_env_example() -> str:
    """Every variable with its default (commented out) and what it does."""
    out = [
        "# FactorMate settings. Copy to .env and uncomment what you change; the defaults run as they are.",
        "# Groups use a double underscore: QUOTE__DEFAULT_ANNUAL_RATE=0.06",
        "",
    ]
    defaults = Settings.model_construct()
    for name, field in Settings.model_fields.items():
        default = getattr(defaults, name, None)
        if isinstance(default, BaseModel):
            out.append(f"# --- {name} ---")
            for sub_name, sub_field in type(default).model_fields.items():
                out.extend(_line(f"{name}__{sub_name}", sub_field, getattr(default, sub_name)))
            out.append("")
            continue
        out.extend(_line(name, field, default))
        out.append("")
    return "\n".join(out).rstrip() + "\n"
