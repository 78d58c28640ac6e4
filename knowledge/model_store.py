"""Fitted models kept on disk as plain arrays: one ``.npz`` per model, no pickle, written atomically.

A model is a mapping of names to numpy arrays plus JSON-able metadata (vocabularies, class names), stored in
the archive as a UTF-8 byte array. Loading never unpickles (``allow_pickle=False``); a missing, torn or
unreadable file gives None, and the caller retrains.
"""

from __future__ import annotations

import json
import logging
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

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
    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        encoded = np.frombuffer(json.dumps(dict(meta), ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        with scratch.open("wb") as handle:
            np.savez(handle, **{_META: encoded}, **dict(arrays))
        scratch.replace(path)
        return True
    except OSError as exc:
        log.warning("model not stored at %s: %s", path, exc)
        scratch.unlink(missing_ok=True)
        return False


def load_model(path: Path) -> StoredModel | None:
    """The arrays and metadata stored at ``path``; None when there is no file, and None with a warning when it is
    torn or unreadable."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            archive = np.load(handle, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError("not an .npz archive")
            with archive:
                arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(arrays.pop(_META).tobytes().decode("utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("metadata is not an object")
        return arrays, meta
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        log.warning("stored model %s unreadable (%s); retraining", path, exc)
        return None
