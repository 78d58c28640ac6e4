"""Cross-validation over our own officer-voice phrasings (never the held-out eval file).

Pool: ``cards.DEV_EXTRA`` + ``phrasings.PHRASINGS`` + ``dev_set.DEV``. Stratified k folds by (card, language);
each fold is recognised by a recogniser trained on the playbook triggers and titles plus the other folds.
A message counts as right when it would get the right card through the router: top card right, objection
confidence ≥ 0.75 (the router's threshold) and the top score ≥ ``min_card_score`` (else a pick-list).

    .venv/bin/python -m tests.skills.objection.cv
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any

from knowledge.content import load_playbook
from skills.i18n import detect_lang
from skills.objection.cards import DEV_EXTRA
from skills.objection.config import ObjectionConfig
from skills.objection.phrasings import PHRASINGS
from skills.objection.recognise import Recogniser
from tests.skills.objection.dev_set import DEV, NEGATIVE, NEGATIVE_MORE

__all__ = ["cross_validate", "pool"]


def pool() -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for card, phrases in DEV_EXTRA.items():
        items += [(p, card) for p in phrases]
    for card, (en, zh) in PHRASINGS.items():
        items += [(p, card) for p in (*en, *zh)]
    items += DEV
    return list(dict.fromkeys(items))


def _extra(items: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for text, card in items:
        out.setdefault(card, []).append(text)
    return {k: tuple(v) for k, v in out.items()}


def cross_validate(
    k: int = 5, *, seed: int = 0, make: Callable[..., Recogniser] | None = None, min_card_score: float | None = None,
    retriever: Any = None, verbose: bool = False,
) -> dict[str, float]:
    """Per-language share of held-out-fold messages that would get the right card."""
    book = load_playbook()
    make = make or (lambda extra: Recogniser(book, extra=extra))
    threshold = ObjectionConfig().min_card_score if min_card_score is None else min_card_score
    items = pool()
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for item in items:
        groups.setdefault((item[1], detect_lang(item[0])), []).append(item)
    fold_of: dict[tuple[str, str], int] = {}
    for members in groups.values():
        rng.shuffle(members)
        for n, item in enumerate(members):
            fold_of[item] = n % k
    hits: dict[str, list[int]] = {}
    for fold in range(k):
        test = [i for i in items if fold_of[i] == fold]
        rec = make(_extra([i for i in items if fold_of[i] != fold]))
        for text, expected in test:
            lang = detect_lang(text)
            found = rec.recognise(text, retriever=retriever, lang=lang)
            ok = found.main == expected and found.confidence >= 0.75 and found.ranked[0][1] >= threshold
            slot = hits.setdefault(lang, [0, 0])
            slot[0] += ok
            slot[1] += 1
            if verbose and not ok:
                print(f"  {text!r}: want {expected}, got {found.main} conf {found.confidence} "
                      f"top {found.ranked[0][1]:.2f}", file=sys.stderr)
    return {lang: ok / n for lang, (ok, n) in sorted(hits.items())}


def false_positives(rec: Recogniser) -> list[str]:
    """Non-objection messages that would be routed to the objection skill (score ≥ 0.75)."""
    return [t for t in (*NEGATIVE, *NEGATIVE_MORE) if rec.objection_score(t) >= 0.75]


if __name__ == "__main__":
    print(cross_validate(verbose="-v" in sys.argv))
    print("false positives:", false_positives(Recogniser(load_playbook())))
