"""Knowledge fixtures: the real playbook index (MiniLM + Chroma + BM25) built once per test session in a
temporary Chroma directory, and a fake deterministic embedding function that counts what it embeds."""

from __future__ import annotations

import hashlib
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from knowledge.config import KnowledgeConfig
from knowledge.content import PLAYBOOK_DIR
from knowledge.service import Knowledge, open_knowledge

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
    """The real retrievers over the real playbook, built once per session (loads MiniLM: mark tests slow)."""
    if "k" not in _CACHE:
        tmp = tmp_path_factory.mktemp("knowledge")
        _CACHE["k"] = open_knowledge(knowledge_settings(tmp).knowledge)
    yield _CACHE["k"]
