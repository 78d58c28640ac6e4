"""Progress for the CLI's long operations: a tqdm bar on a terminal, a few plain lines otherwise.

:class:`Progress` is a ``(done, total)`` callback and a context manager that closes the bar: what
``knowledge.index.sync_index`` calls per embedded batch, ``plan_import`` / ``apply_import`` per few hundred
rows checked / chunk of rows written, and ``load_demo`` per batch of clients created. Output goes to
stderr, so ``--json`` on stdout stays clean; off a terminal (CI, pipes, logs) it prints a line at each
quarter instead of a bar.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

__all__ = ["Progress", "track"]

T = TypeVar("T")


class Progress:
    """Draws ``done`` of ``total`` under ``label``; nothing is shown until the first call."""

    def __init__(self, label: str, *, unit: str = "", stream: TextIO | None = None) -> None:
        self.label, self.unit = label, unit
        self.out = stream or sys.stderr
        self._bar: Any = None
        self._quarter = 0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if self.out.isatty():
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(total=total, desc=self.label, unit=self.unit or "it", file=self.out)
            self._bar.update(done - self._bar.n)
            return
        quarter = min(4, done * 4 // total)
        if quarter > self._quarter:
            self._quarter = quarter
            unit = f" {self.unit}" if self.unit else ""
            self.out.write(f"{self.label}: {done}/{total}{unit} ({quarter * 25}%)\n")
            self.out.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


def track(items: Iterable[T], total: int, label: str, *, unit: str = "", stream: TextIO | None = None) -> Iterator[T]:
    """Iterate ``items`` while showing progress."""
    with Progress(label, unit=unit, stream=stream) as bar:
        for n, item in enumerate(items, start=1):
            yield item
            bar(n, total)
