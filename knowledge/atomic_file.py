"""Files the bot makes once and reads at every start (models, tables, snapshots): written atomically, read safely.

:func:`write_atomically` writes through a scratch file in the same folder, synced, then renamed over the
target, so a reader sees the old file, the new one or none, never half of one (a crash, a full disk).
:func:`read_npz` opens an ``.npz`` archive without ever unpickling; :data:`NPZ_ERRORS` is what a torn,
truncated or foreign file raises, for the caller to treat as "not there" and make it again.
:func:`remove_others` clears the older versions of a file kept under a versioned name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import numpy as np

__all__ = ["NPZ_ERRORS", "read_npz", "remove_others", "write_atomically"]

NPZ_ERRORS = (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile)


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write`` on a scratch file beside ``path`` (mode 0644, like installed files), sync it, rename it
    over ``path``; the scratch file is removed if anything fails (and the error raised)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes it private; every process of the bot reads it
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(scratch, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise


def remove_others(keep: Path, pattern: str) -> None:
    """Delete the files beside ``keep`` that match ``pattern`` (its older versions), all but ``keep`` itself; a
    file that cannot be removed is left (it only takes space)."""
    for old in keep.parent.glob(pattern):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` archive at ``path`` (no pickle); raises one of :data:`NPZ_ERRORS` when it is
    missing, torn or not an archive."""
    import numpy as np  # here: writing a file must not load numpy

    with path.open("rb") as fh:
        archive = np.load(fh, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError("not an .npz archive")
        with archive:
            return {name: archive[name] for name in archive.files}
