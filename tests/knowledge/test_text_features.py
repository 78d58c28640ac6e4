"""knowledge.text_features reproduces scikit-learn's TfidfVectorizer analysers and transform, token for token."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.text_features import FittedTfidf, char_wb_analyzer, char_wb_ngrams

CORPUS = [
    "client says the rate is too high",
    "Client SAYS the RATE is Too High!",
    "客户嫌保证金比例太高",
    "客户说 the fee 太贵了 ok?",
    "tabs\tand\t\tnewlines\nand\r\nmore",
    "many    spaces   between  words ",
    "   leading and trailing   ",
    "unicode\u00a0no-break\u3000ideographic\u2003em\u2009thin spaces",
    "emoji 😀👍🏽 and 🇨🇳 flags",
    "accents: café naïve Ærøskøbing ŒUVRE İstanbul ß",
    "",
    " ",
    "a",
    "ab",
    "a b c d e",
    "digits 1,200,000 at 1.2% for 90d",
    "全角ＡＢＣ１２３ and 半角",
    "mixed中英文mixed words",
    "x\x1cseparators\x1dand\x1e\x1fcontrol",
    "apostrophes don't won’t",
]


def _zh_like(text: str) -> list[str]:
    return [w for w in text.split() if w]


@pytest.mark.parametrize("ngram_range", [(1, 4), (2, 3), (1, 1), (3, 5)])
def test_char_wb_matches_scikit_learn_token_for_token(ngram_range: tuple[int, int]) -> None:
    theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range).build_analyzer()
    ours = char_wb_analyzer(*ngram_range)
    for text in CORPUS:
        assert ours(text) == theirs(text), text


def test_char_wb_without_lowercasing_matches_too() -> None:
    theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=False).build_analyzer()
    for text in CORPUS:
        assert char_wb_ngrams(text, 1, 4, lowercase=False) == theirs(text), text


def test_a_callable_analyser_is_used_as_it_is() -> None:
    theirs = TfidfVectorizer(analyzer=_zh_like).build_analyzer()
    for text in CORPUS:
        assert theirs(text) == _zh_like(text)


@pytest.mark.parametrize("analyzer", ["char_wb", "callable"])
def test_a_fitted_block_gives_transform_s_row(analyzer: str) -> None:
    if analyzer == "char_wb":
        vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        ours = char_wb_analyzer(1, 4)
    else:
        vectoriser = TfidfVectorizer(analyzer=_zh_like, sublinear_tf=True)
        ours = _zh_like
    vectoriser.fit(CORPUS[:12])
    block = FittedTfidf.from_terms(ours, vectoriser.get_feature_names_out().tolist(), vectoriser.idf_)
    assert block.vocabulary == vectoriser.vocabulary_
    for text in CORPUS:
        expected = vectoriser.transform([text]).toarray()[0]
        got = np.zeros_like(expected)
        row = block.row(text)
        if row is not None:
            got[row[0]] = row[1]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=text)


def test_terms_round_trip_and_mismatched_idf_is_refused() -> None:
    block = FittedTfidf.from_terms(_zh_like, ["b", "a"], np.array([1.0, 2.0]))
    assert block.terms == ["b", "a"] and block.vocabulary == {"b": 0, "a": 1}
    with pytest.raises(ValueError):
        FittedTfidf.from_terms(_zh_like, ["a"], np.array([1.0, 2.0]))
