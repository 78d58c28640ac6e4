"""Apply Alembic migrations programmatically (``python -m bot migrate`` and the test fixtures)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

__all__ = ["alembic_config", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and the given (async) database URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Migrate the database at ``url`` to ``revision`` (all branch heads by default).

    Skills add their tables as Alembic branches off ``0001_foundation``; ``heads`` applies them all.
    Must be called outside a running event loop (wrap in ``asyncio.to_thread`` from async code).
    """
    command.upgrade(alembic_config(url), revision)
