"""Fitted models kept on disk as plain arrays: one ``.npz`` per model, no pickle, written atomically.

A model is a mapping of names to numpy arrays plus JSON-able metadata (vocabularies, class names), stored in
the archive as a UTF-8 byte array. Loading never unpickles (``allow_pickle=False``); a missing, torn or
unreadable file gives None, and the caller retrains.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.atomic_file import NPZ_ERRORS, read_npz, write_atomically

__all__ = ["StoredModel", "load_model", "package_version", "save_model"]

log = logging.getLogger(__name__)

_META = "__meta__"

StoredModel = tuple[dict[str, np.ndarray], dict[str, Any]]


def package_version(distribution: str) -> str:
    """An installed distribution's version from its metadata, without importing it ("absent" if not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "absent"


def save_model(path: Path, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> bool:
    """Write ``arrays`` and ``meta`` to ``path`` through a scratch file and a rename; False (logged) on failure."""
    encoded = np.frombuffer(json.dumps(dict(meta), ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    try:
        write_atomically(path, lambda fh: np.savez(fh, **{_META: encoded}, **dict(arrays)))
        return True
    except OSError as exc:
        log.warning("model not stored at %s: %s", path, exc)
        return False


def load_model(path: Path) -> StoredModel | None:
    """The arrays and metadata stored at ``path``; None when there is no file, and None with a warning when it is
    torn or unreadable."""
    if not path.exists():
        return None
    try:
        arrays = read_npz(path)
        meta = json.loads(arrays.pop(_META).tobytes().decode("utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("metadata is not an object")
        return arrays, meta
    except (*NPZ_ERRORS, UnicodeDecodeError) as exc:
        log.warning("stored model %s unreadable (%s); retraining", path, exc)
        return None
