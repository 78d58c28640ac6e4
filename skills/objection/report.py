"""The objection report behind ``/objections``: a month of logged objections and card outcomes for the
officers one may see — top objections with the trend against the month before, by client tier and industry,
per officer, and which cards and angles worked.

Queries return plain tuples; :func:`build_report` is pure, so the figures are tested without a database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.objection.cards import CATEGORY
from skills.objection.models import CardOutcome, ObjectionLog
from skills.store.models import Client

__all__ = ["AngleResult", "Report", "build_report", "logged_rows", "outcome_rows"]

# (objection id, officer id, client tier or "", client industry or "", count)
LoggedRow = tuple[str, int, str, str, int]
# (card id, angle, client tier or "", client industry or "", verdict, count)
OutcomeRow = tuple[str, str, str, str, str, int]


async def logged_rows(
    session: AsyncSession, officer_ids: Sequence[int] | None, start: datetime, end: datetime
) -> list[LoggedRow]:
    """Logged objections in [start, end) of ``officer_ids`` (None: everyone), per card, officer, tier, industry."""
    n = func.count()
    stmt = (
        select(ObjectionLog.objection_id, ObjectionLog.officer_id, Client.tier, Client.industry, n)
        .outerjoin(Client, Client.id == ObjectionLog.client_id)
        .where(ObjectionLog.logged_at.is_not(None), ObjectionLog.logged_at >= start, ObjectionLog.logged_at < end)
        .group_by(ObjectionLog.objection_id, ObjectionLog.officer_id, Client.tier, Client.industry)
    )
    if officer_ids is not None:
        stmt = stmt.where(ObjectionLog.officer_id.in_(list(officer_ids)))
    return [(o, int(off), t or "", i or "", int(c)) for o, off, t, i, c in (await session.execute(stmt)).all()]


async def outcome_rows(
    session: AsyncSession, officer_ids: Sequence[int] | None, start: datetime, end: datetime
) -> list[OutcomeRow]:
    """👍/👎 taps in [start, end) of ``officer_ids`` (None: everyone), per card, angle, tier, industry, verdict."""
    n = func.count()
    stmt = (
        select(CardOutcome.card_id, CardOutcome.angle, CardOutcome.tier, CardOutcome.industry, CardOutcome.verdict, n)
        .where(CardOutcome.created_at >= start, CardOutcome.created_at < end, CardOutcome.verdict != "said")
        .group_by(CardOutcome.card_id, CardOutcome.angle, CardOutcome.tier, CardOutcome.industry, CardOutcome.verdict)
    )
    if officer_ids is not None:
        stmt = stmt.where(CardOutcome.officer_id.in_(list(officer_ids)))
    return [(c, a, t or "", i or "", v, int(k)) for c, a, t, i, v, k in (await session.execute(stmt)).all()]


@dataclass(frozen=True, slots=True)
class AngleResult:
    """How one angle of one card did: taps and the share that worked."""

    card_id: str
    angle: str
    worked: int
    failed: int

    @property
    def rate(self) -> float:
        return self.worked / (self.worked + self.failed) if self.worked + self.failed else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"card_id": self.card_id, "angle": self.angle, "worked": self.worked, "failed": self.failed,
                "rate": round(self.rate, 3)}  # fmt: skip


@dataclass(slots=True)
class Report:
    """One month of objections for a scope (an officer, a team, everyone)."""

    top: list[tuple[str, int]]  # this month, most frequent first
    previous: dict[str, int]  # the month before, per card
    by_category: dict[str, int]
    by_tier: dict[str, list[tuple[str, int]]]
    by_industry: dict[str, list[tuple[str, int]]]
    by_officer: dict[int, int]
    angles: list[AngleResult]  # most tapped first
    best_by_tier: dict[str, dict[str, str]] = field(default_factory=dict)  # tier → card → angle that worked best

    @property
    def total(self) -> int:
        return sum(n for _, n in self.top)

    @property
    def previous_total(self) -> int:
        return sum(self.previous.values())


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def build_report(this: Iterable[LoggedRow], before: Iterable[LoggedRow], taps: Iterable[OutcomeRow]) -> Report:
    """The report's figures from the month's rows, the previous month's rows and the month's taps.

    >>> r = build_report([("obj.rate-too-high", 1, "risk", "textiles", 3), ("obj.paperwork", 2, "", "", 1)],
    ...                  [("obj.rate-too-high", 1, "risk", "textiles", 1)],
    ...                  [("obj.rate-too-high", "b", "risk", "textiles", "worked", 2),
    ...                   ("obj.rate-too-high", "a", "risk", "textiles", "failed", 3)])
    >>> r.top, r.previous, r.by_officer, r.best_by_tier
    ([('obj.rate-too-high', 3), ('obj.paperwork', 1)], {'obj.rate-too-high': 1}, {1: 3, 2: 1}, {'risk': {'obj.rate-too-high': 'b'}})
    """
    cards: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    tiers: defaultdict[str, Counter[str]] = defaultdict(Counter)
    industries: defaultdict[str, Counter[str]] = defaultdict(Counter)
    officers: Counter[int] = Counter()
    for card, officer, tier, industry, n in this:
        cards[card] += n
        categories[CATEGORY.get(card, "other")] += n
        officers[officer] += n
        if tier:
            tiers[tier][card] += n
        if industry:
            industries[industry][card] += n
    previous: Counter[str] = Counter()
    for card, _, _, _, n in before:
        previous[card] += n
    tally: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    per_tier: defaultdict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for card, angle, tier, _, verdict, n in taps:
        slot = 0 if verdict == "worked" else 1
        tally[(card, angle)][slot] += n
        if tier:
            per_tier[(tier, card, angle)][slot] += n
    angles = sorted((AngleResult(c, a, w, f) for (c, a), (w, f) in tally.items()),
                    key=lambda r: (-(r.worked + r.failed), -r.rate, r.card_id, r.angle))  # fmt: skip
    best: dict[str, dict[str, tuple[float, int, str]]] = defaultdict(dict)
    for (tier, card, angle), (w, f) in per_tier.items():
        if w == 0:
            continue
        key = (w / (w + f), w, angle)
        if card not in best[tier] or key > best[tier][card]:
            best[tier][card] = key
    return Report(
        top=_ranked(cards), previous=dict(previous), by_category=dict(categories.most_common()),
        by_tier={k: _ranked(v) for k, v in sorted(tiers.items())},
        by_industry={k: _ranked(v) for k, v in sorted(industries.items(), key=lambda kv: -sum(kv[1].values()))},
        by_officer=dict(officers.most_common()), angles=angles,
        best_by_tier={tier: {card: v[2] for card, v in sorted(cards_.items())} for tier, cards_ in sorted(best.items())},
    )  # fmt: skip
