"""BM25 tokenisation (English stems, Chinese jieba words + bigrams) and lexical ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.bm25 import (
    BM25Index,
    entry_fields,
    entry_tokens,
    in_index_order,
    script_lang,
    stem,
    tokenize,
    tokenize_en,
    tokenize_zh,
)
from knowledge.content import load_playbook
from tests.knowledge.conftest import copy_playbook


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("invoices", "invoic"),
        ("invoice", "invoic"),
        ("explaining", "explain"),
        ("explained", "explain"),
        ("guarantees", "guarante"),
        ("guarantee", "guarante"),
        ("business", "business"),
        ("fee", "fee"),
        ("dso", "dso"),
    ],
)
def test_light_stemmer_maps_inflections_together(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_english_tokens_drop_stop_words_and_keep_numbers() -> None:
    assert tokenize_en("What do I say when the buyer is 45 days late?") == ["buy", "45", "day", "lat"]
    assert "1.2%" in tokenize_en("they think 1.2% monthly is pricey")


def test_chinese_tokens_are_glossary_words_plus_bigrams_without_stop_words() -> None:
    tokens = tokenize_zh("客户不愿意交保证金怎么谈")
    assert "保证金" in tokens  # kept whole (glossary term)
    assert "怎么" not in tokenize_zh("客户不愿意交保证金怎么谈", bigrams=False)  # stop-word dropped from words
    assert "证金" in tokens  # bigram of the Han run
    assert {"追索权", "确权", "综合年化成本"} <= set(tokenize_zh("无追索权、确权和综合年化成本"))


def test_latin_inside_chinese_is_tokenised_as_english() -> None:
    tokens = tokenize_zh("客户DSO从60天涨到95天")
    assert "dso" in tokens and "60" in tokens and "95" in tokens


def test_script_language() -> None:
    assert script_lang("客户嫌 fee 太高") == "zh"
    assert script_lang("the fee is too high") == "en"


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index(load_playbook())


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("客户不愿意交保证金怎么谈", "zh", "obj.deposit-margin"),
        ("买方财务不配合确权怎么办", "zh", "obj.invoice-verification"),
        ("黄牌和红牌怎么区分", "zh", "risk.warning-cards"),
        ("how do I soften the personal guarantee ask", "en", "obj.guarantee-required"),
        ("buyer paid 30 days early, do we refund interest?", "en", "obj.early-repayment"),
    ],
)
def test_bm25_ranks_the_matching_entry_first(index: BM25Index, query: str, lang: str, expected: str) -> None:
    hits = index.search(query, 3, lang=lang)
    assert hits[0].id == expected
    assert all(h.lang == lang for h in hits)


def test_bm25_filters_by_kind_and_reports_coverage(index: BM25Index) -> None:
    hits = index.search("保证金怎么解释", 10, lang="zh", kind="technique")
    assert hits and all(h.kind == "technique" for h in hits)
    off = index.search("红烧肉怎么做", 1, lang="zh")
    on = index.search("客户不愿意交保证金怎么谈", 1, lang="zh")
    assert (off[0].coverage if off else 0.0) < on[0].coverage


def test_bm25_off_topic_question_with_no_known_token_finds_nothing(index: BM25Index) -> None:
    assert index.search("昨晚国足比赛谁赢了", 3, lang="zh") == []


def _index_state(index: BM25Index) -> tuple[object, ...]:
    return (index.keys, index.vocab, {lang: model.doc_freqs for lang, model in index.models.items()})


def test_the_tokens_kept_between_starts_give_the_same_index(tmp_path: Path) -> None:
    playbook = load_playbook()
    fresh = BM25Index(playbook)
    first = BM25Index(playbook, cache=tmp_path)  # segments and keeps the tokens
    (kept,) = tmp_path.glob("bm25-tokens-*.json")
    second = BM25Index(playbook, cache=tmp_path)  # reads them
    assert _index_state(first) == _index_state(second) == _index_state(fresh)
    assert list(tmp_path.glob("bm25-tokens-*.json")) == [kept]
    query = "客户不愿意交保证金怎么谈"
    assert second.search(query, 3, lang="zh") == fresh.search(query, 3, lang="zh")


def test_kept_tokens_follow_the_playbook_and_survive_a_torn_file(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    cache = tmp_path / "cache"
    entries = in_index_order(load_playbook(root))
    tokens = entry_tokens(entries, cache)
    (kept,) = cache.glob("bm25-tokens-*.json")
    kept.write_text(kept.read_text(encoding="utf-8")[:100], encoding="utf-8")  # torn
    assert entry_tokens(entries, cache) == tokens  # made again
    assert entry_tokens(entries, cache) == tokens  # and read back
    entry = next((root / "zh").glob("*.md"))
    entry.write_text(entry.read_text(encoding="utf-8") + "\n应收账款周转天数\n", encoding="utf-8")
    changed = in_index_order(load_playbook(root))
    assert entry_tokens(changed, cache) == [tokenize("\n".join(entry_fields(e)), e.lang) for e in changed]
    assert len(list(cache.glob("bm25-tokens-*.json"))) == 1  # the stale file is gone
