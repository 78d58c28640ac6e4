"""The reminders skill's public API as other skills call it: due between two instants, overdue, mark done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from skills.reminders.api import complete, create_reminder, due_between, overdue_followups
from skills.reminders.models import CANCELLED, DONE, FIRED, Reminder
from skills.store.models import Officer as OfficerRow
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


async def _seed(h: ConsoleHarness) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with h.runtime.services.sessionmaker() as s:
        for oid in (OFFICER_ID, OTHER_OFFICER_ID):
            s.add(OfficerRow(id=oid, name=str(oid), role="officer", active=True, created_at=NOW))
        await s.flush()
        for key, officer, offset in (
            ("past", OFFICER_ID, -timedelta(hours=2)),
            ("soon", OFFICER_ID, timedelta(hours=1)),
            ("later", OFFICER_ID, timedelta(hours=5)),
            ("tomorrow", OFFICER_ID, timedelta(days=1)),
            ("other", OTHER_OFFICER_ID, timedelta(hours=2)),
            ("fired", OFFICER_ID, -timedelta(days=2)),
            ("cancelled", OFFICER_ID, timedelta(hours=3)),
        ):
            ids[key] = await create_reminder(s, officer_id=officer, text=key, due_at=NOW + offset, now=NOW)
        (await s.get(Reminder, ids["fired"])).state = FIRED  # type: ignore[union-attr]
        (await s.get(Reminder, ids["cancelled"])).state = CANCELLED  # type: ignore[union-attr]
        await s.commit()
    return ids


async def test_due_between_is_half_open_pending_only_and_per_officer(harness: ConsoleHarness) -> None:
    ids = await _seed(harness)
    async with harness.runtime.services.sessionmaker() as s:
        today = await due_between(s, OFFICER_ID, NOW, NOW + timedelta(hours=5))
        assert [r.text for r in today] == ["soon"]  # "later" sits exactly on the end: excluded
        assert today[0].id == ids["soon"] and today[0].officer_id == OFFICER_ID
        assert today[0].due_at == NOW + timedelta(hours=1)
        open_start = await due_between(s, OFFICER_ID, None, NOW + timedelta(hours=6))
        assert [r.text for r in open_start] == ["past", "soon", "later"]  # no fired, no cancelled, no tomorrow
        both = await due_between(s, [OFFICER_ID, OTHER_OFFICER_ID], NOW, NOW + timedelta(hours=6))
        assert [(r.text, r.officer_id) for r in both] == [
            ("soon", OFFICER_ID),
            ("other", OTHER_OFFICER_ID),
            ("later", OFFICER_ID),
        ]
        assert await due_between(s, [], None, NOW + timedelta(days=9)) == []


async def test_overdue_followups_are_the_fired_ones_due_before(harness: ConsoleHarness) -> None:
    ids = await _seed(harness)
    async with harness.runtime.services.sessionmaker() as s:
        owed = await overdue_followups(s, [OFFICER_ID, OTHER_OFFICER_ID], NOW)
        assert [r.id for r in owed] == [ids["fired"]]
        assert await overdue_followups(s, OFFICER_ID, NOW - timedelta(days=3)) == []


async def test_complete_closes_a_pending_or_fired_reminder_once(harness: ConsoleHarness) -> None:
    ids = await _seed(harness)
    async with harness.runtime.services.sessionmaker() as s:
        assert await complete(s, ids["fired"]) is True
        assert await complete(s, ids["soon"]) is True
        assert await complete(s, ids["soon"]) is False  # already done
        assert await complete(s, ids["cancelled"]) is False  # a cancelled one stays cancelled
        assert await complete(s, 999_999) is False
        await s.commit()
    async with harness.runtime.services.sessionmaker() as s:
        states = {k: (await s.get(Reminder, v)).state for k, v in ids.items()}  # type: ignore[union-attr]
    assert states["fired"] == DONE and states["soon"] == DONE and states["cancelled"] == CANCELLED
    assert states["later"] != DONE
