"""The contract between the router and a skill: Request in, Reply out, nothing about Telegram.

A skill receives a :class:`Request` and a :class:`Services` bundle and returns one or more
:class:`Reply` objects. Adapters (Telegram, console, CLI) turn replies into messages; the
dispatcher turns outbox rows into pushes. Skills never import ``telegram`` or ``bot``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from knowledge.retrieval import Retriever
    from skills.config import SkillsConfig

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "Attachment",
    "Button",
    "Command",
    "InlineResult",
    "Officer",
    "Periodic",
    "Reply",
    "Request",
    "Role",
    "Services",
    "Skill",
    "SkillError",
    "payload",
    "utc_now",
]

# Telegram limits callback_data to 64 bytes; every button payload must fit.
MAX_PAYLOAD_BYTES = 64


class Role(enum.StrEnum):
    """What an officer may see: officers their own book, managers their team, admins everything."""

    OFFICER = "officer"
    MANAGER = "manager"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Officer:
    """The person talking to the bot (a Telegram user id, or the local console officer)."""

    id: int
    name: str
    role: Role
    language: str  # "en" | "zh" – already resolved for this request
    timezone: str  # IANA name, e.g. "Asia/Shanghai"
    quiet_start: str | None = None  # "22:00" local, or None for no quiet hours
    quiet_end: str | None = None  # "08:00" local
    team_ids: tuple[int, ...] = ()  # officers a manager can see (empty for others)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def visible_officer_ids(self) -> tuple[int, ...] | None:
        """Officer ids whose book this officer may see; ``None`` means everyone (admin)."""
        if self.role is Role.ADMIN:
            return None
        if self.role is Role.MANAGER:
            return (self.id, *self.team_ids)
        return (self.id,)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the officer sent (a ledger to import, say)."""

    file_name: str
    content: bytes
    mime_type: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a label and a payload (≤ 64 bytes, ``"<skill>:<action>[:args]"``) or a URL."""

    label: str
    payload: str = ""
    url: str | None = None

    def __post_init__(self) -> None:
        if self.url is None and len(self.payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload longer than {MAX_PAYLOAD_BYTES} bytes: {self.payload!r}")


def payload(skill: str, action: str, *args: object) -> str:
    """Build a button payload ``skill:action:arg1:arg2`` and check it fits Telegram's 64 bytes."""
    text = ":".join([skill, action, *(str(a) for a in args)])
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"button payload longer than {MAX_PAYLOAD_BYTES} bytes: {text!r}")
    return text


@dataclass(slots=True)
class Request:
    """One message, command or button press from an officer, with an injected clock."""

    officer: Officer
    text: str
    now: datetime  # timezone-aware, UTC
    command: str | None = None  # "quote" for "/quote 1m 90d"
    args: str = ""  # "1m 90d"
    payload: str | None = None  # button payload when a button was pressed
    attachment: Attachment | None = None
    chat_id: int | None = None
    # Conversation state of the skill that owns the open conversation (None if none is open).
    state: dict[str, Any] | None = None
    # The last client this officer talked about (client id), kept by the router between messages.
    recent_client_id: int | None = None
    # The unit of work for this request: the router commits it after the skill returns, or rolls it
    # back when the skill raises (so a SkillError leaves nothing half-stored). Repositories never commit.
    session: AsyncSession | None = None

    @property
    def db(self) -> AsyncSession:
        """The request's session (always set by the router)."""
        assert self.session is not None, "Request.session is set by the router"
        return self.session

    @property
    def lang(self) -> str:
        return self.officer.language

    @property
    def action(self) -> tuple[str, list[str]]:
        """For a button press: (action, args) from ``skill:action:arg1:arg2``."""
        assert self.payload is not None
        parts = self.payload.split(":")
        return (parts[1] if len(parts) > 1 else ""), parts[2:]


@dataclass(slots=True)
class Reply:
    """What a skill answers: HTML-subset text, buttons as plain data, an optional PNG, and the figures."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    image: bytes | None = None  # PNG
    image_name: str = "chart.png"
    data: dict[str, Any] = field(default_factory=dict)
    intent: str = ""
    # Conversation control: a dict opens/continues a conversation owned by the replying skill,
    # ``END`` closes it, ``None`` leaves it as it is.
    state: dict[str, Any] | object | None = None
    # When answering a button press: replace the message the button was on instead of sending anew.
    edit: bool = False
    # Remember this client as the officer's recent client (for "he says the rate is too high").
    client_id: int | None = None

    END: ClassVar[object] = object()


@dataclass(frozen=True, slots=True)
class InlineResult:
    """One result for Telegram inline mode (``@bot rate too high`` in any chat)."""

    id: str
    title: str
    description: str
    text: str  # what is sent into the chat when chosen (plain text)


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command a skill answers; ``help_en``/``help_zh`` appear in /help and setMyCommands."""

    name: str
    help_en: str
    help_zh: str
    roles: tuple[Role, ...] = (Role.OFFICER, Role.MANAGER, Role.ADMIN)


# A periodic job a skill wants run by the dispatcher: (name, interval seconds, coroutine(services, now)).
Periodic = tuple[str, float, Callable[["Services", datetime], Awaitable[None]]]


class SkillError(ValueError):
    """A problem with the officer's input, already worded in the officer's language.

    Raise it from a skill (or from ``logic.py`` via a narrower subclass caught in the skill);
    the router turns it into a reply and rolls back the unit of work, so nothing stored changes.
    """

    def __init__(self, text: str, *, data: dict[str, Any] | None = None, buttons: list[list[Button]] | None = None):
        super().__init__(text)
        self.text = text
        self.data = data or {}
        self.buttons = buttons or []
        self.skill = ""  # set by the router: which skill refused


