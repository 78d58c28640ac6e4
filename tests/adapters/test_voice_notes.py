"""Voice notes through the real Application and the fake Bot API, transcribed by a fake OpenAI-compatible
server over HTTP: the transcript above the answer, routed like text; limits; failures; voice switched off."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.transcribe import VoiceConfig
from bot.voice import MESSAGES as VOICE_MESSAGES
from skills.i18n import LANGS
from skills.store import unit_of_work
from skills.store.models import Client, Officer
from tests.adapters.test_skills_over_telegram import _press
from tests.conftest import OFFICER_ID, STRANGER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI, SentMessage
from tests.fixtures.fake_transcription import FakeTranscription, fake_transcription
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import RunningBot, running_bot

pytestmark = pytest.mark.slow

RATE_EN = b"OggS-clip-rate-en"
RATE_ZH = b"OggS-clip-rate-zh"
REMARK = b"OggS-clip-remark"
QUOTE = b"OggS-clip-quote"


async def _voice(
    fake: FakeBotAPI, clip: bytes, *, user: int = OFFICER_ID, lang: str = "en", **kw: object
) -> SentMessage:
    before = len(fake.messages_to(user))
    fake.user_sends_voice(user, clip, language_code=lang, **kw)  # type: ignore[arg-type]
    sent = (await fake.wait_for_sent(user, count=before + 1, timeout=60))[-1]
    sent.text = re.sub(r"<[^>]+>", "", sent.text or "")  # what the officer reads (HTML tags rendered)
    return sent


async def _seed(bot: RunningBot) -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with unit_of_work(bot.runtime.services.sessionmaker) as session:
        session.add(Officer(id=OFFICER_ID, name="Olga", role="officer", active=True, created_at=now))
        await session.flush()
        session.add(Client(name="Acme Trading", aliases=["Acme"], officer_id=OFFICER_ID, tier="risk", created_at=now))


@pytest.fixture
async def stt():  # type: ignore[no-untyped-def]
    transcripts = {
        RATE_EN: "Acme says the rate is too high",
        RATE_ZH: "客户说利息太高了",
        REMARK: "he still wants a lower rate",
        QUOTE: "quote 1m 90 days on a 365 basis",
    }
    async with fake_transcription(transcripts=transcripts) as server:
        yield server


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock, stt: FakeTranscription):  # type: ignore[no-untyped-def]
    voice = VoiceConfig(backend="openai", base_url=stt.url, api_key="sk-test", model="whisper-large-v3",
                        max_seconds=60, max_bytes=4096)  # type: ignore[arg-type]  # fmt: skip
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path, voice=voice), clock) as running:
        await _seed(running)
        yield running


async def test_a_voice_note_is_transcribed_and_answered_like_text(bot: RunningBot, stt: FakeTranscription) -> None:
    card = await _voice(bot.fake, RATE_EN)
    assert card.text.startswith("🎙 Acme says the rate is too high\n")
    assert "Your rate is too high" in card.text and "Acme Trading" in card.text
    assert card.buttons  # the card's buttons work as usual
    call = stt.calls[-1]
    assert (call.model, call.language, call.size) == ("whisper-large-v3", "en", len(RATE_EN))
    assert call.authorization == "Bearer sk-test"
    quote = await _voice(bot.fake, QUOTE)
    assert quote.text.startswith("🎙 quote 1m 90 days on a 365 basis") and "365" in quote.text


async def test_a_chinese_voice_note_and_the_client_said_follow_up(bot: RunningBot, stt: FakeTranscription) -> None:
    card = await _voice(bot.fake, RATE_ZH, lang="zh")
    assert card.text.startswith("🎙 客户说利息太高了") and "利率太高了" in card.text
    asked = await _press(bot.fake, card, "💬")
    assert "客户怎么说" in asked.text
    saved = await _voice(bot.fake, REMARK, lang="zh")
    assert saved.text.startswith("🎙 he still wants a lower rate") and "已保存" in saved.text


async def test_limits_and_failures_are_said_plainly(bot: RunningBot, stt: FakeTranscription) -> None:
    long = await _voice(bot.fake, RATE_EN, duration=61)
    assert "too long" in long.text and stt.calls == []  # refused before download and before the service
    big = await _voice(bot.fake, b"x" * 5000)
    assert "too long" in big.text and stt.calls == []
    stt.fail_next()
    failed = await _voice(bot.fake, RATE_EN)
    assert "couldn't transcribe" in failed.text
    silent = await _voice(bot.fake, b"OggS-silence")
    assert "heard nothing" in silent.text
    audio = await _voice(bot.fake, RATE_EN, as_audio_file="call.mp3", mime_type="audio/mpeg")
    assert audio.text.startswith("🎙 Acme says the rate is too high") and stt.calls[-1].file_name == "call.mp3"


async def test_strangers_get_the_refusal_and_nothing_is_transcribed(bot: RunningBot, stt: FakeTranscription) -> None:
    refused = await _voice(bot.fake, RATE_EN, user=STRANGER_ID)
    assert str(STRANGER_ID) in refused.text and stt.calls == []


async def test_without_a_backend_the_officer_is_told_once(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock) as running:
        await _seed(running)
        told = await _voice(fake_bot_api, RATE_EN)
        assert "transcription service" in told.text and "🎤" in told.text
        fake_bot_api.user_sends_voice(OFFICER_ID, RATE_EN)
        text = await _voice_then_text(fake_bot_api)
        assert "Your rate is too high" in text  # the second voice note got no reply; typing still works


async def _voice_then_text(fake: FakeBotAPI) -> str:
    before = len(fake.messages_to(OFFICER_ID))
    fake.user_sends(OFFICER_ID, "client says the rate is too high")
    sent = await fake.wait_for_sent(OFFICER_ID, count=before + 1, timeout=60)
    return sent[before].text or ""


def test_voice_strings_exist_in_both_languages() -> None:
    assert all(entry.get(lang) for entry in VOICE_MESSAGES.values() for lang in LANGS)
