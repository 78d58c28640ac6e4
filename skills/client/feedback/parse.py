"""Read a client's satisfaction (1–5) and remarks from what the officer typed, in English or Chinese.

Pure: figures first ("4/5", "4 out of 5", "4 stars", "★★★★", "满意度4", "打4分", "四星"), then words
("very satisfied", "unhappy", "非常满意", "不太满意", "一般"), negated and intensified forms before plain ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ParsedFeedback", "parse_feedback", "trend"]

_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
# A digit 1-5, or a Chinese numeral when it is the whole number ("一般" is not a score of 1).
_N = r"([1-5]|[一二两三四五](?=\s*(?:分|颗?星|$|[，,。.;；!！\s/])))"
_FIGURES = (
    # 4/5, 4 / 5, 4 out of 5, 4 of 5, 4分（满分5分）
    re.compile(rf"(?<![\d.]){_N}(?:\.0)?\s*(?:/|out\s+of|of)\s*5(?![\d.])", re.I),
    # 4 stars, 4-star, 4星, 四星, 4颗星
    re.compile(rf"(?<![\d.]){_N}\s*(?:-\s*)?(?:stars?\b|颗?星)", re.I),
    # satisfaction 4, score: 4, rating=4, rated 4, 满意度4, 满意度：4分, 评分4, 打4分, 给了4分
    re.compile(
        rf"(?:satisfaction|score|rating|rated|csat|满意度|满意分|评分|打分|评价|打了?|给了?)\s*(?:is|was|of|为|是|[:：=])?\s*{_N}(?:\s*分)?(?![\d.])",
        re.I,
    ),
    # 4分 on its own
    re.compile(rf"(?<![\d.]){_N}\s*分(?!钟)"),
)
_STARS = re.compile(r"[★⭐]{1,5}")
# Words, most specific first: (pattern, score).
_WORDS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p, re.I), s)
    for p, s in (
        (r"no\s+complaints?|nothing\s+to\s+complain|没有?什么?不满|没意见|挑不出毛病", 4),
        (r"非常不满意|很不满意|极其不满|特别不满意|very\s+(?:dis|un)satisfied|very\s+unhappy|furious|angry|terrible|awful|"
         r"extremely\s+(?:dis|un)satisfied|really\s+unhappy", 1),
        (r"不太满意|不满意|差评|很差|太差|不大满意|有点不满|不开心|失望|dissatisfied|unsatisfied|not\s+(?:very\s+|so\s+|too\s+)?(?:satisfied|happy|good|great|pleased)|"
         r"unhappy|disappointed|annoyed|frustrated|complain(?:ed|s|ing)?", 2),
        (r"非常满意|特别满意|十分满意|很满意|超满意|very\s+(?:satisfied|happy|pleased)|delighted|thrilled|excellent|"
         r"extremely\s+(?:satisfied|happy)|loves?\s+(?:it|us|the)", 5),
        (r"比较满意|还算满意|挺满意|满意|好评|不错|挺好|很好|satisfied|happy|pleased|good", 4),
        (r"一般般?|还行|凑合|马马虎虎|neutral|so-so|okay|\bok\b|average|mixed|fine", 3),
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedFeedback:
    """The satisfaction score (None when the text gives none) and the remarks as written."""

    score: int | None
    remarks: str
    matched: str = ""  # the words the score was read from


def _num(token: str) -> int:
    return _ZH_DIGITS[token] if token in _ZH_DIGITS else int(token)


def parse_feedback(text: str) -> ParsedFeedback:
    """Score and remarks from free text; a score written as a figure wins over words.

    >>> [parse_feedback(s).score for s in ("4/5 fast funding", "4 stars", "满意度4", "非常满意", "不太满意，放款慢")]
    [4, 4, 4, 5, 2]
    >>> [parse_feedback(s).score for s in ("rated 2 out of 5", "★★★", "给了五分", "very unhappy about fees", "一般")]
    [2, 3, 5, 1, 3]
    >>> parse_feedback("wants the limit raised to 5m").score is None
    True
    """
    remarks = " ".join(text.split()).strip(" ,，;；:：-—")
    for pattern in _FIGURES:
        m = pattern.search(remarks)
        if m:
            return ParsedFeedback(_num(m.group(1)), remarks, m.group(0).strip())
    m = _STARS.search(remarks)
    if m:
        return ParsedFeedback(len(m.group(0)), remarks, m.group(0))
    for pattern, score in _WORDS:
        m = pattern.search(remarks)
        if m:
            return ParsedFeedback(score, remarks, m.group(0))
    return ParsedFeedback(None, remarks)


def trend(scores: list[int], *, window: int = 3) -> tuple[float | None, float | None, bool]:
    """(mean of the last ``window`` scores, mean of the ``window`` before the latest, falling) — oldest first.

    Falling: the latest score is 3 or less and at least a point below the mean of the ones before it, or it is
    1–2 and lower than the one before (a 5 → 4 dip is not a signal; 5 → 3 or 3 → 2 is).

    >>> trend([5, 5, 4, 3, 2])
    (3.0, 4.0, True)
    >>> trend([3, 4, 4])
    (3.67, 3.5, False)
    >>> trend([4, 2])
    (3.0, 4.0, True)
    >>> trend([5, 5, 4])[2]
    False
    >>> trend([4])
    (4.0, None, False)
    """
    if not scores:
        return None, None, False
    recent = round(sum(scores[-window:]) / len(scores[-window:]), 2)
    if len(scores) < 2:
        return recent, None, False
    before = scores[-window - 1 : -1]
    previous = round(sum(before) / len(before), 2)
    last = scores[-1]
    falling = (last <= 3 and last <= previous - 1) or (last <= 2 and last < scores[-2])
    return recent, previous, falling
