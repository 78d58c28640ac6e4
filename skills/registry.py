"""The skill registry: which skills exist, in routing-tie order."""

from __future__ import annotations

import importlib
import logging

from skills.contract import Skill

__all__ = ["SKILL_NAMES", "load_skills"]

log = logging.getLogger(__name__)

# Order breaks ties in routing: the more specific skills first.
SKILL_NAMES = ("help", "settings", "reminders", "quote", "objection", "alerts", "client", "playbook")


def load_skills(names: tuple[str, ...] = SKILL_NAMES) -> list[Skill]:
    """Import ``skills.<name>`` for each name and return their ``SKILL`` objects."""
    loaded: list[Skill] = []
    for name in names:
        module = importlib.import_module(f"skills.{name}")
        skill = getattr(module, "SKILL", None)
        if skill is None:
            log.warning("skills.%s exports no SKILL; skipped", name)
            continue
        loaded.append(skill)
    return loaded
