"""How plausible a message is as the answer to the guided quote's open question (amount, tenor, terms, client).

Pure: the router asks this before handing a message to the open quote, so that "remind me tomorrow at 10
to call Acme" at the amount step is not read as an amount of 10. A message is an answer when it names what
was asked and says little else.
"""

from __future__ import annotations

import re
from typing import Any

from skills.lazyre import lazy
from skills.quote.parse import parse_text

__all__ = ["BARE_INT", "DEFAULT_WORDS", "answer_fit", "names_a_client"]

DEFAULT_WORDS = lazy(
    r"^\s*(defaults?|use\s+(?:the\s+)?defaults?|standard|ok|okay|no|none|nope|nothing|skip|go|that'?s\s+it|fine|"
    r"默认|默认条件|使用默认条件|按默认|没有|无|好|好的|可以|行|就这样)\s*[.!。！]?\s*$",
    re.I,
)
BARE_INT = re.compile(r"^\s*(\d{1,4})\s*$")
# Words that go with an answer without changing it ("ok so about 1.2m for Acme pls", "那个 大概100万吧").
_FILLER = lazy(
    r"(?<![a-z])(?:ok(?:ay)?|so|um+|uh+|er|hmm+|well|pls|plz|please|make\s+it|let'?s\s+say|say|about|around|roughly|"
    r"approx(?:imately)?|the|it'?s|it|is|its|amount|invoice|face(?:\s+value)?|of|for|on|by|in|and|with|at|a|an|"
    r"quote|price|yes|yeah|yep|sure|just|then|days?|tenor|term|due|net|total|thanks?)(?![a-z])|"
    r"那个|这个|嗯|呃|就是|就|大概|大约|左右|差不多|吧|啊|哦|好的|是|金额|发票|元|块|天|期限|账期|报价|要|按|的|呢|哈|一共|总共"
)
_PERIOD = re.compile(r"(?<![a-z])(?:days?|weeks?|months?)(?![a-z])|天|个月|周", re.I)
_NUMBER_WORD = lazy(
    r"(?<![a-z])(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million)(?![a-z])",
    re.I,
)
_WORD = lazy(r"[a-z]+|[\u4e00-\u9fff]{1,2}")
_SURE, _LIKELY, _RELATED, _DOUBTFUL, _NOT = 0.95, 0.85, 0.8, 0.4, 0.1


def _extra_words(rest: str) -> int:
    return len(_WORD.findall(_FILLER.sub(" ", rest)))


def answer_fit(state: dict[str, Any], text: str) -> float:
    """In [0, 1]: how plausible ``text`` is as the answer to the step in ``state``.

    >>> answer_fit({"step": "amount"}, "1.2m"), answer_fit({"step": "amount"}, "remind me tomorrow at 10 to call Acme")
    (0.95, 0.1)
    >>> answer_fit({"step": "terms"}, "advance 85% rate 7%"), answer_fit({"step": "terms"}, "help")
    (0.95, 0.0)
    """
    step = state.get("step")
    if step == "save":  # a client's name: short, no figures
        return _LIKELY if len(text.split()) <= 4 and not re.search(r"\d", text) else _DOUBTFUL
    if step == "terms" and DEFAULT_WORDS.match(text):
        return _SURE
    if step == "tenor" and BARE_INT.match(text):
        return _SURE
    p = parse_text(text)
    found = {
        "amount": p.amount is not None,
        "tenor": p.has_tenor,
        "terms": p.has_terms or p.stray_percent is not None,
    }.get(str(step), False)
    extra = _extra_words(p.rest)
    if not found:  # another deal figure ("ninety days" when the amount was asked): ours to ask again
        related = p.amount is not None or p.has_tenor or p.has_terms or bool(_PERIOD.search(text))
        extra = _extra_words(_PERIOD.sub(" ", _NUMBER_WORD.sub(" ", p.rest)))
        return _RELATED if related and extra == 0 else 0.0
    if extra == 0:
        return _SURE
    if extra <= 2:
        return _LIKELY
    return _DOUBTFUL if extra <= 4 else _NOT


def names_a_client(text: str, names: list[str]) -> bool:
    """True when ``text`` is essentially one of ``names`` (a client's name or alias), give or take filler.

    >>> names_a_client("Acme pls", ["Acme Trading Co.", "Acme"]), names_a_client("any red flags on Acme?", ["Acme"])
    (True, False)
    """
    rest = text.lower()
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name.lower(), " ")
    if rest == text.lower():
        return False
    return _extra_words(parse_text(rest).rest) <= 1
