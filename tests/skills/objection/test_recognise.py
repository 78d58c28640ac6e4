"""Recognition: our own dev phrasings, non-objections, several objections, and the held-out measurement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.arbiter import Arbiter
from knowledge.content import load_playbook
from skills.i18n import detect_lang
from skills.objection.recognise import Recogniser, strip_reported_speech
from skills.registry import load_skills
from tests.skills.objection.cv import cross_validate
from tests.skills.objection.dev_set import DEV, NEGATIVE, NEGATIVE_MORE

EVAL = Path(__file__).resolve().parents[3] / "knowledge" / "eval" / "objection_queries.yaml"


@pytest.fixture(scope="module")
def rec() -> Recogniser:
    return Recogniser(load_playbook())


def _accuracy(rec: Recogniser, items: list[tuple[str, str]]) -> dict[str, float]:
    hits: dict[str, list[int]] = {}
    for text, expected in items:
        found = rec.recognise(text)
        slot = hits.setdefault(detect_lang(text), [0, 0])
        slot[0] += found.main == expected and found.confidence >= 0.75
        slot[1] += 1
    return {lang: ok / n for lang, (ok, n) in hits.items()}


def test_dev_phrasings_top1_per_language(rec: Recogniser) -> None:
    accuracy = _accuracy(rec, DEV)
    assert accuracy["en"] >= 0.9 and accuracy["zh"] >= 0.9, accuracy


@pytest.fixture(scope="module")
def arbiter() -> Arbiter:
    return Arbiter(load_skills())


_KNOWN_MISSES = {"send me the contract template"}  # a template request: measured, not yet right


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="template requests still reach objection"))
        if t in _KNOWN_MISSES
        else t
        for t in [*NEGATIVE, *NEGATIVE_MORE]
    ],
)
def test_other_skills_messages_do_not_get_a_card(arbiter: Arbiter, text: str) -> None:
    """The recogniser speaks only for objections; the arbiter keeps other skills' messages from it."""
    assert arbiter.decide(text, detect_lang(text)).skill != "objection"


@pytest.mark.parametrize(
    "text,main",
    [
        ("client says 1.2% per month is too expensive", "obj.rate-too-high"),
        ("he won't sign a personal guarantee", "obj.guarantee-required"),
        ("客户嫌保证金比例太高", "obj.deposit-margin"),
        ("我们不想让买方知道", "obj.debtor-notification"),
    ],
)
def test_the_brief_examples(rec: Recogniser, text: str, main: str) -> None:
    found = rec.recognise(text)
    assert found.main == main and found.confidence >= 0.75


def test_several_objections_surface_the_others(rec: Recogniser) -> None:
    found = rec.recognise("客户嫌利息太高，还不想让买方知道")
    assert {found.main, *found.others} == {"obj.rate-too-high", "obj.debtor-notification"}
    single = rec.recognise("client says the rate is too high")
    assert single.others == []


def test_cross_validated_top1_per_language() -> None:
    """5-fold CV over our own phrasings (cards.DEV_EXTRA, phrasings.PHRASINGS, dev_set.DEV), no retriever."""
    accuracy = cross_validate()
    assert accuracy["en"] >= 0.9 and accuracy["zh"] >= 0.9, accuracy


def test_reported_speech_is_not_a_topic() -> None:
    assert strip_reported_speech("client says the fee is too high") == "the fee is too high"
    assert strip_reported_speech("客户嫌保证金比例太高") == "保证金比例太高"


# The recogniser alone, measured on the held-out set (knowledge/eval/objection_queries.yaml, 2026-11-30):
# these non-objections score >= 0.75 on their own vocabulary ("price", "rate", "how do I…"); the arbiter
# routes every one of them elsewhere (the test after this one). A new one here is a regression.
_RECOGNISER_ALONE_FALSE_POSITIVES = frozenset(
    {
        "quote 1.2m 90d",
        "remind me tomorrow to call Acme",
        "how do I explain factoring",
        "any red flags on Acme?",
        "how many clients do I have",
        "remind me in 3 days to follow up with Acme",
        "price 800k 45 days advance 80%",
    }
)
# Held-out top-1 of the recogniser alone (no retriever), measured 2026-11-30: en 87/101 = 0.861,
# zh 92/101 = 0.911 (through the router with the retriever, bench/bench_objection.py --retriever --eval, is
# higher). The floors sit just under today's figures, so one more miss in either language fails.
_HELD_OUT_TOP1_FLOOR = {"en": 0.86, "zh": 0.91}


def _held_out() -> list[dict[str, str | None]]:
    items: list[dict[str, str | None]] = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    return items


def test_held_out_non_objections_score_high_only_where_measured(rec: Recogniser) -> None:
    negatives = [str(i["q"]) for i in _held_out() if i["expected"] is None]
    assert len(negatives) >= 30
    high = {q for q in negatives if rec.objection_score(q) >= 0.75}
    assert high <= _RECOGNISER_ALONE_FALSE_POSITIVES, sorted(high - _RECOGNISER_ALONE_FALSE_POSITIVES)


def test_held_out_non_objections_never_reach_the_objection_skill(arbiter: Arbiter) -> None:
    routed = {
        str(i["q"]): arbiter.decide(str(i["q"]), detect_lang(str(i["q"]))).skill
        for i in _held_out()
        if i["expected"] is None
    }
    assert [q for q, skill in routed.items() if skill == "objection"] == []


def test_held_out_top1_per_language_holds_the_measured_level(rec: Recogniser) -> None:
    items = _held_out()
    accuracy = _accuracy(rec, [(str(i["q"]), str(i["expected"])) for i in items if i["expected"]])
    assert {lang: accuracy[lang] >= floor for lang, floor in _HELD_OUT_TOP1_FLOOR.items()} == {
        "en": True,
        "zh": True,
    }, accuracy
