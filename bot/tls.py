"""The TLS context of the Bot API connections: built once per process, and ahead of need on a thread.

Building it reads certifi's CA bundle (about 150 certificates) into OpenSSL: 25-45 ms here, spent in
OpenSSL with the GIL released. ``python -m bot run`` starts that build (:func:`prepare_tls_context`) before
it imports python-telegram-bot, so it is done on the second core by the time the Application is built,
instead of on the start-up's critical path.
"""

from __future__ import annotations

import ssl
import threading

__all__ = ["prepare_tls_context", "tls_context"]

_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """The one TLS context (certifi's CA bundle, as httpx would build) for both Bot API connections: each
    HTTPXRequest would otherwise read the bundle again. Waits for a build under way rather than repeat it."""
    global _context
    with _lock:
        if _context is None:
            import certifi

            _context = ssl.create_default_context(cafile=certifi.where())
        return _context


def prepare_tls_context() -> None:
    """Start building the context on a daemon thread (nothing is lost if the process ends first: the next
    :func:`tls_context` call builds it)."""
    threading.Thread(target=tls_context, name="tls-context", daemon=True).start()
