"""Conventions that keep the codebase honest: dependency direction, exports, bilingual strings, help text."""

from __future__ import annotations

import ast
import importlib
import pkgutil
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
