"""Pure logic of the playbook skill: routing scores, condensing, answer points, citations."""

from __future__ import annotations

import pytest

from knowledge.content import load_playbook
from skills.playbook import SKILL
from skills.playbook.logic import answer_points, cited_ids, condense, route_score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how do I explain factoring to a sales manager?", 0.85),
        ("How to prepare a client before peak season", 0.85),
        ("what should I say when the buyer pays late", 0.85),
        ("what is non-recourse factoring", 0.85),
        ("explain the effective annual cost", 0.85),
        ("怎么跟不懂财务的老板讲保理", 0.85),
        ("如何处理逾期", 0.85),
        ("什么是明保理", 0.85),
        ("首笔业务该怎么说", 0.85),
        ("催收话术", 0.85),
        ("client says the rate is too high", 0.0),
        ("he says our fees are a rip-off, what should I say", 0.85),
        ("客户说利息太高", 0.0),
        ("客户嫌手续费太高怎么办", 0.85),
        ("客户觉得保理丢面子", 0.0),
        ("quote 1m 90d", 0.0),
        ("remind me tomorrow 10am to call Acme", 0.0),
    ],
)
def test_route_score_oracle(text: str, expected: float) -> None:
    assert route_score(text) == expected
    assert SKILL.score(text, "en") == expected


def test_skill_declares_summary_and_eight_examples_per_language() -> None:
    assert set(SKILL.summary) == {"en", "zh"}
    assert all(len(SKILL.examples[lang]) >= 8 for lang in ("en", "zh"))


def test_condense_keeps_the_first_sentence_and_decimals() -> None:
    assert condense("On 800,000 for 60 days, 1.2% a month costs 19,200. Then more.") == (
        "On 800,000 for 60 days, 1.2% a month costs 19,200."
    )
    assert condense("先认同。再提问。") == "先认同。"
    assert condense("x" * 300, 20) == "x" * 19 + "…"


def test_answer_points_technique_key_points_and_objection_card_sections() -> None:
    book = load_playbook()
    technique = book.get("comm.audience-adapt", "en")
    assert technique is not None
    points = answer_points(technique, 5)
    assert [text for _, text in points] == technique.key_points()[:5]
    card = book.get("obj.rate-too-high", "zh")
    assert card is not None
    assert [s for s, _ in answer_points(card, 5)] == ["Acknowledge", "Ask", "Respond", "Offer", "Next step"]


def test_cited_ids_in_order_without_repeats() -> None:
    assert cited_ids("A [obj.fees-too-high] b [comm.objection-method] c [obj.fees-too-high]") == [
        "obj.fees-too-high",
        "comm.objection-method",
    ]
    assert cited_ids("no citation here") == []
