"""Card outcomes: record 👍/👎/💬 per officer, client, card and angle; read the team's evidence back.

Public API (the playbook skill puts the same buttons under its answers): :func:`outcome_row` builds the
button row, :func:`record` stores a tap (one verdict per officer, shown card and angle: a second tap changes
it, it never counts twice), :func:`angle_order` ranks a card's angles for a client from the team's evidence.
Repositories add and flush; the router's unit of work commits.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Button, payload
from skills.i18n import t
from skills.objection.learning import AngleScore, LearningParams, Tally, rank_angles
from skills.objection.messages import MESSAGES
from skills.objection.models import CardOutcome
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

__all__ = [
    "VERDICTS",
    "Segment",
    "TallyCache",
    "angle_order",
    "outcome_row",
    "record",
    "segment_of",
    "team_key",
    "team_tallies",
]

# Payload letter → stored verdict.
VERDICTS = {"w": "worked", "f": "failed", "s": "said"}


@dataclass(frozen=True, slots=True)
class Segment:
    """What the ranking conditions on: the client's tier and industry (None without a client)."""

    client_id: int | None
    tier: str | None
    industry: str | None


def segment_of(client: Client | None) -> Segment:
    """The client's segment, or the no-client segment (which reads the whole team's evidence)."""
    if client is None:
        return Segment(None, None, None)
    return Segment(client.id, client.tier or None, (client.industry or "").strip() or None)


def outcome_row(card_id: str, angle: str, log_id: int, lang: str) -> list[Button]:
    """👍 worked · 👎 didn't · 💬 client said… for one angle of one shown card (or a playbook answer)."""
    return [
        Button(t(MESSAGES, f"b.out_{v}", lang), payload("objection", "out", card_id, angle, log_id, v))
        for v in ("w", "f", "s")
    ]


class TallyCache:
    """The team's tallies per card, kept ``ttl`` seconds so most cards skip the query.

    A tap in this process drops its card's entry at once (the next card reads it fresh); taps made through
    another instance show up here within ``ttl`` seconds.
    """

    def __init__(self, ttl: float = 30.0, size: int = 2048) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[tuple[str, int, str], tuple[float, list[Tally]]] = OrderedDict()

    @staticmethod
    def key(session: AsyncSession, team: int, card_id: str) -> tuple[str, int, str]:
        """Entries are per database (tests and several runtimes in one process never share them)."""
        return (str(session.bind.url) if session.bind is not None else "", team, card_id)

    def get(self, key: tuple[str, int, str]) -> list[Tally] | None:
        hit = self._items.get(key)
        if hit is None or time.monotonic() - hit[0] > self.ttl:
            return None
        return hit[1]

    def put(self, key: tuple[str, int, str], tallies: list[Tally]) -> None:
        self._items[key] = (time.monotonic(), tallies)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, key: tuple[str, int, str]) -> None:
        self._items.pop(key, None)


async def team_key(session: AsyncSession, officer_id: int) -> int:
    """The officer's team: their manager's id, a manager's own id, 0 for officers without a manager."""
    row = await session.get(OfficerRow, officer_id)
    if row is None:
        return 0
    if row.role == "manager":
        return row.id
    return row.manager_id or 0


async def record(
    session: AsyncSession,
    *,
    officer_id: int,
    card_id: str,
    angle: str,
    verdict: str,
    client: Client | None,
    log_id: int | None,
    lang: str,
    now: datetime,
    remark: str = "",
) -> tuple[CardOutcome, bool]:
    """Store a tap; returns (row, changed). The same officer, card shown and angle keep one row.

    A 💬 remark after a 👍/👎 keeps the verdict and adds the remark; a 👍 after a 👎 replaces it.
    """
    existing = None
    if log_id:
        existing = await session.scalar(
            select(CardOutcome).where(
                CardOutcome.officer_id == officer_id,
                CardOutcome.log_id == log_id,
                CardOutcome.card_id == card_id,
                CardOutcome.angle == angle,
            )
        )
    if existing is not None:
        changed = False
        if verdict != "said" and existing.verdict != verdict:
            existing.verdict, changed = verdict, True
        if remark:
            existing.remark, changed = remark[:2000], True
        existing.updated_at = now
        await session.flush()
        return existing, changed
    row = CardOutcome(
        officer_id=officer_id, team_key=await team_key(session, officer_id),
        client_id=client.id if client is not None else None, tier=client.tier if client is not None else "",
        industry=(client.industry or "")[:100] if client is not None else "", card_id=card_id, angle=angle,
        verdict=verdict, remark=remark[:2000], log_id=log_id or None, lang=lang, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return row, True


async def team_tallies(session: AsyncSession, team: int, card_id: str) -> list[Tally]:
    """The team's 👍/👎 counts for one card, per angle, tier and industry (one indexed query)."""
    n = func.count()
    stmt = (
        select(CardOutcome.angle, CardOutcome.tier, CardOutcome.industry, CardOutcome.verdict, n)
        .where(CardOutcome.team_key == team, CardOutcome.card_id == card_id, CardOutcome.verdict != "said")
        .group_by(CardOutcome.angle, CardOutcome.tier, CardOutcome.industry, CardOutcome.verdict)
    )
    acc: dict[tuple[str, str, str], list[int]] = {}
    for angle, tier, industry, verdict, count in (await session.execute(stmt)).all():
        slot = acc.setdefault((angle, tier, industry), [0, 0])
        slot[0 if verdict == "worked" else 1] += int(count)
    return [Tally(a, tr, ind, w, f) for (a, tr, ind), (w, f) in acc.items()]


async def angle_order(
    session: AsyncSession,
    officer_id: int,
    card_id: str,
    angles: Sequence[str],
    segment: Segment,
    params: LearningParams,
    cache: TallyCache | None = None,
) -> list[AngleScore]:
    """The card's angles for this client, best first, from the officer's team's evidence."""
    if len(angles) < 2:
        return rank_angles(angles, [], tier=segment.tier, industry=segment.industry, params=params)
    team = await team_key(session, officer_id)
    key = TallyCache.key(session, team, card_id)
    tallies = cache.get(key) if cache is not None else None
    if tallies is None:
        tallies = await team_tallies(session, team, card_id)
        if cache is not None:
            cache.put(key, tallies)
    return rank_angles(angles, tallies, tier=segment.tier, industry=segment.industry, params=params)
