"""Voice-note figures: voice message → answer through the real Application, the fake Bot API and a fake
OpenAI-compatible transcription server that answers after a fixed delay (a stand-in for a local whisper).

Times, per voice note, from the update being queued at the fake Bot API (the officer lets go of the mic
button) to the answer having been sent (sendMessage recorded): getUpdates, getFile, the download, the
transcription request (``--stt-delay`` seconds, default 1.0), routing the transcript and the reply. Mixed
transcripts: objections, quotes, reminders, in English and Chinese. Prints median / p95 / max and the bot's
own overhead (total minus the fixed delay). Run: .venv/bin/python bench/bench_voice.py [-n 60] [--stt-delay 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.transcribe import VoiceConfig
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.fake_transcription import fake_transcription
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot

SAID = [
    "client says the rate is too high",
    "客户说利息太高了",
    "quote 1m 90 days",
    "100万 90天 融资比例80%",
    "he won't sign a personal guarantee",
    "客户嫌保证金比例太高",
    "remind me tomorrow at 10am to call Acme",
    "3天后提醒我跟进华东纺织",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(n: int, delay: float) -> None:
    tmp = Path(tempfile.mkdtemp())
    clips = {f"OggS-{i}".encode() + b"\0" * 6000: text for i, text in enumerate(SAID)}  # ~6 KB, a 4 s opus note
    async with fake_transcription(transcripts=clips, delay=delay) as stt, FakeBotAPI() as fake:
        voice = VoiceConfig(backend="openai", base_url=stt.url, model="whisper-1")
        settings = make_settings(f"sqlite+aiosqlite:///{tmp / 'bench.db'}", tmp, voice=voice)
        async with running_bot(fake, settings, Clock(), retriever=False):
            fake.user_sends(OFFICER_ID, "/start")
            await fake.wait_for_sent(OFFICER_ID, timeout=120)
            timings: list[float] = []
            items = list(clips)
            for i in range(n):
                before = len(fake.messages_to(OFFICER_ID))
                t0 = time.perf_counter()
                fake.user_sends_voice(OFFICER_ID, items[i % len(items)], duration=4)
                sent = await fake.wait_for_sent(OFFICER_ID, count=before + 1, timeout=60)
                timings.append(time.perf_counter() - t0)
                assert (sent[before].text or "").startswith("🎙"), sent[before].text
    ms = [x * 1000 for x in timings]
    load = os.getloadavg()[0]
    print(f"voice note → answer, {n} notes, transcription fixed at {delay * 1000:.0f} ms (load {load:.1f}):")
    print(f"  median {statistics.median(ms):.0f} ms   p95 {pct(ms, 0.95):.0f} ms   max {max(ms):.0f} ms")
    print(f"  the bot's own overhead: median {statistics.median(ms) - delay * 1000:.0f} ms   "
          f"p95 {pct(ms, 0.95) - delay * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=60)
    parser.add_argument("--stt-delay", type=float, default=1.0)
    ns = parser.parse_args()
    asyncio.run(main(ns.n, ns.stt_delay))
