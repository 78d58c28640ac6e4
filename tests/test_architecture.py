"""Conventions that keep the codebase honest: dependency direction, exports, bilingual strings, help text."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import skills
from skills.contract import Skill
from skills.i18n import LANGS
from skills.registry import SKILL_NAMES, load_skills

ROOT = Path(__file__).resolve().parent.parent


class _RuntimeImports(ast.NodeVisitor):
    """Collects imports that run at run time (those under ``if TYPE_CHECKING:`` are type hints only)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.names.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and node.level == 0:
            self.names.add(node.module)


def _imports(path: Path) -> set[str]:
    visitor = _RuntimeImports()
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.names


@pytest.mark.parametrize("folder", ["skills", "knowledge"])
def test_inner_layers_never_import_telegram_or_bot(folder: str) -> None:
    offenders = []
    for path in (ROOT / folder).rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in ("telegram", "bot") or (folder == "knowledge" and top == "skills"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_every_package_declares_all() -> None:
    missing = []
    for base in ("bot", "skills", "knowledge"):
        for init in (ROOT / base).rglob("__init__.py"):
            if "migrations" in init.parts:
                continue
            if "__all__" not in init.read_text(encoding="utf-8"):
                missing.append(str(init.relative_to(ROOT)))
    assert missing == []


def test_every_registered_skill_exists_and_exports_skill() -> None:
    loaded = load_skills()
    assert [s.name for s in loaded] == list(SKILL_NAMES)
    for skill in loaded:
        assert isinstance(skill, Skill)
        assert (skill.summary.get("en") and skill.summary.get("zh")) or skill.name in ("help", "settings")


def test_every_command_has_help_in_both_languages_and_examples_exist() -> None:
    for skill in load_skills():
        for command in skill.commands:
            assert command.help_en and command.help_zh, f"/{command.name} lacks help text"
        if skill.name not in ("settings",):
            for lang in LANGS:
                assert len(skill.examples.get(lang, ())) >= 2, f"{skill.name} needs {lang} examples for /help"


def _catalogues() -> list[tuple[str, dict[str, dict[str, str]]]]:
    found = []
    for module_info in pkgutil.walk_packages(skills.__path__, "skills."):
        if module_info.name.endswith(".messages"):
            module = importlib.import_module(module_info.name)
            found.append((module_info.name, module.MESSAGES))
    found.append(("bot.messages", importlib.import_module("bot.messages").MESSAGES))
    return found


def test_every_user_facing_string_exists_in_english_and_chinese() -> None:
    missing = [
        f"{module}:{key}:{lang}"
        for module, catalogue in _catalogues()
        for key, entry in catalogue.items()
        for lang in LANGS
        if not entry.get(lang)
    ]
    assert missing == []


def test_chinese_strings_are_actually_chinese() -> None:
    import re

    han = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [
        f"{module}:{key}"
        for module, catalogue in _catalogues()
        for key, entry in catalogue.items()
        if han.search(entry.get("en", "")) is None
        and entry.get("zh") == entry.get("en")
        and re.search(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}|<[^>]*>", "", entry.get("en", "")))
    ]
    assert untranslated == []


# -- Skill boundaries and the import graph -------------------------------------------------------------------
# The allowed skill-to-skill graph: a skill may import another skill only if the other is listed here, and
# then only that skill's public ``skills.<other>.api`` module. docs/architecture.md shows the same graph (a
# test below keeps the two equal). ``portfolio`` is the ledger data the alerts and client skills read: no chat
# skill of its own, but a package with a public API like the skills.
ALLOWED_SKILL_DEPENDENCIES: dict[str, frozenset[str]] = {
    "help": frozenset(),
    "settings": frozenset(),
    "reminders": frozenset(),
    "quote": frozenset(),
    "portfolio": frozenset(),
    "objection": frozenset({"quote"}),
    "playbook": frozenset({"objection"}),
    "alerts": frozenset({"portfolio", "reminders"}),
    "client": frozenset({"alerts", "objection", "portfolio", "quote", "reminders"}),
}
# Modules and packages under skills/ that are shared infrastructure, not skills: anyone in skills/ and bot/ may
# import them, and they import no skill (except ``skills.config``, which gathers each skill's typed settings).
INFRASTRUCTURE = ("skills.chart_font", "skills.config", "skills.contract", "skills.fmt", "skills.i18n",
                  "skills.lazyre", "skills.regex_cache", "skills.registry", "skills.render", "skills.store")  # fmt: skip
SCANNED = ("bot", "skills", "knowledge")


@dataclass(frozen=True, slots=True)
class _Import:
    importer: str  # dotted module name of the importing file
    target: str  # the in-repo module the statement loads (``from pkg import mod`` → ``pkg.mod``)
    line: int
    where: str  # module | function | type-checking

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} ({self.where}) imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for base in SCANNED for p in (ROOT / base).rglob("*.py")}


class _AllImports(ast.NodeVisitor):
    """Every import statement with where it runs: at import time, inside a function, or for type hints only."""

    def __init__(self) -> None:
        self.found: list[tuple[ast.Import | ast.ImportFrom, str]] = []
        self._stack: list[str] = ["module"]

    def _within(self, where: str, nodes: list[ast.stmt] | list[ast.AST]) -> None:
        self._stack.append(where)
        for child in nodes:
            self.visit(child)
        self._stack.pop()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            self._within("type-checking", node.body)
            self._within(self._stack[-1], node.orelse)
            return
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._within("function", [*node.decorator_list, *node.body])

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import) -> None:
        self.found.append((node, self._stack[-1]))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.found.append((node, self._stack[-1]))


