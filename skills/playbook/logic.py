"""Pure logic of the playbook skill: recognising how-to questions, and condensing entries for a phone screen."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from skills.lazyre import lazy

if TYPE_CHECKING:
    from knowledge.content import Entry

# knowledge.content (and with it PyYAML, ~25 ms) is imported when a playbook answer is condensed, not at
# start: /help, a quote or a reminder never read the playbook.

__all__ = [
    "answer_points",
    "cited_ids",
    "condense",
    "looks_like_howto",
    "looks_like_objection",
    "route_score",
]


_HOWTO = lazy(
    r"\b(how (do|should|can|would) (i|we|you)|how to|what should (i|we) (say|tell|do|ask|check|prepare)|what do (i|we) (say|tell)"
    r"|what is(?! (on|up|due|new|next|overdue|late|going|happening|wrong|my|our)\b)|what'?s (a|an|the difference)|"
    r"what are|explain|tips? (for|on)|best way to|any advice"
    r"|what (questions?|to ask|to say|to check)|questions? (to|i should|should i|we should) ask"
    r"|what does [\w -]{1,30} mean|meaning of|difference between|how (is|are) [\w -]{1,30} (calculated|computed|measured)"
    # asking for advice: "is it worth…", "should we…", "does it make sense to…"
    r"|is it worth|worth it|should (i|we) (offer|give|suggest|push|accept|agree|ask|try|bother|work|use)"
    r"|is it (a good idea|wise|ok|okay|smart) to|does it make sense|would it (help|make sense))\b"
    r"|怎么(?!样|了)|(?<!情况)如何(?![\s?？。!！呢啊吧了]*$)|什么是|该怎么说|话术|怎样|有什么技巧|是(?:什么|啥)(?:意思|东西)?(?=[\s?？。!！呢啊吧]*$)|啥意思|什么意思"
    r"|(?:要|该|应该)问(?:什么|哪些|啥)|问(?:什么|哪些|啥)问题|(?:要|该|应该)(?:准备|注意|检查)(?:什么|哪些|啥)"
    r"|值不值得|值得(?:做|跟|吗)|该不该|有没有必要|有必要(?:吗|做)"
    r"|(?:要|该|应该)(?:说|讲|聊|谈)(?:什么|哪些|啥)|说(?:什么|啥)好|第一步|首先(?:要|该)做|(?:要|该|应该)(?:看|查|核实)(?:什么|哪些|啥)",
    re.IGNORECASE,
)
# A quoted client objection belongs to the objection skill.
_OBJECTION = lazy(
    r"\b(client|customer|he|she|they|prospect|buyer|owner|cfo) (says?|said|thinks?|claims?|complains?|insists?)\b"
    r"|客户说|客户嫌|客户觉得|客户认为|客户抱怨|他说|她说|他嫌|她嫌|老板说|对方说",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
_CITE = re.compile(r"\[([a-z]+\.[a-z0-9-]+)\]")


def looks_like_objection(text: str) -> bool:
    """A quoted client objection ("client says…", "客户嫌…").

    >>> looks_like_objection("client says the rate is too high"), looks_like_objection("客户嫌手续费太高怎么办")
    (True, True)
    >>> looks_like_objection("how do I explain factoring?")
    False
    """
    return bool(_OBJECTION.search(text))


def looks_like_howto(text: str) -> bool:
    """A "how do I…" / "什么是…" question.

    >>> looks_like_howto("How do I explain factoring to a sales manager?"), looks_like_howto("保证金怎么解释")
    (True, True)
    >>> looks_like_howto("quote 1m 90d")
    False
    """
    return bool(_HOWTO.search(text))


def route_score(text: str) -> float:
    """The router score: 0.85 for a clear how-to question, else 0 (only evidence about the playbook itself).

    >>> route_score("what should I say when the buyer pays late"), route_score("quote 1m 90d")
    (0.85, 0.0)
    >>> route_score("话术：首笔业务怎么谈"), route_score("宏达建材最近怎么样")
    (0.85, 0.0)
    """
    return 0.85 if looks_like_howto(text) else 0.0


def condense(text: str, limit: int = 180) -> str:
    """The first sentence of ``text`` (or the whole if short), cut at ``limit`` characters.

    >>> condense("Fair — the rate is the first thing to check. Then compare.")
    'Fair — the rate is the first thing to check.'
    >>> condense("先认同。再提问。")
    '先认同。'
    >>> condense("On 800,000 for 60 days, 1.2% a month costs 19,200. A bank loan costs more.")
    'On 800,000 for 60 days, 1.2% a month costs 19,200.'
    """
    flat = " ".join(text.split())
    parts = [p for p in _SENTENCE_END.split(flat) if p]
    first = parts[0] if parts else flat
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def answer_points(entry: Entry, n: int = 5) -> list[tuple[str, str]]:
    """What an answer shows: (section, text) pairs — key points, or the five card sections condensed."""
    if entry.kind == "objection":
        from knowledge.content import OBJECTION_SECTIONS

        card_sections = OBJECTION_SECTIONS[:5]  # Acknowledge, Ask, Respond, Offer, Next step
        return [(name, condense(entry.section(name))) for name in card_sections if entry.section(name)][:n]
    points = entry.key_points() or [condense(entry.section("Summary"))]
    return [("Key points", p) for p in points[:n]]


def cited_ids(text: str) -> list[str]:
    """Entry ids cited as ``[obj.rate-too-high]`` in a synthesised answer, in order, without repeats.

    >>> cited_ids("Ask first [comm.objection-method], then price [obj.rate-too-high][comm.objection-method].")
    ['comm.objection-method', 'obj.rate-too-high']
    """
    seen: list[str] = []
    for match in _CITE.finditer(text):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen
