"""The knowledge layer's own configuration: where the index lives and which embedding backend fills it.

``bot.config.Settings`` builds one from the environment (``CHROMA_PATH``, ``CHROMA_HOST``, ``EMBEDDINGS``…);
nothing in ``knowledge`` reads the bot's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Backend", "KnowledgeConfig"]

Backend = Literal["onnx", "torch"]


class KnowledgeConfig(BaseModel):
    """Where the playbook index is kept and how it is embedded."""

    model_config = ConfigDict(frozen=True)

    chroma_path: Path = Field(description="directory of the embedded Chroma index")
    chroma_host: str | None = Field(None, description="a Chroma server instead of the local directory")
    chroma_port: int = 8000
    embeddings: Backend = Field(
        "onnx", description="onnx: int8 MiniLM on onnxruntime (default); torch: sentence-transformers (extra)"
    )
    embedding_threads: int = Field(1, ge=0, description="threads for one embedding call (0: the library decides)")
    model_cache: Path | None = Field(
        None, description="folder for the embedding graph prepared once per install (None: run the packaged graph)"
    )
