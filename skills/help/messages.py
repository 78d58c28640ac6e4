"""Strings of the help skill."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    "welcome": {
        "en": "👋 <b>FactorMate</b> — your factoring assistant, {name}.\n"
        "Type what you need in plain words, in English or Chinese. Here is what I can do:",
        "zh": "👋 <b>FactorMate</b> 保理业务助手，{name}您好。\n直接用中文或英文说出您的需要即可。我能做这些：",
    },
    "commands": {"en": "<b>Commands</b>", "zh": "<b>命令</b>"},
    "footer": {
        "en": "/lang zh switches to Chinese · /tz Area/City sets your timezone · /cancel stops a step-by-step flow.",
        "zh": "/lang en 切换为英文 · /tz 地区/城市 设置时区 · /cancel 退出分步操作。",
    },
    "examples": {"en": "e.g.", "zh": "例如"},
    "thanks": {"en": "Any time 👍 Type what you need next, or /help.", "zh": "不客气 👍 有需要随时说，或发 /help。"},
}
