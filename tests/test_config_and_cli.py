"""Configuration errors at start-up, and the CLI (`python -m bot …`) as a newcomer would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def run_bot(*args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "ALLOWED_", "ADMIN_", "TELEGRAM_"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT, env=full_env, input=stdin, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ALLOWED_USER_IDS", "12,abc", "ALLOWED_USER_IDS: expected comma-separated integer Telegram user ids"),
        ("ADMIN_USER_IDS", "1;x", "ADMIN_USER_IDS: expected comma-separated integer Telegram user ids"),
        ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL: unsupported driver 'mysql'"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: not a database URL"),
        ("DEFAULT_TIMEZONE", "Mars/Base", "DEFAULT_TIMEZONE: unknown timezone"),
        ("TELEGRAM_BOT_TOKEN", "changethis", "TELEGRAM_BOT_TOKEN: is still the placeholder"),
        ("DISPATCH_INTERVAL", "-1", "DISPATCH_INTERVAL:"),
    ],
)
def test_malformed_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None)
    assert str(err.value).startswith(expected)
    assert "\n" not in str(err.value)


def test_allowlists_accept_commas_spaces_and_semicolons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_USER_IDS", "1, 2;3")
    monkeypatch.setenv("ADMIN_USER_IDS", "")
    settings = load_settings(_env_file=None)
    assert settings.allowed_user_ids == [1, 2, 3] and settings.admin_user_ids == []


def test_an_empty_model_cache_means_none_not_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTING__MODEL_CACHE", "")
    monkeypatch.setenv("OBJECTION__MODEL_CACHE", " ")
    settings = load_settings(_env_file=None)
    assert settings.routing.model_cache is None
    assert settings.objection.model_cache is None
    assert settings.knowledge.model_cache is None
    monkeypatch.delenv("ROUTING__MODEL_CACHE")
    monkeypatch.delenv("OBJECTION__MODEL_CACHE")
    settings = load_settings(_env_file=None)
    repo = Path(__file__).resolve().parents[1]
    assert settings.routing.model_cache == settings.objection.model_cache == repo / "data" / "cache"


def test_postgres_urls_get_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert load_settings(_env_file=None).database_url == "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def test_startup_with_a_malformed_allowlist_exits_nonzero_with_one_line() -> None:
    result = run_bot("ask", "--json", "/help", env={"ALLOWED_USER_IDS": "12,abc"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: ALLOWED_USER_IDS: expected comma-separated integer Telegram user ids, got '12,abc'"
    ]


def test_startup_with_an_unreachable_database_exits_nonzero_naming_it(tmp_path: Path) -> None:
    result = run_bot("ask", "--json", "/help", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"})
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("configuration error: DATABASE_URL: cannot")


@pytest.mark.slow
def test_ask_json_help_and_stdin_conversation(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "CHROMA_PATH": str(tmp_path / "chroma")}
    result = run_bot("ask", "--json", "/help", env=env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["skill"] == "help" and set(payload) >= {"skill", "intent", "confidence", "text", "buttons", "data"}
    lines = run_bot("ask", "--json", "-", env=env, stdin="/lang zh\n/help\n/lang en\n")
    assert lines.returncode == 0, lines.stderr
    outputs = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [o["skill"] for o in outputs] == ["settings", "help", "settings"]
    assert "保理业务助手" in outputs[1]["text"]


@pytest.mark.slow
def test_make_run_without_token_opens_the_console_chat(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}", "CHROMA_PATH": str(tmp_path / "chroma")}
    result = run_bot("run", env=env, stdin="/help\n/lang zh\n/help\n/quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "No TELEGRAM_BOT_TOKEN set" in out and "console chat" in out
    assert "your factoring assistant" in out and "保理业务助手" in out


def test_help_lists_the_subcommands() -> None:
    result = run_bot("--help")
    assert result.returncode == 0
    for name in ("run", "chat", "ask", "migrate", "config"):
        assert name in result.stdout


def test_env_example_documents_every_setting() -> None:
    from bot.env_example import render_env_example

    committed = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert committed == render_env_example(), "regenerate: python -m bot config > .env.example"
