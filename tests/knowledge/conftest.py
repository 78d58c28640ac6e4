"""Knowledge fixtures: the real playbook index (MiniLM + Chroma + BM25) built once per test run and opened by
each test process (pytest-xdist worker) from its own copy, and a fake deterministic embedding function that
counts what it embeds."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from knowledge.config import KnowledgeConfig
from knowledge.content import PLAYBOOK_DIR, load_playbook
from knowledge.embeddings import make_embeddings
from knowledge.index import INDEX_VERSION, model_id_of
from knowledge.service import Knowledge, build_index, open_knowledge
from knowledge.vectors import SNAPSHOT_NAME, load_snapshot, snapshot_key

__all__ = ["SpyEmbeddings", "copy_playbook", "knowledge_config", "knowledge_settings", "real_knowledge"]

_CACHE: dict[str, Knowledge] = {}


class SpyEmbeddings(Embeddings):
    """Deterministic bag-of-words vectors (no model), counting every document it is asked to embed."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.embedded: list[str] = []

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in text.lower().split():
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def knowledge_settings(tmp: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{tmp / 'unused.db'}",
        "chroma_path": tmp / "chroma",
        "telegram_bot_token": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def knowledge_config(tmp: Path, **overrides: object) -> KnowledgeConfig:
    """The knowledge layer's config (index under ``tmp``), as the runtime derives it from the settings."""
    return knowledge_settings(tmp, **overrides).knowledge


def copy_playbook(dest: Path) -> Path:
    """A writable copy of the real playbook (to edit, break or shrink in a test)."""
    shutil.copytree(PLAYBOOK_DIR, dest)
    return dest


@pytest.fixture(scope="session")
def real_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knowledge]:
    """The real retrievers over the real playbook, opened once per test process (loads MiniLM: mark tests slow).

    Each process opens its own copy of the run's shared index (:func:`_shared_index`) without the vectors
    snapshot, so the open syncs it (nothing to embed) and reads the Chroma collection, as a fresh build does.
    """
    if "k" not in _CACHE:
        tmp = tmp_path_factory.mktemp("knowledge")
        shutil.copytree(_shared_index(tmp_path_factory), tmp / "chroma", ignore=shutil.ignore_patterns(SNAPSHOT_NAME))
        _CACHE["k"] = open_knowledge(knowledge_settings(tmp).knowledge)
    yield _CACHE["k"]


def _shared_index(factory: pytest.TempPathFactory) -> Path:
    """The playbook's Chroma index, built once per test run: the xdist workers share it (the first to come
    builds it under a file lock in the run's base directory, the others wait), as the xdist docs show.

    It starts from the index ``make install`` built (``data/chroma``) when that one was synced to exactly
    this playbook and model (its vectors snapshot is current), so the run embeds nothing; otherwise from empty.
    Either way ``build_index`` syncs it before it is used.
    """
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's directory, shared by its workers (each has its own base below it)
    shared = root / "playbook-index"
    with FileLock(str(root / "playbook-index.lock")):
        if not (shared / "ready").is_file():
            shutil.rmtree(shared, ignore_errors=True)
            config = knowledge_settings(shared).knowledge
            installed = Settings(_env_file=None).chroma_path  # type: ignore[call-arg]
            if _is_current(installed, config):
                shutil.copytree(installed, shared / "chroma")
            build_index(config)
            (shared / "ready").touch()
    return shared / "chroma"


def _is_current(chroma: Path, config: KnowledgeConfig) -> bool:
    """Whether the Chroma index at ``chroma`` was synced to the playbook as it is, by the model the tests use."""
    embeddings = make_embeddings(config.embeddings, threads=config.embedding_threads, cache=config.model_cache)
    key = snapshot_key(load_playbook(PLAYBOOK_DIR), model_id_of(embeddings), INDEX_VERSION)
    return load_snapshot(chroma / SNAPSHOT_NAME, key) is not None
