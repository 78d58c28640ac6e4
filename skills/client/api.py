"""What the adapters may use of the client skill: the ledger a Confirm import button is about to apply.

``bot/`` reaches a skill only through its ``api`` module (``tests/test_architecture.py`` enforces it); the
Telegram adapter asks this one whether a button press starts a long import, to show its "working…" notice.
"""

from __future__ import annotations

from skills.client.upload import confirmed_upload

__all__ = ["confirmed_upload"]
