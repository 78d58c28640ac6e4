"""Chinese word segmentation for the whole process: ONE jieba dictionary, two glossaries over it.

jieba's dictionary is never loaded as jieba loads it (a dict of ~500k words and prefixes: ~70 MB and ~1 s in
every process): :mod:`knowledge.jieba_freq` answers jieba's questions about it from a memory-mapped table
of hashes (~6 MB, shared between processes, a few milliseconds to open), built once from jieba's own
``dict.txt``; jieba's global tokenizer stays empty. Each glossary lives in a small :class:`_Overlay` on top
of that table: lookups fall through to it, added words stay in the overlay. Segmentation is exactly jieba's
(``tests/knowledge/test_zh_words.py`` compares every word with a real ``jieba.Tokenizer``):

- :func:`cut` (the objection recogniser's and the router's word features): jieba's dictionary plus
  :data:`RECOGNISER_WORDS` (frequencies jieba suggests, just enough to keep them whole). Before, the
  router saw these words only if the objection skill had segmented something first; now always.
- :func:`cut_for_search` (BM25): jieba's dictionary plus :data:`RETRIEVAL_TERMS` at a high frequency.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jieba

    from knowledge.jieba_freq import FreqTable

__all__ = ["RECOGNISER_WORDS", "RETRIEVAL_TERMS", "cut", "cut_for_search"]

# Factoring terms jieba's general dictionary splits, kept whole for retrieval.
RETRIEVAL_TERMS = (
    "保理", "应收账款", "融资比例", "预付比例", "融资金额", "保留款", "年化利率", "贴息", "服务费", "手续费", "首笔",
    "先息后本", "利随本清", "综合年化成本", "保证金", "担保人", "抵押物", "追索权", "无追索权", "有追索权", "明保理",
    "暗保理", "转让通知", "确权", "授信额度", "额度使用率", "信用保险", "账期", "账龄", "回款周期", "周转天数",
    "集中度", "逾期", "坏账", "稀释", "回款", "催收", "融资申请", "审批", "核心企业", "下游客户", "预警", "放款",
)  # fmt: skip
_RETRIEVAL_FREQ = 20000
# Words of objections and their cues, for the recogniser's and the router's word features.
RECOGNISER_WORDS = (
    "保证金", "确权", "暗保理", "明保理", "追索权", "无追索权", "融资比例", "手续费", "服务费", "贴息", "授信",
    "个人担保", "连带责任", "保留款", "集中度", "台账", "跑路", "牌照", "罚息", "试点", "资金链",
)  # fmt: skip

_MISSING = object()
_lock = threading.Lock()


class _Overlay(dict):  # type: ignore[type-arg]
    """A word-frequency table over the shared one: reads fall through to it, writes stay here."""

    __slots__ = ("base",)

    def __init__(self, base: FreqTable) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, key: str) -> int:
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        return self.base.get(key, default) if value is _MISSING else value


@functools.cache
def _shared() -> FreqTable:
    """jieba's dictionary as a compact read-only table (memory-mapped); nothing is ever added to it."""
    from knowledge import jieba_freq

    return jieba_freq.load()


def _view(words: tuple[str, ...], freq: int | None) -> jieba.Tokenizer:
    from knowledge.jieba_freq import import_jieba

    jieba = import_jieba()

    with _lock:
        shared = _shared()
        view = jieba.Tokenizer()
        view.FREQ = _Overlay(shared)
        view.total = shared.total
        view.initialized = True  # so jieba never loads its own dictionary into this tokenizer
        for word in words:
            view.add_word(word, freq=freq)
    return view


@functools.cache
def _recogniser() -> jieba.Tokenizer:
    return _view(RECOGNISER_WORDS, None)


@functools.cache
def _retrieval() -> jieba.Tokenizer:
    return _view(RETRIEVAL_TERMS, _RETRIEVAL_FREQ)


def cut(text: str) -> list[str]:
    """Precise-mode words of ``text`` with the recogniser's words kept whole.

    >>> cut("客户嫌手续费太高")
    ['客户', '嫌', '手续费', '太高']
    """
    return _recogniser().lcut(text)


def cut_for_search(text: str) -> list[str]:
    """Search-mode words (long words and their shorter parts) of ``text``, retrieval terms kept whole."""
    return _retrieval().lcut_for_search(text)