def utc_now() -> datetime:
    """The wall clock in UTC: the default ``Services.clock`` (tests inject their own)."""
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    """What skills may use: the database, configuration, the playbook retriever, the clock, the chat model.

    Built once by ``bot.runtime``. ``clock`` is always set (the wall clock unless a test injects one);
    ``chat_model`` is the optional LangChain model for grounded playbook answers (None: extractive only).
    """

    sessionmaker: async_sessionmaker[AsyncSession]
    config: SkillsConfig
    retriever: Retriever | None = None
    clock: Callable[[], datetime] = utc_now
    chat_model: BaseChatModel | None = None
    bot_username: str = "FactorMateBot"
    skills: Sequence[Skill] = ()


class Skill:
    """Base class for skills. Subclasses set the class attributes and override ``handle``.

    Routing metadata is declarative (opsdroid-style): ``commands`` for slash commands,
    ``patterns`` for high-precision regexes over free text, ``examples`` per language for
    similarity routing. A skill may override ``score`` for its own recogniser.
    """

    name: ClassVar[str] = ""
    commands: ClassVar[tuple[Command, ...]] = ()
    # High-precision patterns: a match routes straight to this skill (score 1.0 by default).
    patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    # Example phrasings per language, used by the router's similarity fallback and by /help.
    examples: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Further phrasings per language ("en", "zh", "mixed") the router learns from but /help does not show.
    more_phrasings: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Shown in /help, per language (first line).
    summary: ClassVar[dict[str, str]] = {}
    # What an open flow of this skill is called when the router offers it back ("Your quote is still open").
    flow_name: ClassVar[dict[str, str]] = {}
    # Routing roles, declared so that the router names no skill:
    # answers the open questions no other skill claims ("…?" that nothing recognises);
    answers_open_questions: ClassVar[bool] = False
    # yields to the open-question skill when the message is the officer's own question: "" never,
    # "question" for any question or how-to, "howto" only for an explicit how-to ("how do I…", "怎么…");
    yields_to_questions: ClassVar[str] = ""
    # takes messages that quote someone else ("client says…", "客户说…") whenever its recogniser sees any sign of them;
    claims_reported_speech: ClassVar[bool] = False
    # offered as a choice when the router is unsure (help and settings are not destinations for free text);
    # a positive ``default_choice`` pads those choices when little matched (higher first).
    offered_when_unsure: ClassVar[bool] = True
    default_choice: ClassVar[int] = 0
    # takes uploaded files (a ledger to import).
    accepts_files: ClassVar[bool] = False

    def score(self, text: str, lang: str) -> float:
        """Confidence in [0, 1] that free ``text`` is for this skill, from the declared patterns."""
        return 1.0 if any(p.search(text) for p in self.patterns) else 0.0

    def anticipate(self, text: str, services: Services) -> None:
        """Free ``text`` has come and routing is about to weigh it: start, without waiting, a slow preparation it
        will likely need, so that it overlaps the routing (the playbook skill starts loading the model for a
        how-to question). Quick, never raises; nothing by default."""
        return None

    async def recognise(self, request: Request) -> float:
        """Positive evidence that ``request.text`` is for this skill, which may read (never write) the officer's
        own data (``request.db``: a client's name, say). Defaults to :meth:`score`."""
        return self.score(request.text, request.lang)

    def phrasings(self) -> dict[str, tuple[str, ...]]:
        """Every phrasing the router's classifier learns this skill from: ``examples`` plus ``more_phrasings``."""
        keys = dict.fromkeys([*self.examples, *self.more_phrasings])
        return {k: (*self.examples.get(k, ()), *self.more_phrasings.get(k, ())) for k in keys}

    async def answer_score(self, request: Request, state: dict[str, Any]) -> float:
        """How plausible ``request.text`` is as an answer to this skill's open question (``state``), in [0, 1].

        The router keeps a message in the flow when this is high; when it is low and another request is
        clearly meant, the router serves that request and offers the flow back. 0.5 means "cannot tell".
        It may read (never write) ``request.db``, e.g. to recognise one of the officer's clients.
        """
        return 0.5

    def flow_label(self, state: dict[str, Any]) -> dict[str, str]:
        """What the open flow in ``state`` is called when the router offers it back; ``flow_name`` by default
        (a skill with several kinds of flow names each one)."""
        return self.flow_name

    async def on_cancel(self, request: Request, services: Services, state: dict[str, Any]) -> None:
        """The officer ended this skill's open flow ("/cancel", "cancel", "算了", Drop): forget whatever the flow
        was holding (``state``), so nothing it prepared can still be applied. Nothing to forget by default."""
        return None

    async def handle(self, request: Request, services: Services) -> Reply | list[Reply]:
        """Answer a command, free text routed here, or a message inside this skill's conversation."""
        raise NotImplementedError

    async def on_button(self, request: Request, services: Services) -> Reply | list[Reply]:
        """Answer a button press whose payload starts with ``"<name>:"``."""
        raise SkillError("unknown button")

    async def inline(self, query: str, officer: Officer, services: Services) -> list[InlineResult]:
        """Results for Telegram inline mode; most skills have none."""
        return []

    def periodic(self) -> list[Periodic]:
        """Periodic jobs for the dispatcher (reminder pickup, alert sweeps)."""
        return []

    def configure(self, services: Services) -> None:
        """Read the settings the skill needs before its first message (a model's cache folder, say): called once
        when the runtime is built, before any warm-up or message. Nothing to read by default."""
        return None

    def warm_up(self, services: Services) -> None:
        """Load models, train recognisers, prime parsers: called once at start-up, in a worker thread,
        so the first officer's message does not pay for it (and does not stall everyone else's)."""
        return None