def test_the_import_scanner_sees_imports_in_functions_and_under_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import a\n"
        "if TYPE_CHECKING:\n    from b import B\nelse:\n    import c\n"
        "async def f():\n    from d import D\n"
        "class K:\n    def m(self):\n        if TYPE_CHECKING:\n            import e\n"
    )
    visitor = _AllImports()
    visitor.visit(ast.parse(source))
    seen = {(n.names[0].name if isinstance(n, ast.Import) else n.module): where for n, where in visitor.found}
    assert seen == {"typing": "module", "a": "module", "b": "type-checking", "c": "module", "d": "function",
                    "e": "type-checking"}  # fmt: skip


def _in_repo(name: str, modules: dict[str, Path]) -> str | None:
    """The longest in-repo module ``name`` names (``skills.quote.logic.price`` → ``skills.quote.logic``)."""
    while name not in modules:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name


def _all_imports() -> Iterator[_Import]:
    modules = _modules()
    for name, path in modules.items():
        visitor = _AllImports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node, where in visitor.found:
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # ``from pkg import mod`` loads pkg.mod; ``from mod import name`` loads mod.
                wanted = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in {t for w in wanted if (t := _in_repo(w, modules)) is not None and t != name}:
                yield _Import(name, target, node.lineno, where)


def _skill_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "skills" and parts[1] in ALLOWED_SKILL_DEPENDENCIES:
        return parts[1]
    return None


def _is_infrastructure(module: str) -> bool:
    return any(module == infra or module.startswith(f"{infra}.") for infra in INFRASTRUCTURE)


def test_every_skill_package_is_either_a_skill_or_infrastructure() -> None:
    packages = {p.name for p in (ROOT / "skills").iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in (ROOT / "skills").glob("*.py") if p.stem != "__init__"}
    assert packages | modules == set(ALLOWED_SKILL_DEPENDENCIES) | {i.split(".")[1] for i in INFRASTRUCTURE}
    assert set(SKILL_NAMES) <= set(ALLOWED_SKILL_DEPENDENCIES)


def test_cross_skill_imports_follow_the_allowed_graph_through_public_apis() -> None:
    """Every import (module level, in a function, under TYPE_CHECKING) from one skill into another is of
    ``skills.<other>.api``, and only along an allowed edge."""
    offenders = []
    for imp in _all_imports():
        source, target = _skill_of(imp.importer), _skill_of(imp.target)
        if source is None or target is None or source == target:
            continue
        if target not in ALLOWED_SKILL_DEPENDENCIES[source]:
            offenders.append(f"{imp}: {source} -> {target} is not an allowed dependency")
        elif imp.target != f"skills.{target}.api":
            offenders.append(f"{imp}: use skills.{target}.api")
    assert offenders == []


def test_adapters_and_infrastructure_reach_skills_only_through_their_apis() -> None:
    """bot/ uses a skill through its ``api`` module (the registry loads the skills themselves); the shared
    infrastructure imports no skill, except ``skills.config`` gathering each skill's ``config`` module."""
    offenders = []
    for imp in _all_imports():
        target = _skill_of(imp.target)
        if target is None:
            continue
        if imp.importer.split(".")[0] == "bot" and imp.target != f"skills.{target}.api":
            offenders.append(f"{imp}: use skills.{target}.api")
        if _is_infrastructure(imp.importer) and not (
            imp.importer == "skills.config" and imp.target == f"skills.{target}.config"
        ):
            offenders.append(f"{imp}: infrastructure must not depend on a skill")
        if imp.importer.split(".")[0] == "knowledge":
            offenders.append(f"{imp}: knowledge must not depend on a skill")
    assert offenders == []


def test_every_skill_others_depend_on_has_an_api_that_declares_its_exports() -> None:
    depended_on = {dep for deps in ALLOWED_SKILL_DEPENDENCIES.values() for dep in deps}
    assert {s for s in depended_on if not (ROOT / "skills" / s / "api.py").is_file()} == set()
    for api in (ROOT / "skills").glob("*/api.py"):
        module = importlib.import_module(_module_name(api))
        exported = getattr(module, "__all__", None)
        assert exported, f"{api.relative_to(ROOT)} has no __all__"
        assert [n for n in exported if not hasattr(module, n)] == [], f"{api.relative_to(ROOT)} exports missing names"


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the strongly connected components of ``graph`` with more than one member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_strongly_connected_check_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": {"e"}, "g": set()}
    assert sorted(_strongly_connected(graph)) == [["a", "b", "c"], ["e", "f"]]
    assert _strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_modules() -> None:
    """No cycle in bot/, skills/, knowledge/, counting imports inside functions and under TYPE_CHECKING too
    (a lazy import that only dodges a cycle at run time is still a cycle in the design)."""
    graph: dict[str, set[str]] = {}
    for imp in _all_imports():
        graph.setdefault(imp.importer, set()).add(imp.target)
    assert _strongly_connected(graph) == []


def test_the_allowed_skill_graph_has_no_cycle_and_matches_the_docs() -> None:
    graph = {skill: set(deps) for skill, deps in ALLOWED_SKILL_DEPENDENCIES.items()}
    assert _strongly_connected(graph) == []
    assert all(skill not in deps for skill, deps in graph.items())
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- skill-graph -->\n```text\n(.*?)```", doc, re.S)
    assert block, "docs/architecture.md lost its skill-graph block"
    documented = {}
    for line in block.group(1).strip().splitlines():
        skill, _, deps = line.partition("->")
        documented[skill.strip()] = frozenset(d.strip() for d in deps.split(",") if d.strip() and d.strip() != "-")
    assert documented == ALLOWED_SKILL_DEPENDENCIES
