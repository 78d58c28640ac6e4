"""The knowledge layer stands alone: its configuration is its own, not the bot's settings."""

from __future__ import annotations

import ast
from pathlib import Path

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def test_knowledge_never_imports_bot_or_skills_even_for_type_hints() -> None:
    offenders = []
    for path in sorted(KNOWLEDGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("bot", "skills")]
    assert offenders == []
