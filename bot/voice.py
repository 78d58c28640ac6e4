"""Voice notes mid-call: transcribe, route the transcript like typed text, show it above the answer.

Transport-free (the Telegram adapter hands over a :class:`VoiceNote` with a ``fetch`` coroutine), so the
console or another adapter could reuse it. Order of checks: who is it (strangers get the router's refusal,
nothing is downloaded), is voice configured (if not: one polite note per officer), is the note within the
size and duration limits (checked before download, and the bytes again after), then transcribe and route.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.access import Caller, resolve_officer
from bot.router import Incoming
from bot.runtime import Runtime
from bot.transcribe import Transcriber, TranscriptionError, make_transcriber
from skills.contract import Officer, Reply
from skills.fmt import esc
from skills.i18n import Catalogue, t

__all__ = ["MESSAGES", "VoiceNote", "VoiceNotes"]

log = logging.getLogger(__name__)

MESSAGES: Catalogue = {
    "unavailable": {
        "en": "🎙 Sorry, I can't listen to voice notes yet: that needs a transcription service, which is not set "
        "up here. Tip: tap the 🎤 on your phone keyboard and dictate — I get it as text.",
        "zh": "🎙 抱歉，暂时听不了语音：需要配置语音转写服务，目前还没有开通。小技巧：点手机键盘上的🎤直接语音输入，"
        "我收到的就是文字。",
    },
    "too_long": {
        "en": "🎙 That voice note is too long for me (limit {seconds} s, {mb} MB). Please send a shorter one, or type it.",
        "zh": "🎙 这条语音太长了（上限{seconds}秒、{mb}MB）。请发短一点的语音，或直接打字。",
    },
    "failed": {
        "en": "🎙 I couldn't transcribe that voice note just now. Please try again, or type it.",
        "zh": "🎙 这条语音暂时没能转成文字，请再试一次，或直接打字。",
    },
    "empty": {
        "en": "🎙 I heard nothing I could write down. Please try again closer to the phone, or type it.",
        "zh": "🎙 没听清内容，请靠近手机再说一次，或直接打字。",
    },
    "heard": {"en": "🎙 <i>{text}</i>", "zh": "🎙 <i>{text}</i>"},
}
_TRANSCRIPT_SHOWN = 500  # characters of the transcript shown above the answer


@dataclass(frozen=True, slots=True)
class VoiceNote:
    """A voice message or audio file as the adapter sees it, before download."""

    file_size: int | None
    duration: float | None  # seconds
    mime_type: str | None
    file_name: str
    fetch: Callable[[], Awaitable[bytes]]


class VoiceNotes:
    """Turns voice notes into routed requests; holds the transcriber and who has been told voice is off."""

    def __init__(self, runtime: Runtime, transcriber: Transcriber | None = None) -> None:
        self.runtime = runtime
        self.config = runtime.settings.voice
        self.transcriber = transcriber if transcriber is not None else make_transcriber(self.config)
        self._told: set[int] = set()

    async def _officer(self, caller: Caller) -> Officer | None:
        router = self.runtime.router
        async with self.runtime.services.sessionmaker() as session:
            officer = await resolve_officer(
                session, caller, "", admin_ids=router.admin_ids, allowed_ids=router.allowed_ids,
                default_tz=router.config.default_timezone, default_lang=router.config.default_language,
                now=router.now(),
            )  # fmt: skip
            await session.rollback()  # only a look-up: the router records first contact when it routes
        return officer

    async def handle(self, caller: Caller, chat_id: int, note: VoiceNote) -> list[Reply]:
        """The replies to send for one voice note (the transcript line above the first answer)."""
        router = self.runtime.router
        officer = await self._officer(caller)
        if officer is None:  # the router's refusal, in the same words as for text; nothing downloaded
            return (await router.handle(Incoming(caller=caller, text="", chat_id=chat_id))).replies
        lang = officer.language
        if self.transcriber is None:
            if officer.id in self._told:
                return []
            self._told.add(officer.id)
            return [Reply(text=t(MESSAGES, "unavailable", lang), data={"voice": "unavailable"}, intent="voice")]
        cfg = self.config
        too_long = Reply(
            text=t(MESSAGES, "too_long", lang, seconds=cfg.max_seconds, mb=round(cfg.max_bytes / 1_000_000, 1)),
            data={"voice": "too_long"}, intent="voice",
        )  # fmt: skip
        if (note.duration or 0) > cfg.max_seconds or (note.file_size or 0) > cfg.max_bytes:
            return [too_long]
        audio = await note.fetch()
        if len(audio) > cfg.max_bytes:
            return [too_long]
        try:
            text = await self.transcriber.transcribe(
                audio, file_name=note.file_name, mime_type=note.mime_type, language=lang
            )
        except TranscriptionError as exc:
            log.warning("voice note from officer %s not transcribed: %s", officer.id, exc)
            return [Reply(text=t(MESSAGES, "failed", lang), data={"voice": "failed"}, intent="voice")]
        finally:
            del audio  # never kept: the clip lives only for this request
        text = " ".join(text.split())
        if not text:
            return [Reply(text=t(MESSAGES, "empty", lang), data={"voice": "empty"}, intent="voice")]
        outcome = await router.handle(Incoming(caller=caller, text=text, chat_id=chat_id))
        shown = text if len(text) <= _TRANSCRIPT_SHOWN else text[: _TRANSCRIPT_SHOWN - 1] + "…"
        heard = t(MESSAGES, "heard", lang, text=esc(shown))
        replies = list(outcome.replies) or [Reply(text="")]
        first = replies[0]
        first.text = heard + ("\n" + first.text if first.text else "")
        first.data = {**first.data, "transcript": text, "skill": outcome.skill}
        return replies
