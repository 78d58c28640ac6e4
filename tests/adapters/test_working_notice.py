"""A large ledger on Telegram: "typing…" and a "working…" message at once, edited into the preview when it is
uploaded, and into the import's result when its Confirm import button is pressed.

Through the real Application and the fake Bot API; the threshold is the ``WORKING_NOTICE_ROWS`` setting.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.working import ledger_rows
from skills.contract import Attachment
from skills.portfolio.demo import load_demo
from skills.store import unit_of_work
from skills.store.models import Officer
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI, SentMessage
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import RunningBot, running_bot

pytestmark = pytest.mark.slow

STRANGER = 987654


def _ledger(rows: int) -> bytes:
    lines = ["client,debtor,invoice_no,amount,currency,issue_date,due_date"]
    lines += [f"Acme Trading,Globex,INV-W-{n},{1000 + n},CNY,2026-10-01,2026-12-30" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock):  # type: ignore[no-untyped-def]
    settings = make_settings(sqlite_url, tmp_path, working_notice_rows=50)
    async with running_bot(fake_bot_api, settings, clock) as running:
        async with unit_of_work(running.runtime.services.sessionmaker) as session:
            session.add(Officer(id=OFFICER_ID, name="Officer", role="officer", active=True, created_at=clock.now))
            await session.flush()
            await load_demo(session, officer_ids=[OFFICER_ID], today=clock.now.date(), now=clock.now)
        yield running


async def _upload(fake: FakeBotAPI, content: bytes, *, user: int = OFFICER_ID, lang: str = "en") -> None:
    before, edits = len(fake.messages_to(user)), len(fake.edits)
    fake.user_uploads(user, "ledger.csv", content, mime_type="text/csv", language_code=lang)
    await fake.wait_for_sent(user, count=before + 1, timeout=60)
    # the answer is a new message, or (large ledger) an edit of the notice that came first
    await fake._signal.wait_until(
        lambda: len(fake.edits) > edits or not fake.messages_to(user)[before].text.startswith("⏳"), 60
    )


async def test_a_large_ledger_shows_working_at_once_and_the_notice_becomes_the_preview(bot: RunningBot) -> None:
    fake = bot.fake
    before = len(fake.messages_to(OFFICER_ID))
    await _upload(fake, _ledger(60))
    sent = fake.messages_to(OFFICER_ID)[before:]
    assert len(sent) == 1  # the notice only: the preview took its place
    assert sent[0].text.startswith("⏳") and "60 rows" in sent[0].text
    assert any(a["chat_id"] == OFFICER_ID and a["action"] == "typing" for a in fake.chat_actions)
    preview = fake.edits[-1]
    assert preview.message_id == sent[0].message_id
    assert "60" in preview.text and preview.button("Confirm import")
    current = fake.current_message(OFFICER_ID, sent[0].message_id)
    assert current is not None and not current["text"].startswith("⏳")


async def test_a_small_ledger_is_answered_without_a_notice(bot: RunningBot) -> None:
    fake = bot.fake
    before, actions = len(fake.messages_to(OFFICER_ID)), len(fake.chat_actions)
    await _upload(fake, _ledger(3))
    sent = fake.messages_to(OFFICER_ID)[before:]
    assert len(sent) == 1 and not sent[0].text.startswith("⏳") and sent[0].button("Confirm import")
    assert len(fake.chat_actions) == actions


async def test_a_chinese_officer_gets_the_notice_in_chinese(bot: RunningBot) -> None:
    fake = bot.fake
    fake.user_sends(OFFICER_ID, "/lang zh", language_code="zh")
    await fake.wait_for_sent(OFFICER_ID, count=len(fake.messages_to(OFFICER_ID)) + 1, timeout=60)
    before = len(fake.messages_to(OFFICER_ID))
    await _upload(fake, _ledger(80), lang="zh")
    notice = fake.messages_to(OFFICER_ID)[before]
    assert "正在读取台账" in notice.text and "80" in notice.text


async def test_a_stranger_gets_the_refusal_and_no_notice(bot: RunningBot) -> None:
    fake = bot.fake
    await _upload(fake, _ledger(60), user=STRANGER)
    sent = fake.messages_to(STRANGER)
    assert len(sent) == 1 and not sent[0].text.startswith("⏳") and str(STRANGER) in sent[0].text


async def _confirm(fake: FakeBotAPI, preview: SentMessage, *, label: str = "Confirm import") -> None:
    """Press the preview's Confirm import; return once the result is there (a new message or an edited notice)."""
    before, edits = len(fake.messages_to(OFFICER_ID)), len(fake.edits)
    fake.user_presses(OFFICER_ID, preview, preview.button(label))
    await fake.wait_for_sent(OFFICER_ID, count=before + 1, timeout=60)
    await fake._signal.wait_until(
        lambda: len(fake.edits) > edits or not fake.messages_to(OFFICER_ID)[before].text.startswith("⏳"), 60
    )


