"""One outbox repository: no module but ``skills/store/outbox.py`` writes outbox rows."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = ROOT / "skills" / "store" / "outbox.py"
_WRITERS = {"insert", "update", "delete", "pg_insert", "sqlite_insert", "insert_"}


def _writes_outbox(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            first = node.args[0] if node.args else None
            if name == "OutboxMessage" or (
                name in _WRITERS and isinstance(first, ast.Name) and first.id == "OutboxMessage"
            ):
                lines.append(node.lineno)
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "__table__"
            and isinstance(node.value, ast.Name)
            and node.value.id == "OutboxMessage"
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_only_the_outbox_repository_writes_outbox_rows() -> None:
    offenders = []
    for folder in ("bot", "skills"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == REPOSITORY or "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            if "OutboxMessage" not in source:
                continue
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _writes_outbox(ast.parse(source))]
    assert offenders == []


def test_the_check_catches_a_direct_insert() -> None:
    sample = (
        "from sqlalchemy import insert\nawait session.execute(insert(OutboxMessage), rows)\nOutboxMessage(text='x')\n"
    )
    assert _writes_outbox(ast.parse(sample)) == [2, 3]
