"""FactorMate runtime and adapters: config, router, Telegram app, console, CLI, dispatcher."""

import contextlib
import gc
import sys
from collections.abc import Iterator

# httpx (imported by python-telegram-bot) loads its command-line client at import, ``from ._main import
# main`` in a try/except ImportError, and with it rich, click and pygments: about 0.1 s of every start,
# for a CLI this process never runs. Marking the module absent makes httpx take its own fallback (a
# ``main`` that says to install ``httpx[cli]``); the HTTP client itself is untouched. Here rather than in
# ``__main__`` so that the tests, which import ``bot.telegram_app`` directly, run the same way.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Import without the cyclic garbage collector, then freeze what was made and let it resume.

    Importing the bot creates a few hundred thousand long-lived objects (modules, classes, ORM and pydantic
    schemas) and next to no garbage, yet the collector ran ~280 times over them (~0.13 s of every start).
    Frozen objects are kept out of later collections, which only need to look at what the running bot makes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
