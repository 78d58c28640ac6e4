"""A call on its own thread, its result in a future: for loading steps that spend their time in native code
(hashing, onnxruntime building a session) and so can run beside Python work on a second core."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["in_thread"]

T = TypeVar("T")


def in_thread(call: Callable[..., T], *args: Any, name: str = "knowledge-step") -> Future[T]:
    """Run ``call(*args)`` on a new thread; its result (or exception) in the returned future.

    Not a daemon: the interpreter waits for it at exit rather than cut a native call short (the steps are
    short; an owner that gives up on the result should still wait for it, as :func:`open_knowledge` does).

    >>> in_thread(sum, [1, 2, 3]).result(5)
    6
    """
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(call(*args))
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=run, name=name).start()
    return future
