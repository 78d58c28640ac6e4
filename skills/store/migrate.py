"""Apply Alembic migrations programmatically (``python -m bot migrate``, start-up and the test fixtures).

Start-up first asks the database which revisions it is at (:func:`current_revisions`) and compares them
with the heads of our migration scripts (:func:`head_revisions`, read from the scripts' source without
importing Alembic): a database already at the heads, the usual case, is not handed to Alembic at all,
which keeps Alembic's import and script loading (about 0.25 s) out of every ``ask`` and every start.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["alembic_config", "at_heads", "current_revisions", "head_revisions", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and the given (async) database URL."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Migrate the database at ``url`` to ``revision`` (all branch heads by default).

    Skills add their tables as Alembic branches off ``0001_foundation``; ``heads`` applies them all.
    Must be called outside a running event loop (wrap in ``asyncio.to_thread`` from async code).
    """
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def _literal(node: ast.expr) -> frozenset[str]:
    value = ast.literal_eval(node)
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return frozenset(value)
    raise ValueError(f"unexpected revision value {value!r}")


@functools.cache
def head_revisions(versions: Path = MIGRATIONS / "versions") -> frozenset[str]:
    """The branch heads of the migration scripts in ``versions``: revisions no other script revises.

    Read from each script's module-level ``revision`` / ``down_revision`` assignments (literals, as
    Alembic's template writes them); raises ``ValueError`` for a script whose revision cannot be read.
    """
    revised: dict[str, frozenset[str]] = {}
    for script in sorted(versions.glob("*.py")):
        fields: dict[str, frozenset[str]] = {}
        for node in ast.parse(script.read_text(encoding="utf-8"), str(script)).body:
            target, value = None, None
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target, value = node.targets[0].id, node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                target, value = node.target.id, node.value
            if target in ("revision", "down_revision") and value is not None:
                fields[target] = _literal(value)
        if len(fields.get("revision", ())) != 1:
            raise ValueError(f"{script.name}: no single literal revision")
        (revision,) = fields["revision"]
        revised[revision] = fields.get("down_revision", frozenset())
    parents = frozenset().union(*revised.values()) if revised else frozenset()
    return frozenset(revised) - parents


async def current_revisions(engine: AsyncEngine) -> frozenset[str] | None:
    """The revisions recorded in the database's ``alembic_version`` table; None when it has none yet."""
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(str(r[0]) for r in rows)
    except DBAPIError:  # no such table: a new database
        return None


async def at_heads(engine: AsyncEngine) -> bool:
    """Whether the database is already at every head of our migrations (nothing for Alembic to do)."""
    current = await current_revisions(engine)
    return current is not None and current == head_revisions()
