"""A two-officer world for the security suite: each officer owns a client, an alert, a reminder, a quote,
an objection card and a pending import, so every path can be tried against the other officer's ids."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
from sqlalchemy import select

from skills.alerts.models import Alert
from skills.contract import Attachment
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness
from tests.security.checks import assert_sendable
from tests.skills.alerts.data import seed

__all__ = ["World", "build_world", "other_ledger"]


def other_ledger(client: str = "Zenith Foods", officer_id: int = OTHER_OFFICER_ID) -> bytes:
    return (
        "client,officer_id,debtor,invoice_no,amount,issue_date,due_date,credit_limit\n"
        f"{client},{officer_id},Zed Retail,Z-9,100000,2026-10-01,2027-01-10,5000000\n"
    ).encode()


@dataclass
class World:
    """Ids of what the *other* officer owns (and the officer's own client) after ``build_world``."""

    h: ConsoleHarness
    acme: int  # OFFICER_ID's client
    zenith: int  # OTHER_OFFICER_ID's client
    zed_debtor: int  # only Zenith's invoices are on it
    alert: int  # an open alert on Zenith
    reminder: int  # OTHER_OFFICER_ID's reminder
    quote: int  # OTHER_OFFICER_ID's saved quote (to Zenith)
    objection_row: int  # a card shown to OTHER_OFFICER_ID
    objection_card: str
    pending_import: int  # OTHER_OFFICER_ID's uploaded, unconfirmed ledger
    my_quote: int  # OFFICER_ID's unsaved quote


async def build_world(h: ConsoleHarness) -> World:
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await h.tick()  # the sweep raises Zenith's overdue alert
    async with h.runtime.services.sessionmaker() as s:
        alert = await s.scalar(select(Alert.id).where(Alert.client_id == sc.zenith).order_by(Alert.id))
    assert alert is not None
    rem = await h.send("remind me tomorrow 10am to call Zenith", user=OTHER_OFFICER_ID)
    quote = await h.send("quote Zenith 1m 90d", user=OTHER_OFFICER_ID)
    quote_id = quote.replies[0].data["quote_id"]
    saved = await h.press(f"quote:save:{quote_id}", user=OTHER_OFFICER_ID)
    assert saved.replies[0].data.get("saved") is True, saved.replies[0].text
    card = await h.send("client says 1.2% per month is too expensive", user=OTHER_OFFICER_ID)
    assert card.skill == "objection", card
    log_payload = next(b.payload for row in card.replies[0].buttons for b in row if ":log:" in b.payload)
    _, _, card_id, row_id = log_payload.split(":")
    upload = await h.send("", user=OTHER_OFFICER_ID, attachment=Attachment("zenith.csv", other_ledger()))
    pending = upload.replies[0].data["pending_id"]
    assert pending is not None, upload.replies[0].text
    mine = await h.send("quote 2m 60d", user=OFFICER_ID)
    for out in (rem, quote, saved, card, upload, mine):
        assert_sendable(out)
    return World(
        h=h, acme=sc.acme, zenith=sc.zenith, zed_debtor=sc.zenith_debtor, alert=alert,
        reminder=rem.replies[0].data["reminder_id"], quote=quote_id, objection_row=int(row_id),
        objection_card=card_id, pending_import=pending, my_quote=mine.replies[0].data["quote_id"],
    )  # fmt: skip


@pytest_asyncio.fixture
async def world(sqlite_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[World]:
    h = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path), clock=clock)
    try:
        yield await build_world(h)
    finally:
        await h.close()


@pytest_asyncio.fixture
async def any_db_world(database_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[World]:
    h = await ConsoleHarness.create(make_settings(database_url, tmp_path), clock=clock)
    try:
        yield await build_world(h)
    finally:
        await h.close()
