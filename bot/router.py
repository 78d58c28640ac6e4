"""The one router: access guard, then button payloads, commands, an open conversation, then free text.

Which skill free text goes to, and whether a message answers an open flow or is a new request, is the
arbiter's decision (``bot.arbiter``, one documented policy in settings). The router carries it out: it
serves a new request at once and offers the open flow back ("Your quote is still open — Continue / Drop"),
ends a flow on "cancel"/"取消" exactly as /cancel does, and asks with buttons instead of guessing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.access import Caller, clean_text, resolve_officer
from bot.arbiter import Arbiter, Decision, RoutingConfig, is_cancel
from bot.messages import MESSAGES
from bot.ratelimit import RateLimiter
from skills.config import SkillsConfig
from skills.contract import (
    MAX_PAYLOAD_BYTES,
    Attachment,
    Button,
    InlineResult,
    Officer,
    Reply,
    Request,
    Services,
    Skill,
    SkillError,
    payload,
)
from skills.i18n import detect_lang, normalise_lang, t
from skills.store.models import Conversation

__all__ = ["Incoming", "Outcome", "Router", "valid_payload"]

log = logging.getLogger(__name__)

_COMMAND = re.compile(r"^/(?P<cmd>[A-Za-z0-9_]{1,32})(?:@(?P<bot>\w+))?(?:\s+(?P<args>.*))?$", re.DOTALL)
CONVERSATION_TIMEOUT = timedelta(minutes=15)
RECENT_CLIENT_TTL = timedelta(hours=2)
MAX_TEXT = 4000
# What our own buttons carry: ``skill:action[:arg…]`` in plain ASCII, within Telegram's 64 bytes, and no
# number longer than a database integer. Anything else was not made by us and is refused before any skill.
_PAYLOAD = re.compile(r"^[a-z_]{1,32}(?::[A-Za-z0-9_.+\-]{0,40})*\Z")
_LONG_NUMBER = re.compile(r"(?:^|:)[+-]?\d{19,}(?::|$)")


def valid_payload(data: str) -> bool:
    """True when ``data`` has the shape of a payload our skills build (see ``skills.contract.payload``)."""
    return (
        len(data.encode()) <= MAX_PAYLOAD_BYTES
        and _PAYLOAD.match(data) is not None
        and _LONG_NUMBER.search(data) is None
    )


@dataclass(slots=True)
class Incoming:
    """One update as an adapter hands it over."""

    caller: Caller
    text: str = ""
    payload: str | None = None
    attachment: Attachment | None = None
    chat_id: int | None = None
    now: datetime | None = None


@dataclass(slots=True)
class Outcome:
    """Where an update went and what came back (``ask --json`` prints this)."""

    skill: str
    intent: str
    confidence: float
    replies: list[Reply] = field(default_factory=list)
    officer: Officer | None = None
    # A flow left open while another request was served: (skill, state, expires_at), restored afterwards.
    kept_flow: tuple[str, dict[str, Any], datetime | None] | None = None

    def as_json(self) -> dict[str, Any]:
        first = self.replies[0] if self.replies else Reply(text="")
        return {
            "skill": self.skill,
            "intent": first.intent or self.intent,
            "confidence": round(self.confidence, 3),
            "text": "\n\n".join(r.text for r in self.replies),
            "buttons": [[{"label": b.label, "payload": b.payload or b.url} for b in row] for row in first.buttons],
            "data": first.data,
            "replies": len(self.replies),
        }


def _clean_attachment(attachment: Attachment | None) -> Attachment | None:
    """The file as sent, its name without control characters (it is shown back and stored)."""
    if attachment is None:
        return None
    name = clean_text(attachment.file_name).replace("\n", " ").strip()[:255] or "file"
    return attachment if name == attachment.file_name else replace(attachment, file_name=name)


class Router:
    """Routes every update to a skill inside one unit of work."""

    def __init__(
        self,
        services: Services,
        skills: list[Skill],
        *,
        admin_ids: list[int],
        allowed_ids: list[int],
        limiter: RateLimiter | None = None,
        routing: RoutingConfig | None = None,
    ) -> None:
        self.services = services
        self.skills = {s.name: s for s in skills}
        self.admin_ids = admin_ids
        self.allowed_ids = allowed_ids
        self.commands = {c.name: (s, c) for s in skills for c in s.commands}
        self.arbiter = Arbiter(skills, routing or RoutingConfig())
        self.limiter = limiter or RateLimiter(per_minute=0)
        self._in_flight = 0  # updates being handled now (read by the warm-up thread: it gives way to them)
        services.skills = skills

    @property
    def busy(self) -> bool:
        """An update is being handled right now."""
        return self._in_flight > 0

    @property
    def config(self) -> SkillsConfig:
        return self.services.config

    def now(self) -> datetime:
        return self.services.clock()

    async def handle(self, incoming: Incoming) -> Outcome:
        """Route one update and return the replies; raises only on a bug (the adapter apologises)."""
        self._in_flight += 1
        try:
            return await self._handle(incoming)
        finally:
            self._in_flight -= 1

    async def _handle(self, incoming: Incoming) -> Outcome:
        now = incoming.now or self.now()
        text = clean_text(incoming.text or "").strip()
        async with self.services.sessionmaker() as session:
            officer = await resolve_officer(
                session,
                incoming.caller,
                text,
                admin_ids=self.admin_ids,
                allowed_ids=self.allowed_ids,
                default_tz=self.config.default_timezone,
                default_lang=self.config.default_language,
                now=now,
            )
            if officer is None:
                await session.rollback()
                return self._refusal(incoming.caller, text)
            # the allowlist first: a stranger never gets a rate bucket (100,000 strangers cost no memory)
            if not incoming.caller.console and not self.limiter.allow(incoming.caller.user_id, now):
                await session.rollback()
                return self._too_many(incoming.caller, text)
            conv = await session.get(Conversation, officer.id)
            if conv is None:
                conv = Conversation(officer_id=officer.id)
                session.add(conv)
            if session.new or session.dirty:  # first contact, a changed name: keep it even if the skill fails
                await session.commit()

            request = Request(
                officer=officer,
                text=text[:MAX_TEXT],
                now=now,
                payload=incoming.payload,
                attachment=_clean_attachment(incoming.attachment),
                chat_id=incoming.chat_id,
                recent_client_id=self._recent_client(conv, now),
                session=session,
            )
            try:
                outcome = await self._dispatch(request, conv)
            except SkillError as exc:
                await session.rollback()
                outcome = Outcome(
                    skill=exc.skill or "error",
                    intent="error",
                    confidence=1.0,
                    replies=[Reply(text=exc.text, buttons=exc.buttons, data={"error": True, **exc.data})],
                )
                conv = await session.get(Conversation, officer.id) or conv
            except BaseException:
                await session.rollback()
                raise
            self._remember(conv, outcome, now)
            await session.commit()
        outcome.officer = officer
        return outcome

    # -- dispatch ------------------------------------------------------------------------------

    async def _dispatch(self, request: Request, conv: Conversation) -> Outcome:
        lang = request.lang
        if request.payload is not None:
            return await self._button(request, conv)
        match = _COMMAND.match(request.text)
        if match:
            return await self._command(request, conv, match.group("cmd").lower(), (match.group("args") or "").strip())
        flow = self._open_flow(conv, request.now)
        if request.attachment is not None:
            return self._offer_back(await self._attachment(request), conv, flow, lang)
        if is_cancel(request.text):
            return await self._cancel(request, conv)
        if flow == _ROUTER:
            return await self._clarify_answer(request, conv)
        if flow is not None:
            return await self._flow(request, conv, self.skills[flow])
        if not request.text:
            return Outcome("help", "empty", 1.0, [Reply(text=t(MESSAGES, "empty", lang))])
        return await self._free_text(request, conv)

    def _open_flow(self, conv: Conversation, now: datetime) -> str | None:
        """The skill (or the router's own question) whose flow is open, if any."""
        if not conv.skill or not self._conversation_open(conv, now):
            return None
        return conv.skill if conv.skill in self.skills or conv.skill == _ROUTER else None

    async def _flow(self, request: Request, conv: Conversation, owner: Skill) -> Outcome:
        """A message while ``owner``'s flow is open: an answer stays in it; a clear new request leaves it open."""
        state = _skill_state(conv.state)
        fit = await owner.answer_score(replace(request, state=state), state)
        scores = None if fit >= self.arbiter.config.flow_answer_sure else await self.evidence(request)
        verdict = self.arbiter.in_flow(owner.name, fit, request.text, request.lang, scores)
        if verdict.action == "answer" or verdict.decision is None or verdict.decision.skill is None:
            request.state = state
            return await self._call(owner, request, "conversation", 1.0)
        decision = verdict.decision
        assert decision.skill is not None
        outcome = await self._call(self.skills[decision.skill], request, decision.how, decision.confidence)
        return self._offer_back(outcome, conv, owner.name, request.lang)

    def _offer_back(self, outcome: Outcome, conv: Conversation, flow: str | None, lang: str) -> Outcome:
        """Keep the flow that was open while another request was served, and offer it back as buttons."""
        if flow is None or flow == _ROUTER or flow not in self.skills:
            return outcome
        if any(isinstance(r.state, dict) for r in outcome.replies):
            return outcome  # the request opened a flow of its own: that one is open now
        outcome.kept_flow = (flow, dict(conv.state or {}), conv.expires_at)
        owner = self.skills[flow]
        name = owner.flow_label(_skill_state(conv.state)).get(lang) or t(MESSAGES, "flow.generic", lang)
        buttons = [
            [
                Button(t(MESSAGES, "flow.continue", lang), payload(_ROUTER, "resume")),
                Button(t(MESSAGES, "flow.drop", lang), payload(_ROUTER, "drop")),
            ]
        ]
        outcome.replies.append(
            Reply(
                text=t(MESSAGES, "flow.kept", lang, flow=name),
                buttons=buttons,
                data={"open_flow": flow},
                intent="flow_kept",
            )
        )
        return outcome

    async def _cancel(self, request: Request, conv: Conversation) -> Outcome:
        """End whatever flow is open ("/cancel", "cancel", "算了", Drop): nothing it was building is created, and
        its owner forgets what it was holding (an import preview's file, say)."""
        lang = request.lang
        had = bool(conv.skill)
        owner = self.skills.get(conv.skill or "")
        if owner is not None and self._conversation_open(conv, request.now):
            await owner.on_cancel(request, self.services, _skill_state(conv.state))
        self._close(conv)
        key = "cancelled" if had else "nothing_to_cancel"
        return Outcome("help", "cancel", 1.0, [Reply(text=t(MESSAGES, key, lang), state=Reply.END)])

    async def _button(self, request: Request, conv: Conversation) -> Outcome:
        assert request.payload is not None
        if not valid_payload(request.payload):
            log.info("refused a malformed button payload (%d bytes)", len(request.payload.encode()))
            return self._expired(request)
        name = request.payload.split(":", 1)[0]
        if name == _ROUTER:
            return await self._router_button(request, conv)
        skill = self.skills.get(name)
        if skill is None:
            return self._expired(request)
        if conv.skill == skill.name and self._conversation_open(conv, request.now):
            request.state = _skill_state(conv.state)
        try:
            replies = await skill.on_button(request, self.services)
        except SkillError as exc:
            exc.skill = skill.name
            raise
        return self._outcome(skill, replies, "button", 1.0)

    async def _router_button(self, request: Request, conv: Conversation) -> Outcome:
        """The router's own buttons: a pick after "did you mean", and Continue / Drop for a kept flow."""
        action, args = request.action
        flow = self._open_flow(conv, request.now)
        if action == "pick" and args and args[0] in self.skills and flow == _ROUTER:
            return await self._pick(request, conv, args[0])
        if action == "resume" and flow is not None and flow != _ROUTER:
            prompt = (conv.state or {}).get(_PROMPT) or {}
            buttons = [[Button(label, data) for label, data in row] for row in prompt.get("buttons", [])]
            text = prompt.get("text") or t(MESSAGES, "flow.resumed", request.lang)
            conv.expires_at = request.now + CONVERSATION_TIMEOUT
            return Outcome(
                flow, "resume", 1.0, [Reply(text=text, buttons=buttons, data={"resumed": flow}, intent="resume")]
            )
        if action == "drop" and flow is not None:
            return await self._cancel(request, conv)
        return self._expired(request)

    async def _pick(self, request: Request, conv: Conversation, name: str) -> Outcome:
        pending = str((conv.state or {}).get("pending") or "")
        if not pending:
            return self._expired(request)
        request.payload = None
        request.text = pending
        self._close(conv)
        return await self._call(self.skills[name], request, "picked", 1.0)

    async def _clarify_answer(self, request: Request, conv: Conversation) -> Outcome:
        """A typed answer to "did you mean": a choice by number or name picks it; anything else is new text."""
        choices = list((conv.state or {}).get("candidates") or [])
        typed = request.text.strip().strip("?？.。!！").lower()
        for i, name in enumerate(choices, start=1):
            labels = {str(i), name, *(t(MESSAGES, f"skill.{name}", lang).lower() for lang in ("en", "zh"))}
            if typed in labels and name in self.skills:
                return await self._pick(request, conv, name)
        self._close(conv)
        return await self._free_text(request, conv)

    async def _command(self, request: Request, conv: Conversation, cmd: str, args: str) -> Outcome:
        lang = request.lang
        if cmd == "cancel":
            return await self._cancel(request, conv)
        entry = self.commands.get(cmd)
        if entry is None:
            return Outcome("help", "unknown_command", 1.0, [Reply(text=t(MESSAGES, "unknown_command", lang, cmd=cmd))])
        skill, command = entry
        if request.officer.role not in command.roles:
            return Outcome(skill.name, "forbidden", 1.0, [Reply(text=t(MESSAGES, "forbidden", lang))])
        flow = self._open_flow(conv, request.now)
        request.command, request.args = cmd, args
        if flow == skill.name:
            request.state = _skill_state(conv.state)
            return await self._call(skill, request, cmd, 1.0)
        if flow == _ROUTER:
            self._close(conv)
        return self._offer_back(await self._call(skill, request, cmd, 1.0), conv, flow, lang)

    async def _attachment(self, request: Request) -> Outcome:
        """A file: hand it to the skill that imports files; refuse oversized ones before any skill sees them."""
        assert request.attachment is not None
        if request.attachment.mime_type == "x-too-large":
            return Outcome("router", "upload_too_large", 1.0, [Reply(text=t(MESSAGES, "file_too_large", request.lang))])
        for skill in self.skills.values():
            if skill.accepts_files:
                return await self._call(skill, request, "upload", 1.0)
        return Outcome("help", "upload", 1.0, [Reply(text=t(MESSAGES, "no_file_skill", request.lang))])

    async def inline(self, caller: Caller, query: str) -> list[InlineResult]:
        """Inline-mode results from every skill that offers them; nothing for callers not allowlisted."""
        now = self.now()
        async with self.services.sessionmaker() as session:
            officer = await resolve_officer(
                session,
                caller,
                query,
                admin_ids=self.admin_ids,
                allowed_ids=self.allowed_ids,
                default_tz=self.config.default_timezone,
                default_lang=self.config.default_language,
                now=now,
            )
            await session.commit()
        if officer is None or not query.strip():
            return []
        results: list[InlineResult] = []
        for skill in self.skills.values():
            results.extend(await skill.inline(query.strip(), officer, self.services))
        return results

    async def evidence(self, request: Request) -> dict[str, float]:
        """Every skill's own recogniser score for the request's text (skills read, never write, the database)."""
        return {name: await skill.recognise(request) for name, skill in self.skills.items()}

    async def decide(self, request: Request) -> Decision:
        """The routing decision for free text, without running any skill (``eval routing`` and the bench)."""
        return self.arbiter.decide(request.text, request.lang, await self.evidence(request))

    async def _free_text(self, request: Request, conv: Conversation) -> Outcome:
        for skill in self.skills.values():
            skill.anticipate(request.text, self.services)
        decision = await self.decide(request)
        if decision.skill is not None:
            return await self._call(self.skills[decision.skill], request, decision.how, decision.confidence)
        return self._clarify(request, conv, decision)

    # -- helpers -------------------------------------------------------------------------------

    async def _call(self, skill: Skill, request: Request, intent: str, confidence: float) -> Outcome:
        try:
            replies = await skill.handle(request, self.services)
        except SkillError as exc:
            exc.skill = skill.name
            raise
        return self._outcome(skill, replies, intent, confidence)

    @staticmethod
    def _outcome(skill: Skill, replies: Reply | list[Reply], intent: str, confidence: float) -> Outcome:
        items = replies if isinstance(replies, list) else [replies]
        return Outcome(skill.name, items[0].intent if items and items[0].intent else intent, confidence, items)

    def _clarify(self, request: Request, conv: Conversation, decision: Decision) -> Outcome:
        lang = request.lang
        names = [n for n in decision.candidates if n in self.skills]
        buttons = [[Button(t(MESSAGES, f"skill.{n}", lang), payload(_ROUTER, "pick", n)) for n in names]]
        conv.skill, conv.state = _ROUTER, {"pending": request.text, "candidates": names}
        conv.expires_at = request.now + CONVERSATION_TIMEOUT
        reply = Reply(
            text=t(MESSAGES, "clarify", lang),
            buttons=buttons,
            data={"candidates": names},
            intent="clarify",
        )
        return Outcome(_ROUTER, "clarify", decision.confidence, [reply])

    def _expired(self, request: Request) -> Outcome:
        return Outcome(_ROUTER, "expired", 1.0, [Reply(text=t(MESSAGES, "button_expired", request.lang))])

    def _too_many(self, caller: Caller, text: str) -> Outcome:
        lang = normalise_lang(caller.language_code) or detect_lang(text, self.config.default_language)
        return Outcome(
            _ROUTER, "rate_limited", 1.0, [Reply(text=t(MESSAGES, "too_many", lang), data={"rate_limited": True})]
        )

    def _refusal(self, caller: Caller, text: str) -> Outcome:
        lang = normalise_lang(caller.language_code) or detect_lang(text, self.config.default_language)
        reply = Reply(
            text=t(MESSAGES, "refused", lang, user_id=caller.user_id), data={"refused": True, "user_id": caller.user_id}
        )
        return Outcome("access", "refused", 1.0, [reply])

    @staticmethod
    def _conversation_open(conv: Conversation, now: datetime) -> bool:
        return conv.expires_at is None or conv.expires_at > now

    @staticmethod
    def _close(conv: Conversation) -> None:
        conv.skill, conv.state, conv.expires_at = None, None, None

    @staticmethod
    def _recent_client(conv: Conversation, now: datetime) -> int | None:
        if conv.recent_client_id and conv.recent_client_at and now - conv.recent_client_at <= RECENT_CLIENT_TTL:
            return conv.recent_client_id
        return None

    def _remember(self, conv: Conversation, outcome: Outcome, now: datetime) -> None:
        """Apply the replies' conversation control and remember the client talked about.

        A reply closes only its own skill's flow; a flow kept open while another request was served is
        restored unless that request opened a flow of its own.
        """
        opened = False
        for reply in outcome.replies:
            if reply.state is Reply.END:
                if conv.skill in (None, outcome.skill):
                    self._close(conv)
            elif isinstance(reply.state, dict):
                opened = True
                conv.skill, conv.state = outcome.skill, {**reply.state, _PROMPT: _prompt_of(reply)}
                conv.expires_at = now + CONVERSATION_TIMEOUT
            if reply.client_id is not None:
                conv.recent_client_id, conv.recent_client_at = reply.client_id, now
        if outcome.kept_flow is not None and not opened:
            conv.skill, conv.state, conv.expires_at = outcome.kept_flow
        if conv.skill and conv.skill != _ROUTER and conv.expires_at is not None and conv.expires_at <= now:
            self._close(conv)


_ROUTER = "router"
_PROMPT = "_prompt"  # the question a flow last asked, kept with its state so "Continue" can ask it again


def _skill_state(state: dict[str, Any] | None) -> dict[str, Any]:
    """A flow's state as its skill wrote it (without what the router keeps beside it)."""
    return {k: v for k, v in (state or {}).items() if k != _PROMPT}


def _prompt_of(reply: Reply) -> dict[str, Any]:
    rows = [[[b.label, b.payload] for b in row if b.payload] for row in reply.buttons]
    return {"text": reply.text, "buttons": [row for row in rows if row]}
