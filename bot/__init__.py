"""FactorMate runtime and adapters: config, router, Telegram app, console, CLI, dispatcher."""

import sys

# httpx (imported by python-telegram-bot) loads its command-line client at import, ``from ._main import
# main`` in a try/except ImportError, and with it rich, click and pygments: about 0.1 s of every start,
# for a CLI this process never runs. Marking the module absent makes httpx take its own fallback (a
# ``main`` that says to install ``httpx[cli]``); the HTTP client itself is untouched. Here rather than in
# ``__main__`` so that the tests, which import ``bot.telegram_app`` directly, run the same way.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

__all__: list[str] = []
