"""What other skills may use of the quote skill: the pricing engine, the one-line parser, and saved quotes.

Other skills import only this module (``tests/test_architecture.py`` enforces it): the objection card
prices its concessions with :func:`price`/:func:`bank_loan`, the client profile lists :func:`last_quotes`,
and a post-call memo re-prices the client's deal (:func:`parse_text`, :func:`resolve`, :func:`price_terms`,
:func:`add_quote`).
"""

from __future__ import annotations

from skills.quote.logic import QuoteInputError, bank_loan, price, price_terms
from skills.quote.parse import parse_text
from skills.quote.repository import add_quote, last_quotes
from skills.quote.terms import bounds_from, resolve, terms_from_dict

__all__ = [
    "QuoteInputError",
    "add_quote",
    "bank_loan",
    "bounds_from",
    "last_quotes",
    "parse_text",
    "price",
    "price_terms",
    "resolve",
    "terms_from_dict",
]
