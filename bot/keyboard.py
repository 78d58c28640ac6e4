"""Reply buttons as a Telegram inline keyboard (shared by the Telegram adapter and the "working…" notice)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from skills.contract import Button

__all__ = ["keyboard"]


def keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """Reply buttons → an inline keyboard (a URL button opens the link; the others send their payload)."""
    rows = [
        [
            InlineKeyboardButton(b.label, url=b.url)
            if b.url
            else InlineKeyboardButton(b.label, callback_data=b.payload)
            for b in row
        ]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None
