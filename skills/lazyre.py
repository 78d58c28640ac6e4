"""Regular expressions compiled on their first use, not at import.

A large alternation, or a character class over the CJK block, takes several milliseconds to compile; the
skills hold dozens of them at module level, and compiling them all at import cost every command (``/help``
included) a noticeable part of its start. A :class:`LazyPattern` compiles when first matched, from the code
kept in the model cache by :mod:`skills.regex_cache` when there is some. :func:`compile_all` compiles every
pattern made so far (``python -m bot train`` does, so the cache is full from the first start).
"""

from __future__ import annotations

import re
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from skills.regex_cache import compile_cached

__all__ = ["LazyPattern", "compile_all", "lazy"]

_made: weakref.WeakSet[LazyPattern] = weakref.WeakSet()


class LazyPattern:
    """A pattern compiled on its first use. Only the methods the skills use are offered.

    >>> rule = LazyPattern("noon|midday", re.I)
    >>> rule.search("at NOON").group(), rule.pattern
    ('NOON', 'noon|midday')
    """

    __slots__ = ("__weakref__", "_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None
        _made.add(self)

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if this is its first use; a race only compiles it twice)."""
        if self._compiled is None:
            self._compiled = compile_cached(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(text, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return self.compiled.sub(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(text, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, deferred to the first match (see :class:`LazyPattern`)."""
    return LazyPattern(pattern, flags)


def compile_all() -> int:
    """Compile every pattern made so far (those of the modules imported); returns how many there are."""
    made = list(_made)
    for pattern in made:
        pattern.compiled  # noqa: B018 - compiling is the point
    return len(made)
