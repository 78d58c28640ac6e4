"""Routing on the labelled corpus: the held-out split is never trained on, and its accuracy is pinned.

Figures measured with ``python -m bot eval routing`` (held-out: both files, 444 messages): accuracy en 0.985,
zh 1.000, mixed 0.990; another skill chosen for 0.2 %, the router asked for 0.7 %. The second file alone
(``--split heldout2``, 134 messages written before the changes it measures): en 0.969, zh 1.000, mixed 1.000,
wrong 0.7 %.
"""

from __future__ import annotations

from bot.eval_routing import ASKED, evaluate, load_corpus
from skills.contract import Skill
from tests.fixtures.harness import ConsoleHarness

# The measured level (rounded down to the message): a change that routes worse fails here.
PINNED_ACCURACY = {"en": 0.984, "zh": 1.0, "mixed": 0.990}
PINNED_WRONG = 0.003


def test_the_corpus_is_large_labelled_and_apart_from_what_the_router_learns(demo_skills: list[Skill]) -> None:
    train, heldout = load_corpus("train"), load_corpus("heldout")
    assert len(train) + len(heldout) >= 600
    labels = {s.name for s in demo_skills}
    assert {e.label for e in train + heldout} == labels
    assert {e.lang for e in heldout} == {"en", "zh", "mixed"}
    learned = {p.lower().strip() for s in demo_skills for ps in s.phrasings().values() for p in ps}
    assert not [e.text for e in train + heldout if e.text.lower().strip() in learned], "corpus text in phrasings"
    assert not {e.text for e in train} & {e.text for e in heldout}


async def test_held_out_routing_accuracy_stays_at_the_measured_level(demo: ConsoleHarness) -> None:
    report = await evaluate(demo.runtime.router, load_corpus("heldout"))
    for lang, pinned in PINNED_ACCURACY.items():
        assert report.accuracy(lang) >= pinned, (lang, report.accuracy(lang), report.mistakes())
    assert report.share("wrong") <= PINNED_WRONG, report.mistakes()


async def test_asking_is_counted_apart_from_a_wrong_skill(demo: ConsoleHarness) -> None:
    report = await evaluate(demo.runtime.router, load_corpus("heldout")[:40])
    asked = sum(p == ASKED for _, p in report.rows)
    wrong = sum(p not in (ASKED, e.label) for e, p in report.rows)
    assert report.share("asked") == asked / 40 and report.share("wrong") == wrong / 40