async def test_confirming_a_large_import_shows_working_and_the_notice_becomes_the_result(bot: RunningBot) -> None:
    fake = bot.fake
    await _upload(fake, _ledger(60))
    preview = fake.edits[-1]  # the upload's notice, edited into the preview
    before, actions = len(fake.messages_to(OFFICER_ID)), len(fake.chat_actions)
    await _confirm(fake, preview)
    sent = fake.messages_to(OFFICER_ID)[before:]
    assert len(sent) == 1  # the notice only: the result took its place
    assert sent[0].text == "⏳ Importing your ledger (60 rows)… The result replaces this message when it is done."
    assert any(a["chat_id"] == OFFICER_ID and a["action"] == "typing" for a in fake.chat_actions[actions:])
    result = fake.edits[-1]
    assert result.message_id == sent[0].message_id
    assert result.text.startswith("✅ Imported:") and "60 new" in result.text and result.button("All my clients")
    current = fake.current_message(OFFICER_ID, sent[0].message_id)
    assert current is not None and current["text"].startswith("✅ Imported:")
    assert fake.current_message(OFFICER_ID, preview.message_id) is not None  # the preview stays as it was


async def test_confirming_a_small_import_answers_without_a_notice(bot: RunningBot) -> None:
    fake = bot.fake
    await _upload(fake, _ledger(3))
    preview = fake.messages_to(OFFICER_ID)[-1]
    before, actions, edits = len(fake.messages_to(OFFICER_ID)), len(fake.chat_actions), len(fake.edits)
    await _confirm(fake, preview)
    sent = fake.messages_to(OFFICER_ID)[before:]
    assert len(sent) == 1 and sent[0].text.startswith("✅ Imported:")
    assert (len(fake.chat_actions), len(fake.edits)) == (actions, edits)


async def test_a_chinese_officer_confirming_gets_the_notice_in_chinese(bot: RunningBot) -> None:
    fake = bot.fake
    fake.user_sends(OFFICER_ID, "/lang zh", language_code="zh")
    await fake.wait_for_sent(OFFICER_ID, count=len(fake.messages_to(OFFICER_ID)) + 1, timeout=60)
    await _upload(fake, _ledger(80), lang="zh")
    before = len(fake.messages_to(OFFICER_ID))
    await _confirm(fake, fake.edits[-1], label="确认导入")
    notice = fake.messages_to(OFFICER_ID)[before]
    assert "正在导入台账" in notice.text and "80" in notice.text
    assert fake.edits[-1].message_id == notice.message_id and fake.edits[-1].text.startswith("✅ 已导入")


def test_rows_are_counted_for_csv_and_estimated_for_xlsx() -> None:
    assert ledger_rows(Attachment("l.csv", _ledger(1234), "text/csv")) == 1234
    assert ledger_rows(Attachment("l.csv", b"header only\n", "text/csv")) == 0
    assert ledger_rows(Attachment("l.csv", b"", "text/csv")) == 0
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "".join("<row>" + "<c>1</c>" * 20 + "</row>" for _ in range(5000)))
    assert 1000 < ledger_rows(Attachment("l.xlsx", buf.getvalue(), None)) < 100_000
    assert ledger_rows(Attachment("l.xlsx", b"not a zip", None)) == 0
    assert ledger_rows(Attachment("notes.pdf", b"x\n" * 9999, None)) == 0
