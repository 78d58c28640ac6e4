"""scikit-learn's ``TfidfVectorizer`` analysers and a fitted TF-IDF block, without scikit-learn.

The routing classifier and the objection recogniser are fitted with ``TfidfVectorizer(analyzer="char_wb",
ngram_range=(1, 4), sublinear_tf=True)`` and ``TfidfVectorizer(analyzer=<callable>, sublinear_tf=True)``.
At run time only the analyser, the vocabulary and the idf are needed; :func:`char_wb_analyzer` reproduces
scikit-learn's ``build_analyzer()`` for ``char_wb`` token for token (lower-casing, whitespace normalisation,
space-padded words), and a callable analyser is used as it is (scikit-learn only decodes the document first,
a no-op for ``str``). tests/knowledge/test_text_features.py compares both with scikit-learn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from knowledge.tfidf_row import tfidf_row

__all__ = ["Analyzer", "FittedTfidf", "char_wb_analyzer", "char_wb_ngrams"]

Analyzer = Callable[[str], list[str]]

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's VectorizerMixin._white_spaces


def char_wb_ngrams(text: str, min_n: int, max_n: int, *, lowercase: bool = True) -> list[str]:
    """The character n-grams of ``text`` within word boundaries, each word padded with a space on either side:
    scikit-learn's ``_char_wb_ngrams`` after its default preprocessing (lower-case, no accent stripping)."""
    if lowercase:
        text = text.lower()
    text = _WHITE_SPACES.sub(" ", text)
    ngrams: list[str] = []
    append = ngrams.append
    for word in text.split():
        padded = " " + word + " "
        length = len(padded)
        for n in range(min_n, max_n + 1):
            offset = 0
            append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted only once
                break
    return ngrams


def char_wb_analyzer(min_n: int, max_n: int, *, lowercase: bool = True) -> Analyzer:
    """``TfidfVectorizer(analyzer="char_wb", ngram_range=(min_n, max_n)).build_analyzer()``, without scikit-learn."""
    return partial(char_wb_ngrams, min_n=min_n, max_n=max_n, lowercase=lowercase)


@dataclass(frozen=True, slots=True)
class FittedTfidf:
    """A fitted ``TfidfVectorizer(sublinear_tf=True, norm="l2")``: its analyser, vocabulary and idf."""

    analyzer: Analyzer
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def from_terms(cls, analyzer: Analyzer, terms: Sequence[str], idf: np.ndarray) -> FittedTfidf:
        """From the vocabulary's terms in column order (as stored) and the idf."""
        if len(terms) != len(idf):
            raise ValueError(f"{len(terms)} terms but {len(idf)} idf values")
        return cls(analyzer, {term: i for i, term in enumerate(terms)}, np.asarray(idf, dtype=float))

    @property
    def terms(self) -> list[str]:
        """The vocabulary's terms in column order."""
        ordered = [""] * len(self.vocabulary)
        for term, index in self.vocabulary.items():
            ordered[index] = term
        return ordered

    def __len__(self) -> int:
        return len(self.vocabulary)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """``text``'s non-zero columns and values, as ``transform([text])`` gives them; None when it has none."""
        return tfidf_row(self.analyzer, self.vocabulary, self.idf, text)
