"""Finding a client by name or alias in what an officer typed, within what they may see."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skills.contract import Officer as OfficerView
from skills.contract import Role
from skills.store import Client, Officer, unit_of_work
from skills.store.clients import find_client_in_text
from tests.fixtures.harness import ConsoleHarness

NOW = datetime(2026, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("any red flags on Acme?", "Acme Trading Co., Ltd."),
        ("Acme有什么风险", "Acme Trading Co., Ltd."),
        ("查看acme trading的客户画像", "Acme Trading Co., Ltd."),
        ("Acmeville says the rate is high", None),
        ("华东纺织嫌保证金太高", "华东纺织有限公司"),
        ("show me northwind", "Northwind Logistics"),
        ("quote 1m 90d", None),
        ("Southwind is not ours", None),
    ],
)
async def test_names_aliases_and_boundaries(harness: ConsoleHarness, text: str, expected: str | None) -> None:
    async with unit_of_work(harness.runtime.services.sessionmaker) as session:
        for oid in (7, 8):
            session.add(Officer(id=oid, name=str(oid), role="officer", active=True, created_at=NOW))
        await session.flush()
        session.add_all(
            [
                Client(name="Acme Trading Co., Ltd.", aliases=["Acme"], officer_id=7, created_at=NOW),
                Client(name="华东纺织有限公司", aliases=["华东纺织"], officer_id=7, created_at=NOW),
                Client(name="Northwind Logistics", aliases=[], officer_id=7, created_at=NOW),
                Client(name="Southwind Foods", aliases=["Southwind"], officer_id=8, created_at=NOW),
            ]
        )
    viewer = OfficerView(id=7, name="7", role=Role.OFFICER, language="en", timezone="Asia/Shanghai")
    async with harness.runtime.services.sessionmaker() as session:
        found = await find_client_in_text(session, viewer, text)
    assert (found.name if found else None) == expected
