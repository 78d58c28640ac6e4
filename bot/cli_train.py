"""``python -m bot train``: train the routing classifier and the skills' recognisers and store them as arrays.

``make install`` runs it, so the first ``ask`` or ``run`` of a clean checkout loads the stored models without
scikit-learn (it trains them itself, once, when none fits: after an upgrade or a change of phrasings).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bot.config import Settings

__all__ = ["cmd_train", "register", "train_models"]


def register(subparsers: Any) -> None:
    """Add the ``train`` subcommand to ``python -m bot``."""
    train = subparsers.add_parser(
        "train", help="train (or check) the routing and objection models and store them under the model cache"
    )
    train.set_defaults(handler=cmd_train)


def train_models(settings: Settings) -> None:
    """Run every skill's warm-up (which trains or loads its recogniser) and the arbiter's, as the bot does at
    start-up; models are stored under ``ROUTING__MODEL_CACHE`` and ``OBJECTION__MODEL_CACHE``."""
    from bot.arbiter import Arbiter
    from skills import regex_cache
    from skills.contract import Services
    from skills.lazyre import compile_all
    from skills.registry import load_skills
    from skills.store.session import make_engine, make_sessionmaker

    # No warm-up reads the officers' data: a database that is never connected (the real one may not exist yet)
    regex_cache.use_folder(settings.routing.model_cache)
    services = Services(sessionmaker=make_sessionmaker(make_engine("sqlite+aiosqlite:///:memory:")), config=settings)
    skills = load_skills()
    for skill in skills:
        skill.configure(services)
    for skill in skills:
        skill.warm_up(services)
    Arbiter(skills, settings.routing).warm_up()
    compile_all()  # every pattern of every skill, kept so that no start compiles one
    regex_cache.save()


async def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    """Train or load the models; print where they are kept."""
    started = time.perf_counter()
    await asyncio.to_thread(train_models, settings)
    folders = sorted({str(p) for p in (settings.routing.model_cache, settings.objection.model_cache) if p})
    where = ", ".join(folders) or "nowhere (no model cache configured)"
    print(f"models: ready in {time.perf_counter() - started:.1f}s → {where}")
    return 0
