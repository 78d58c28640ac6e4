"""Speech to text for voice notes: an OpenAI-compatible ``/audio/transcriptions`` endpoint, or none.

The endpoint may be a hosted service or a local faster-whisper / whisper.cpp server that speaks the same API
(``POST {base_url}/audio/transcriptions``, multipart ``file`` + ``model``, JSON ``{"text": …}`` back). The
audio is held in memory for the one request and never written anywhere.
"""

from __future__ import annotations

import logging
from typing import Literal, Protocol

from pydantic import BaseModel, Field, SecretStr, model_validator

__all__ = ["OpenAITranscriber", "Transcriber", "TranscriptionError", "VoiceConfig", "make_transcriber"]

log = logging.getLogger(__name__)


class VoiceConfig(BaseModel):
    """Voice notes (``VOICE__…``): the transcription backend and the limits on what is sent to it."""

    backend: Literal["none", "openai"] = Field(
        "none", description="none: voice notes get a polite note to use the keyboard's dictation; openai: an "
        "OpenAI-compatible /audio/transcriptions endpoint (hosted, or a local faster-whisper/whisper.cpp server)"
    )  # fmt: skip
    base_url: str | None = Field(None, description="e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1")
    api_key: SecretStr | None = Field(None, description="sent as 'Authorization: Bearer …' (local servers: unset)")
    model: str = Field("whisper-1", description="model name the endpoint expects")
    language: str | None = Field(
        None, description="ISO-639-1 hint sent to the endpoint (unset: the officer's language, en or zh)"
    )
    timeout: float = Field(20.0, gt=0, description="seconds before a transcription counts as failed")
    max_seconds: int = Field(120, gt=0, description="longer voice notes are refused before download")
    max_bytes: int = Field(5_000_000, gt=0, description="larger voice/audio files are refused before download")

    @model_validator(mode="after")
    def _needs_url(self) -> VoiceConfig:
        if self.backend == "openai" and not (self.base_url or "").startswith(("http://", "https://")):
            raise ValueError("VOICE__BASE_URL must be an http(s) URL when VOICE__BACKEND=openai")
        return self


class TranscriptionError(Exception):
    """The endpoint did not give a transcript (unreachable, timed out, refused, or answered nonsense)."""


class Transcriber(Protocol):
    """Turns one audio clip into text."""

    async def transcribe(self, audio: bytes, *, file_name: str, mime_type: str | None, language: str | None) -> str:
        """The transcript (may be empty for silence)."""
        ...


class OpenAITranscriber:
    """``POST {base_url}/audio/transcriptions`` with the clip as multipart form data."""

    def __init__(self, config: VoiceConfig) -> None:
        assert config.base_url is not None
        self.url = config.base_url.rstrip("/") + "/audio/transcriptions"
        self.config = config

    async def transcribe(self, audio: bytes, *, file_name: str, mime_type: str | None, language: str | None) -> str:
        """Send the clip, return the ``text`` of the JSON answer; :class:`TranscriptionError` otherwise."""
        import aiohttp  # 0.1 s to import: paid by the first voice note, not by every command that reads the config

        form = aiohttp.FormData()
        form.add_field("file", audio, filename=file_name, content_type=mime_type or "application/octet-stream")
        form.add_field("model", self.config.model)
        form.add_field("response_format", "json")
        lang = self.config.language or language
        if lang:
            form.add_field("language", lang)
        headers = {}
        if self.config.api_key is not None:
            headers["Authorization"] = f"Bearer {self.config.api_key.get_secret_value()}"
        timeout = aiohttp.ClientTimeout(total=self.config.timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.url, data=form, headers=headers) as response,
            ):
                if response.status != 200:
                    raise TranscriptionError(f"HTTP {response.status} from the transcription endpoint")
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise TranscriptionError(f"{type(exc).__name__}: {exc}") from None
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            raise TranscriptionError("the transcription endpoint answered without a 'text' field")
        return text.strip()


def make_transcriber(config: VoiceConfig) -> Transcriber | None:
    """The configured transcriber, or None when voice is off (``VOICE__BACKEND=none``)."""
    if config.backend == "openai":
        return OpenAITranscriber(config)
    return None
