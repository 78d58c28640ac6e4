"""Lexical retrieval: BM25 (``rank_bm25``) over playbook entries, one index per language.

English: lower-case word tokens, stop-words dropped, a light suffix stemmer. Chinese: jieba search-mode
words (the process's one dictionary, :mod:`knowledge.zh_words`) plus character bigrams of every Han run
(so a word jieba splits differently still matches), with any Latin tokens inside Chinese text (``DSO``,
``1.2%``) handled as English. MiniLM does not read Chinese, so for Chinese questions this index carries
the ranking.

Segmenting the Chinese entries is most of the index's build (jieba in pure Python: ~0.25 s for the whole
playbook), so every entry's tokens are kept in ``bm25-tokens-<key>.json`` in the model cache
(``data/cache``). The key covers every entry's content digest, the tokenizers' source and jieba's code and
dictionary files: any change to the playbook or to how text is tokenised makes a new key, and the tokens are
made again. A missing, torn or foreign file is the same as none.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi

from knowledge.atomic_file import remove_others, write_atomically
from knowledge.content import Entry
from knowledge.zh_words import cut_for_search

__all__ = [
    "BM25Hit",
    "BM25Index",
    "entry_fields",
    "entry_tokens",
    "in_index_order",
    "script_lang",
    "stem",
    "tokenize",
    "tokenize_en",
    "tokenize_zh",
]

log = logging.getLogger(__name__)

_TOKENS_FORMAT = "1"
_TOKENS_PREFIX = "bm25-tokens-"

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


def _tokens_key(entries: Sequence[Entry]) -> str:
    """What the stored tokens were made from: the entries' content and the tokenizers' code and dictionary."""
    digest = hashlib.sha256(_TOKENS_FORMAT.encode())
    for module in (__file__, Path(__file__).with_name("zh_words.py")):  # the tokenizers' own source
        digest.update(Path(module).read_bytes())
    spec = importlib.util.find_spec("jieba")  # jieba's code and dictionary, by their files (not imported here)
    if spec is not None and spec.origin:
        for path in (Path(spec.origin), Path(spec.origin).with_name("dict.txt")):
            with contextlib.suppress(OSError):
                stat = path.stat()
                digest.update(f"|{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for entry in entries:
        digest.update(f"|{entry.lang}|{entry.id}|{entry.digest}".encode())
    return digest.hexdigest()


def _read_tokens(path: Path, key: str, count: int) -> list[list[str]] | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tokens = stored.get("tokens") if isinstance(stored, dict) and stored.get("key") == key else None
    if not isinstance(tokens, list) or len(tokens) != count:
        return None
    if not all(isinstance(doc, list) and all(isinstance(t, str) for t in doc) for doc in tokens):
        return None
    return tokens


def _write_tokens(path: Path, key: str, tokens: list[list[str]]) -> None:
    payload = json.dumps({"key": key, "tokens": tokens}, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        write_atomically(path, lambda fh: fh.write(payload))
    except OSError as exc:  # a read-only cache only costs the next start the segmentation again
        log.warning("BM25 tokens not kept in %s: %s", path.parent, exc)
    else:
        remove_others(path, f"{_TOKENS_PREFIX}*.json")


def in_index_order(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in the order :class:`BM25Index` keeps them (language, then id)."""
    return sorted(entries, key=lambda e: (e.lang, e.id))


def entry_tokens(entries: Sequence[Entry], cache: Path | None = None) -> list[list[str]]:
    """Every entry's BM25 tokens (of :func:`entry_fields`, in its language), in order; read from ``cache`` when
    it holds them for exactly these entries (in this order) and tokenizers, else made and kept there."""
    if cache is None:
        return [tokenize("\n".join(entry_fields(e)), e.lang) for e in entries]
    key = _tokens_key(entries)
    path = cache / f"{_TOKENS_PREFIX}{key[:16]}.json"
    stored = _read_tokens(path, key, len(entries))
    if stored is not None:
        return stored
    tokens = [tokenize("\n".join(entry_fields(e)), e.lang) for e in entries]
    _write_tokens(path, key, tokens)
    return tokens


@dataclass(frozen=True, slots=True)
class BM25Hit:
    """One entry's BM25 score and the IDF-weighted share of the query's distinct tokens it contains (0…1)."""

    id: str
    lang: str
    kind: str
    score: float
    coverage: float


class BM25Index:
    """BM25 over entries, one ``BM25Okapi`` per language; ``search`` filters by language and kind.

    ``cache``: the folder keeping the entries' tokens between starts (see :func:`entry_tokens`)."""

    def __init__(
        self, entries: Iterable[Entry], *, k1: float = 1.5, b: float = 0.5, cache: Path | None = None
    ) -> None:
        self.keys: dict[str, list[tuple[str, str]]] = {}
        self.vocab: dict[str, list[frozenset[str]]] = {}
        self.models: dict[str, BM25Okapi] = {}
        corpus: dict[str, list[list[str]]] = {}
        ordered = in_index_order(entries)
        for entry, tokens in zip(ordered, entry_tokens(ordered, cache), strict=True):
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
