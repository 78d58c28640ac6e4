"""Chinese word segmentation for the whole process: ONE jieba dictionary, taught our glossary once.

jieba's dictionary takes about 70 MB in memory. BM25 (playbook retrieval), the objection recogniser and
the router's classifier all segment Chinese; they used to hold two dictionaries (BM25 its own
``jieba.Tokenizer``, the others jieba's global one, which the objection skill taught its words on first
use, so what the router saw depended on which ran first). Now all three call :func:`cut` /
:func:`cut_for_search` on jieba's global tokenizer, loaded on first use and taught :data:`GLOSSARY` before
anyone segments with it, so every caller sees the same words whatever the order.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

__all__ = ["GLOSSARY", "cut", "cut_for_search", "tokenizer"]

# Factoring terms jieba's general dictionary splits or weighs too lightly, kept whole (frequency: None lets
# jieba suggest one just high enough to keep the word whole).
GLOSSARY: dict[str, int | None] = {
    **dict.fromkeys(
        (
            "保理", "应收账款", "融资比例", "预付比例", "融资金额", "保留款", "年化利率", "贴息", "服务费", "手续费",
            "首笔", "先息后本", "利随本清", "综合年化成本", "保证金", "担保人", "抵押物", "追索权", "无追索权",
            "有追索权", "明保理", "暗保理", "转让通知", "确权", "授信额度", "额度使用率", "信用保险", "账期", "账龄",
            "回款周期", "周转天数", "集中度", "逾期", "坏账", "稀释", "回款", "催收", "融资申请", "审批", "核心企业",
            "下游客户", "预警", "放款",
        ),
        20000,
    ),
    # The objection recogniser's words (also the router's: it segments with the same dictionary).
    **dict.fromkeys(("授信", "个人担保", "连带责任", "台账", "跑路", "牌照", "罚息", "试点", "资金链")),
}  # fmt: skip

_lock = threading.Lock()
_ready = False


def tokenizer() -> jieba.Tokenizer:
    """jieba's global tokenizer, its dictionary loaded and taught :data:`GLOSSARY` (once, quietly)."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                for word, freq in GLOSSARY.items():
                    jieba.dt.add_word(word, freq=freq)
                _ready = True
    return jieba.dt


def cut(text: str) -> list[str]:
    """jieba's precise-mode words of ``text``.

    >>> cut("客户嫌手续费太高")
    ['客户', '嫌', '手续费', '太高']
    """
    return tokenizer().lcut(text)


def cut_for_search(text: str) -> list[str]:
    """jieba's search-mode words (long words and their shorter parts) of ``text``."""
    return tokenizer().lcut_for_search(text)
