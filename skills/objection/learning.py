"""Which angle of a card leads, learnt from the team's 👍/👎 taps: a similarity-weighted Beta-Bernoulli mean.

Pure: the caller passes the angles in playbook order, the tallies of the team's outcomes for the card and the
client's tier and industry. Each outcome is weighted by how much its client resembles this one (same tier and
industry: 1; one of the two: ``one_match_weight``; neither: ``other_weight``; no client on the card: 1), and
each angle's score is the posterior mean of a Beta prior with strength ``prior_strength`` centred on 0.5, plus
``playbook_bias`` for the playbook's own first angle — so one tap never flips the order, a repeated pattern does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["AngleScore", "LearningParams", "Tally", "rank_angles"]


@dataclass(frozen=True, slots=True)
class LearningParams:
    """The prior and the similarity weights (``OBJECTION__LEARN_*`` settings)."""

    prior_strength: float = 6.0
    playbook_bias: float = 0.1
    one_match_weight: float = 0.75
    other_weight: float = 0.15


@dataclass(frozen=True, slots=True)
class Tally:
    """Outcomes of one angle for clients of one tier and industry: how many 👍 (worked) and 👎 (failed)."""

    angle: str
    tier: str
    industry: str
    worked: int
    failed: int


@dataclass(frozen=True, slots=True)
class AngleScore:
    """An angle's posterior mean and the (weighted) evidence behind it."""

    angle: str
    score: float
    worked: float
    failed: float

    def as_dict(self) -> dict[str, object]:
        return {"angle": self.angle, "score": round(self.score, 3), "worked": self.worked, "failed": self.failed}


def _weight(t: Tally, tier: str | None, industry: str | None, p: LearningParams) -> float:
    if tier is None and industry is None:
        return 1.0
    same_tier = tier is not None and t.tier == tier
    same_industry = bool(industry) and t.industry.casefold() == (industry or "").casefold()
    if same_tier and (same_industry or not industry):
        return 1.0
    if same_tier or same_industry:
        return p.one_match_weight
    return p.other_weight


def rank_angles(
    angles: Sequence[str],
    tallies: Iterable[Tally],
    *,
    tier: str | None,
    industry: str | None,
    params: LearningParams | None = None,
) -> list[AngleScore]:
    """The angles best first; ties keep the playbook order.

    >>> fails = [Tally("a", "risk", "", 0, 2), Tally("b", "risk", "", 2, 0)]
    >>> [s.angle for s in rank_angles(["a", "b"], fails, tier="risk", industry=None)]
    ['b', 'a']
    >>> [s.angle for s in rank_angles(["a", "b"], [Tally("a", "risk", "", 0, 1)], tier="risk", industry=None)]
    ['a', 'b']
    >>> # one 👎 above does not flip it; below, another tier's pattern barely moves this one
    >>> [s.angle for s in rank_angles(["a", "b"], fails, tier="quality", industry=None)]
    ['a', 'b']
    """
    p = params or LearningParams()
    worked = dict.fromkeys(angles, 0.0)
    failed = dict.fromkeys(angles, 0.0)
    for t in tallies:
        if t.angle not in worked:
            continue
        w = _weight(t, tier, industry, p)
        worked[t.angle] += w * t.worked
        failed[t.angle] += w * t.failed
    scores = []
    for i, angle in enumerate(angles):
        prior = 0.5 + (p.playbook_bias if i == 0 else 0.0)
        alpha, beta = prior * p.prior_strength, (1 - prior) * p.prior_strength
        mean = (alpha + worked[angle]) / (alpha + beta + worked[angle] + failed[angle])
        scores.append(AngleScore(angle, mean, round(worked[angle], 3), round(failed[angle], 3)))
    order = sorted(range(len(scores)), key=lambda i: (-round(scores[i].score, 9), i))
    return [scores[i] for i in order]
