"""The knowledge layer's own configuration: where the index lives and which embedding backend fills it.

``bot.config.Settings`` builds one from the environment (``CHROMA_PATH``, ``CHROMA_HOST``, ``EMBEDDINGS``…);
nothing in ``knowledge`` reads the bot's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

__all__ = ["Backend", "CacheFolder", "KnowledgeConfig"]

Backend = Literal["onnx", "torch"]


def _empty_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# A folder for what is made once and kept between starts; set empty (``X__MODEL_CACHE=``) for none. Without the
# validator pydantic reads the empty string as ``Path(".")``: the working directory.
CacheFolder = Annotated[Path | None, BeforeValidator(_empty_is_none)]


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
    model_cache: CacheFolder = Field(
        None, description="folder for the embedding graph prepared once per install (None: run the packaged graph)"
    )
