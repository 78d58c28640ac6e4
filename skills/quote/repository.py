"""Quotes in the store: add every computed quote, find one an officer may see, list saved ones per client.

Repositories add and flush; the router's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.quote.logic import QuoteResult
from skills.quote.models import Quote
from skills.store.base import is_row_id
from skills.store.models import Client

__all__ = ["QuoteRow", "add_quote", "get_by_id_visible", "last_quotes", "mark_saved", "recent_saved"]


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A saved quote as other skills see it (detached from the session, Decimals exact)."""

    id: int
    officer_id: int
    client_id: int | None
    client_name: str | None
    created_at: datetime
    saved_at: datetime | None
    currency: str
    face_value: Decimal
    tenor_days: int
    advance_rate: Decimal
    advance: Decimal
    interest: Decimal
    service_fee: Decimal
    net_at_funding: Decimal
    reserve: Decimal
    total_cost: Decimal
    effective_annual_cost: Decimal
    inputs: dict[str, Any]


def _row(q: Quote, client_name: str | None) -> QuoteRow:
    return QuoteRow(
        id=q.id,
        officer_id=q.officer_id,
        client_id=q.client_id,
        client_name=client_name,
        created_at=q.created_at,
        saved_at=q.saved_at,
        currency=q.currency,
        face_value=q.face_value,
        tenor_days=q.tenor_days,
        advance_rate=q.advance_rate,
        advance=q.advance,
        interest=q.interest,
        service_fee=q.service_fee,
        net_at_funding=q.net_at_funding,
        reserve=q.reserve,
        total_cost=q.total_cost,
        effective_annual_cost=q.effective_annual_cost,
        inputs=dict(q.inputs or {}),
    )


async def add_quote(
    session: AsyncSession,
    result: QuoteResult,
    *,
    officer_id: int,
    client_id: int | None,
    lang: str,
    assumed: list[str],
    tier: str,
    now: datetime,
    inputs: dict[str, Any],
) -> Quote:
    """Store a computed quote (not yet saved to a client) and return it with its id."""
    quote = Quote(
        officer_id=officer_id,
        client_id=client_id,
        saved=False,
        created_at=now,
        lang=lang,
        currency=result.terms.currency,
        face_value=result.terms.face_value,
        tenor_days=result.terms.tenor_days,
        advance_rate=result.terms.advance_rate,
        advance=result.advance,
        interest=result.interest,
        service_fee=result.service_fee,
        net_at_funding=result.net_at_funding,
        reserve=result.reserve,
        reserve_released=result.reserve_released,
        total_cost=result.total_cost,
        effective_annual_cost=result.effective_annual_cost,
        inputs=inputs,
        assumed=assumed,
        tier=tier,
    )
    session.add(quote)
    await session.flush()
    return quote


async def get_by_id_visible(session: AsyncSession, quote_id: int, visible: Sequence[int] | None) -> Quote | None:
    """The quote if it exists and belongs to an officer in ``visible`` (None = everyone, for admins)."""
    quote = await session.get(Quote, quote_id) if is_row_id(quote_id) else None
    if quote is None or (visible is not None and quote.officer_id not in visible):
        return None
    return quote


def mark_saved(quote: Quote, client_id: int, now: datetime) -> None:
    """Link the quote to a client and mark it saved."""
    quote.client_id, quote.saved, quote.saved_at = client_id, True, now


def _saved() -> Select[tuple[Quote, str | None]]:
    return (
        select(Quote, Client.name)
        .outerjoin(Client, Client.id == Quote.client_id)
        .where(Quote.saved.is_(True))
        .order_by(Quote.saved_at.desc(), Quote.id.desc())
    )


async def last_quotes(session: AsyncSession, client_id: int, limit: int = 3) -> list[QuoteRow]:
    """The client's most recently saved quotes, newest first (the caller checks the client is visible)."""
    rows = await session.execute(_saved().where(Quote.client_id == client_id).limit(limit))
    return [_row(q, name) for q, name in rows.all()]


async def recent_saved(session: AsyncSession, visible: Sequence[int] | None, limit: int = 10) -> list[QuoteRow]:
    """Saved quotes of the officers in ``visible`` (None = all), newest first."""
    stmt = _saved().limit(limit)
    if visible is not None:
        stmt = stmt.where(Quote.officer_id.in_(visible))
    rows = await session.execute(stmt)
    return [_row(q, name) for q, name in rows.all()]
