"""The feedback loop as an officer meets it on Telegram: outcome buttons pressed under real cards, in both
languages, and the next card's order read back (real Application, fake Bot API over HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from knowledge.content import load_playbook
from skills.store import unit_of_work
from skills.store.models import Client, Officer
from tests.adapters.test_skills_over_telegram import _press, _say
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import RunningBot, running_bot

pytestmark = pytest.mark.slow

BOOK = load_playbook()


def _angle(card: str, lang: str, name: str) -> str:
    entry = BOOK.get(card, lang)
    assert entry is not None
    return entry.section(name)[:24]


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock):  # type: ignore[no-untyped-def]
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock) as running:
        now = datetime(2026, 11, 1, tzinfo=UTC)
        async with unit_of_work(running.runtime.services.sessionmaker) as session:
            session.add(Officer(id=OFFICER_ID, name="Olga", role="officer", active=True, created_at=now))
            await session.flush()
            session.add_all([
                Client(name="Risky Textiles", aliases=["华东纺织"], officer_id=OFFICER_ID, tier="risk",
                       industry="textiles", created_at=now),
                Client(name="Golden Foods", aliases=["金源食品"], officer_id=OFFICER_ID, tier="quality",
                       industry="food", created_at=now),
            ])  # fmt: skip
        yield running


@pytest.mark.parametrize(
    ("lang", "risky", "good", "worked", "failed"),
    [
        ("en", "Risky Textiles says the deposit is too high", "Golden Foods says the deposit is too high",
         "👍 Worked", "👎 Didn't"),
        ("zh", "华东纺织嫌保证金太高", "金源食品嫌保证金太高", "👍 有效", "👎 没用"),
    ],
)  # fmt: skip
async def test_outcome_taps_reorder_the_next_card_for_that_tier(
    bot: RunningBot, lang: str, risky: str, good: str, worked: str, failed: str
) -> None:
    fake, card_id = bot.fake, "obj.deposit-margin"
    main, other = _angle(card_id, lang, "Respond"), _angle(card_id, lang, "Another angle")
    first = await _say(fake, risky, lang=lang)
    assert main in first.text and other not in first.text
    noted = await _press(fake, first, failed)
    assert "👎" in noted.text
    # one tap does not flip it; the other angle, tried and working, and one more failure do
    again = await _say(fake, risky, lang=lang)
    assert main in again.text
    alt = await _press(fake, again, "🔄")
    assert other in alt.text
    await _press(fake, alt, worked)
    await _press(fake, again, failed)
    learnt = await _say(fake, risky, lang=lang)
    assert other in learnt.text and main not in learnt.text
    back = await _press(fake, learnt, "🔄")  # "Another angle" now gives the playbook's main answer
    assert main in back.text
    # a quality food client keeps the playbook order
    assert main in (await _say(fake, good, lang=lang)).text
