"""Lexical retrieval: BM25 (``rank_bm25``) over playbook entries, one index per language.

English: lower-case word tokens, stop-words dropped, a light suffix stemmer. Chinese: jieba search-mode
words (the process's one dictionary, :mod:`knowledge.zh_words`) plus character bigrams of every Han run
(so a word jieba splits differently still matches), with any Latin tokens inside Chinese text (``DSO``,
``1.2%``) handled as English. MiniLM does not read Chinese, so for Chinese questions this index carries
the ranking.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from knowledge.content import Entry
from knowledge.zh_words import cut_for_search

__all__ = ["BM25Hit", "BM25Index", "entry_fields", "script_lang", "stem", "tokenize", "tokenize_en", "tokenize_zh"]

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*%?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'%]*")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


EN_STOP = _wordset(
    """a an the and or but if of to in on at by for with from into about as is are was were be been being am
    do does did doing done have has had having i me my we our us you your he him his she her it its they them their
    this that these those there here what which who whom whose when where why how can could should would will shall
    may might must not no so than too very just also only then now up down out over again more most some any
    all each both such own same s t d ll m re ve o y let lets let's i'm i've don't doesn't isn't it's that's what's
    get got please tell say said says one thing things way really want wants need needs make know"""
)

ZH_STOP = _wordset(
    """的 了 是 我 你 他 她 它 们 我们 你们 他们 她们 吗 呢 啊 吧 呀 嘛 哦 么 怎么 怎样 怎么样 如何 什么 啥 该 应该 要 能 会 可以
    这 那 这个 那个 一个 就 都 也 和 与 及 在 有 说 着 过 给 让 把 被 对 很 还 又 再 而 并 或 或者 如果 但 但是 所以 因为 为
    为了 从 到 向 跟 上 下 里 中 之 其 个 些 这些 那些 这样 那样 自己 没 没有 不 请 一下 下吗 呢 谁 哪 哪个 多少"""
)

_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ied", "ers", "er", "ed", "ly", "s")


def script_lang(text: str) -> str:
    """The language a query is written in: any Han character makes it Chinese.

    >>> script_lang("客户嫌 fee 太高"), script_lang("fee too high")
    ('zh', 'en')
    """
    return "zh" if _HAN.search(text) else "en"


def stem(word: str) -> str:
    """A light English stemmer: strip one common suffix, keeping at least a 3-letter stem.

    >>> [stem(w) for w in ("invoices", "explaining", "explained", "rates", "charges", "companies", "business")]
    ['invoic', 'explain', 'explain', 'rat', 'charg', 'compan', 'business']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ss"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word


def tokenize_en(text: str) -> list[str]:
    """English tokens: lower-case words without stop-words, stemmed.

    >>> tokenize_en("How do I explain factoring to a sales manager?")
    ['explain', 'factor', 'sal', 'manag']
    """
    return [stem(w) for w in _WORD.findall(text.lower()) if (w not in EN_STOP and len(w) > 1) or w.isdigit()]


def tokenize_zh(text: str, *, bigrams: bool = True) -> list[str]:
    """Chinese tokens: jieba search-mode words (stop-words dropped) plus Han character bigrams.

    >>> tokens = tokenize_zh("客户嫌手续费太高")
    >>> [w in tokens for w in ("客户", "手续费", "费太")]
    [True, True, True]
    """
    tokens: list[str] = []
    for run in _LATIN_RUN.findall(text):
        tokens.extend(tokenize_en(run))
    for run in _HAN.findall(text):
        words = [w for w in cut_for_search(run) if w.strip() and w not in ZH_STOP]
        tokens.extend(words)
        if bigrams:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def tokenize(text: str, lang: str, *, bigrams: bool = True) -> list[str]:
    """Tokens of ``text`` for the index of ``lang`` (``bigrams=False``: Chinese words only)."""
    return tokenize_zh(text, bigrams=bigrams) if lang == "zh" else tokenize_en(text)


def entry_fields(entry: Entry) -> list[str]:
    """The text of an entry that retrieval looks at, title first (repeated: it names the topic)."""
    parts = [entry.title, entry.title, *entry.triggers, " ".join(entry.tags)]
    if entry.kind == "objection":
        parts += [entry.section("Acknowledge"), entry.section("Ask")]
    else:
        parts += [entry.section("Summary"), *entry.key_points(), entry.section("When to use")]
    return [p for p in parts if p]


@dataclass(frozen=True, slots=True)
class BM25Hit:
    """One entry's BM25 score and the IDF-weighted share of the query's distinct tokens it contains (0…1)."""

    id: str
    lang: str
    kind: str
    score: float
    coverage: float


class BM25Index:
    """BM25 over entries, one ``BM25Okapi`` per language; ``search`` filters by language and kind."""

    def __init__(self, entries: Iterable[Entry], *, k1: float = 1.5, b: float = 0.5) -> None:
        self.keys: dict[str, list[tuple[str, str]]] = {}
        self.vocab: dict[str, list[frozenset[str]]] = {}
        self.models: dict[str, BM25Okapi] = {}
        corpus: dict[str, list[list[str]]] = {}
        for entry in sorted(entries, key=lambda e: (e.lang, e.id)):
            tokens = tokenize("\n".join(entry_fields(entry)), entry.lang)
            corpus.setdefault(entry.lang, []).append(tokens)
            self.keys.setdefault(entry.lang, []).append((entry.id, entry.kind))
            self.vocab.setdefault(entry.lang, []).append(frozenset(tokens))
        self.idf: dict[str, dict[str, float]] = {}
        self.unseen_idf: dict[str, float] = {}
        for lang, docs in corpus.items():
            self.models[lang] = BM25Okapi(docs, k1=k1, b=b)
            df: dict[str, int] = {}
            for vocab in self.vocab[lang]:
                for token in vocab:
                    df[token] = df.get(token, 0) + 1
            n = len(docs)
            self.idf[lang] = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
            self.unseen_idf[lang] = math.log((n + 1) / 0.5)

    def _weight(self, token: str, lang: str) -> float:
        return self.idf[lang].get(token, self.unseen_idf[lang])

    def search(self, query: str, k: int = 5, *, lang: str, kind: str | None = None) -> list[BM25Hit]:
        """The ``k`` best entries of ``lang`` with a positive score, best first."""
        model = self.models.get(lang)
        tokens = tokenize(query, lang)
        if model is None or not tokens:
            return []
        distinct = set(tokenize(query, lang, bigrams=False)) or set(tokens)
        weights = {t: self._weight(t, lang) for t in distinct}
        total = sum(weights.values()) or 1.0
        scores = model.get_scores(tokens)
        hits = []
        for i, (entry_id, entry_kind) in enumerate(self.keys[lang]):
            if kind is not None and entry_kind != kind:
                continue
            score = float(scores[i])
            if score <= 0.0:
                continue
            coverage = sum(weights[t] for t in distinct & self.vocab[lang][i]) / total
            hits.append(BM25Hit(entry_id, lang, entry_kind, score, coverage))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:k]
