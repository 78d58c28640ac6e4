"""Bilingual message catalogues: every user-facing string exists in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["LANGS", "Catalogue", "detect_lang", "normalise_lang", "t"]

LANGS = ("en", "zh")

# key -> {"en": "...", "zh": "..."}; templates use str.format fields.
Catalogue = Mapping[str, Mapping[str, str]]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def t(catalogue: Catalogue, key: str, lang: str, /, **params: object) -> str:
    """Return ``key`` from ``catalogue`` in ``lang`` (falling back to English), formatted with ``params``."""
    entry = catalogue[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**params) if params else template


def detect_lang(text: str, default: str = "en") -> str:
    """Guess the language of a message from its script: any Han characters make it Chinese.

    >>> detect_lang("客户嫌手续费太高, rate 1.2%")
    'zh'
    >>> detect_lang("quote 1.2m 90d")
    'en'
    >>> detect_lang("123", default="zh")
    'zh'
    """
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return default


def normalise_lang(code: str | None) -> str | None:
    """Map a Telegram ``language_code`` ("zh-hans", "en-US") to "en"/"zh", or None if neither."""
    if not code:
        return None
    code = code.lower()
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en"):
        return "en"
    return None
