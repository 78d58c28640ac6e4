"""Compiled regular expressions kept between starts, as ``.pyc`` files keep compiled code.

Python compiles a pattern in two steps: parsing and code generation, in pure Python (``re._parser``,
``re._compiler``), then building the pattern object from that code, in C (``_sre.compile``). For the skills'
big patterns (the reminders' time rules, the objection cues, the quote parser, the routing intents) the first
step is nearly all the cost: about 0.11 s for all of them, paid by every process on its first free-text
message. This module keeps the first step's output (``flags``, ``code``, groups) in one marshal file in the
model cache, keyed by the interpreter and ``_sre``'s version, and builds patterns from it with
``_sre.compile``, which validates the code it is given, in microseconds.

:func:`use_folder` (the runtime, with ``ROUTING__MODEL_CACHE``) says where the file lives; until then, or
without a folder, or when the interpreter's internals differ from what this module knows, patterns compile
with :func:`re.compile` as before. :func:`save` writes what was compiled and not yet kept (atomically, merged
with what another process may have written meanwhile). A torn, foreign or stale file is ignored and replaced.
"""

from __future__ import annotations

import logging
import marshal
import re
import sys
import threading
from array import array
from pathlib import Path
from typing import Any

__all__ = ["cache_file", "compile_cached", "save", "use_folder"]

log = logging.getLogger(__name__)

_FORMAT = 2
# What the stored code depends on: the interpreter (``re``'s code generator) and the regex engine's opcodes.
_VERSION: tuple[Any, ...] = (_FORMAT, sys.hexversion, sys.implementation.cache_tag)

# flags, code (as an array of the engine's code units: ~4x smaller in memory than a list of ints), groups, index,
# names
Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

_lock = threading.Lock()
_folder: Path | None = None
_kept: dict[tuple[str, int], Entry] | None = None  # read from the file on first use
_new: dict[tuple[str, int], Entry] = {}  # compiled in this process, not yet in the file


def _engine() -> tuple[Any, Any, Any] | None:
    """``re``'s parser, code generator and ``_sre`` with the functions this module relies on, or None."""
    try:
        import _sre
        from re import _compiler, _parser

        needed = ((_sre, "compile"), (_sre, "CODESIZE"), (_compiler, "_code"), (_parser, "parse"))
        if all(hasattr(m, n) for m, n in needed) and array(_CODE_UNIT).itemsize == _sre.CODESIZE:
            return _parser, _compiler, _sre
    except ImportError:
        pass
    return None


_CODE_UNIT = "I"  # an unsigned int: 4 bytes, the SRE code unit on CPython
_ENGINE = _engine()


def cache_file(folder: Path) -> Path:
    """The file in ``folder`` for this interpreter (its tag and ``_sre``'s magic number in the name)."""
    magic = getattr(_ENGINE[2], "MAGIC", 0) if _ENGINE else 0
    return folder / f"regex-{sys.implementation.cache_tag}-{magic}-v{_FORMAT}.marshal"


def use_folder(folder: Path | None) -> None:
    """Keep compiled patterns in ``folder`` (None: do not keep them); what was read from another folder is
    forgotten."""
    global _folder, _kept
    with _lock:
        if folder != _folder:
            _folder, _kept = folder, None


def _read(path: Path) -> dict[tuple[str, int], Entry]:
    try:
        version, table = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, EOFError, ValueError, TypeError) as exc:
        log.info("regex cache %s unreadable (%s); it is made again", path, exc)
        return {}
    if version != _VERSION or not isinstance(table, dict):
        return {}
    return table


def _table() -> dict[tuple[str, int], Entry]:
    global _kept
    if _kept is None:
        _kept = _read(cache_file(_folder)) if _folder is not None else {}
    return _kept


def _generate(pattern: str, flags: int) -> Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, the code packed as bytes (marshal keeps them)."""
    assert _ENGINE is not None
    parser, compiler, _ = _ENGINE
    parsed = parser.parse(pattern, flags)
    code = array(_CODE_UNIT, compiler._code(parsed, flags)).tobytes()
    index = dict(parsed.state.groupdict)
    names: list[str | None] = [None] * parsed.state.groups
    for name, number in index.items():
        names[number] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, index, tuple(names)


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the kept code when there is some (and kept for next time)."""
    flags = int(flags)
    if _ENGINE is None or _folder is None or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    with _lock:
        kept = _table().get(key) or _new.get(key)
    if kept is not None:
        try:
            return _build(pattern, kept)
        except Exception:  # an entry _sre rejects (a damaged file): made again below, and replaced at the save
            log.info("regex cache entry for %r rejected; compiling it again", pattern[:60])
    try:
        entry = _generate(pattern, flags)
        compiled = _build(pattern, entry)
    except Exception:  # re's internals are not what this module knows: compile as Python does
        log.debug("regex cache bypassed for %r", pattern[:60], exc_info=True)
        return re.compile(pattern, flags)
    with _lock:
        _new[key] = entry
    return compiled


def _build(pattern: str, entry: Entry) -> re.Pattern[str]:
    assert _ENGINE is not None
    flags, code, groups, index, names = entry
    compiled: re.Pattern[str] = _ENGINE[2].compile(
        pattern, flags, array(_CODE_UNIT, code).tolist(), groups, index, names
    )
    return compiled


def save() -> int:
    """Write the patterns compiled since the last save into the folder's file; returns how many were new.

    Never raises: a cache that cannot be written only means compiling again next time."""
    global _kept
    with _lock:
        if _folder is None or not _new:
            return 0
        path = cache_file(_folder)
        table = {**_read(path), **_table(), **_new}
        added = len(_new)
        blob = marshal.dumps((_VERSION, table))
        try:
            from knowledge.atomic_file import remove_others, write_atomically

            write_atomically(path, lambda fh: fh.write(blob))
            remove_others(path, "regex-*.marshal")  # another interpreter's or format's, no longer read
        except OSError as exc:
            log.info("regex cache not written to %s: %s", path, exc)
            return 0
        _kept = table
        _new.clear()
        return added
