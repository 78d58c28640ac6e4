"""The one router: access guard, then button payloads, commands, an open conversation, then free text.

Free text goes to the skill whose high-precision patterns match; failing that, to the skill whose
example phrasings are most similar (character n-gram TF-IDF, which works for English and Chinese
alike). Below the confidence threshold the officer is asked, with buttons, instead of given a guess.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.access import Caller, clean_text, resolve_officer
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
_QUESTION = re.compile(
    r"[?？]|^\s*(how|what|what's|whats|why|when|where|who|which|can|could|should|is|are|do|does)\b|"
    r"怎么|如何|什么|为什么|吗|呢|哪|能否|是否",
    re.IGNORECASE,
)
# Asking how to do something (stronger than a question: "any red flags on Acme?" is a lookup, not this).
_HOWTO = re.compile(
    r"\b(how\s+(do|to|should|can)|what\s+(should|can|do)\s+i|explain|explanation|difference\s+between|first\s+step|"
    r"what\s+to\s+do|advise|advice|tips?\s+(on|for)|best\s+way|quick\s+way)\b|"
    r"怎么|如何|区别|第一步|干什么|该怎|应该|要不要|要记|注意什么|哪些指标|技巧",
    re.IGNORECASE,
)
# Someone else's words being reported: the signature of an objection typed mid-call.
_REPORTED = re.compile(
    r"\b(client|customer|prospect|buyer|owner|boss|cfo|he|she|they|their\s+\w+)\s+"
    r"(says?|said|asks?|asked|thinks?|feels?|complains?|wants?|won'?t|doesn'?t|don'?t|is\s+not|isn'?t|refuses?|"
    r"worries|worried|argues?|insists?|claims?|keeps?|pushes?|objects?)\b|"
    r"客户(说|问|嫌|觉得|担心|认为|抱怨|不愿|不想|不肯|要求|坚持|质疑|反映|表示|怕)|他(说|问|嫌|觉得|担心|不愿|不想)|"
    r"(老板|财务|对方|他们)(说|问|嫌|觉得|担心|不愿|不想|不肯)",
    re.IGNORECASE,
)
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


class _Similarity:
    """Nearest example phrasing per skill (char n-grams, language-agnostic)."""

    def __init__(self, skills: list[Skill]) -> None:
        self.labels: list[str] = []
        self.texts: list[str] = []
        for skill in skills:
            for phrases in skill.examples.values():
                for phrase in phrases:
                    self.labels.append(skill.name)
                    self.texts.append(phrase.lower())
        self.vectorizer: Any = None

    def _fit(self) -> None:
        # Fitted on the first free text, not at start-up: commands never import scikit-learn.
        from sklearn.feature_extraction.text import TfidfVectorizer

        # Published only once fitted (the warm-up thread and a first message may race here).
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        matrix = vectorizer.fit_transform(self.texts)
        self.matrix, self.vectorizer = matrix, vectorizer

    def rank(self, text: str) -> list[tuple[str, float]]:
        if not self.texts:
            return []
        if self.vectorizer is None:
            self._fit()
        from sklearn.metrics.pairwise import linear_kernel

        sims = linear_kernel(self.vectorizer.transform([text.lower()]), self.matrix)[0]
        best: dict[str, float] = {}
        for label, score in zip(self.labels, sims, strict=True):
            best[label] = max(best.get(label, 0.0), float(score))
        return sorted(best.items(), key=lambda kv: kv[1], reverse=True)


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
    ) -> None:
        self.services = services
        self.skills = {s.name: s for s in skills}
        self.order = [s.name for s in skills]
        self.admin_ids = admin_ids
        self.allowed_ids = allowed_ids
        self.commands = {c.name: (s, c) for s in skills for c in s.commands}
        self.similarity = _Similarity(skills)
        self.limiter = limiter or RateLimiter(per_minute=0)
        services.skills = skills

    @property
    def config(self) -> SkillsConfig:
        return self.services.config

    def now(self) -> datetime:
        return self.services.clock()

    async def handle(self, incoming: Incoming) -> Outcome:
        """Route one update and return the replies; raises only on a bug (the adapter apologises)."""
        now = incoming.now or self.now()
        text = clean_text(incoming.text or "").strip()
        if not incoming.caller.console and not self.limiter.allow(incoming.caller.user_id, now):
            return self._too_many(incoming.caller, text)
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
        if conv.skill and conv.skill in self.skills and self._conversation_open(conv, request.now):
            skill = self.skills[conv.skill]
            request.state = dict(conv.state or {})
            return await self._call(skill, request, "conversation", 1.0)
        if request.attachment is not None:
            return await self._attachment(request)
        if not request.text:
            return Outcome("help", "empty", 1.0, [Reply(text=t(MESSAGES, "empty", lang))])
        return await self._free_text(request, conv)

    async def _button(self, request: Request, conv: Conversation) -> Outcome:
        assert request.payload is not None
        if not valid_payload(request.payload):
            log.info("refused a malformed button payload (%d bytes)", len(request.payload.encode()))
            return self._expired(request)
        name = request.payload.split(":", 1)[0]
        if name == "router":
            action, args = request.action
            pending = (conv.state or {}).get("pending") if conv.skill == "router" else None
            if action == "pick" and args and args[0] in self.skills and pending:
                request.payload = None
                request.text = pending
                self._close(conv)
                return await self._call(self.skills[args[0]], request, "picked", 1.0)
            return self._expired(request)
        skill = self.skills.get(name)
        if skill is None:
            return self._expired(request)
        if conv.skill == skill.name and self._conversation_open(conv, request.now):
            request.state = dict(conv.state or {})
        try:
            replies = await skill.on_button(request, self.services)
        except SkillError as exc:
            exc.skill = skill.name
            raise
        return self._outcome(skill, replies, "button", 1.0)

    async def _command(self, request: Request, conv: Conversation, cmd: str, args: str) -> Outcome:
        lang = request.lang
        if cmd == "cancel":
            had = bool(conv.skill)
            self._close(conv)
            key = "cancelled" if had else "nothing_to_cancel"
            return Outcome("help", "cancel", 1.0, [Reply(text=t(MESSAGES, key, lang), state=Reply.END)])
        entry = self.commands.get(cmd)
        if entry is None:
            return Outcome("help", "unknown_command", 1.0, [Reply(text=t(MESSAGES, "unknown_command", lang, cmd=cmd))])
        skill, command = entry
        if request.officer.role not in command.roles:
            return Outcome(skill.name, "forbidden", 1.0, [Reply(text=t(MESSAGES, "forbidden", lang))])
        if conv.skill and conv.skill != skill.name:
            self._close(conv)  # a new command abandons another skill's conversation
        elif conv.skill == skill.name and self._conversation_open(conv, request.now):
            request.state = dict(conv.state or {})
        request.command, request.args = cmd, args
        return await self._call(skill, request, cmd, 1.0)

    async def _attachment(self, request: Request) -> Outcome:
        """A file: hand it to the skill that imports files; refuse oversized ones before any skill sees them."""
        assert request.attachment is not None
        if request.attachment.mime_type == "x-too-large":
            return Outcome("router", "upload_too_large", 1.0, [Reply(text=t(MESSAGES, "file_too_large", request.lang))])
        for skill in self.skills.values():
            if getattr(skill, "accepts_files", False):
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

    async def _free_text(self, request: Request, conv: Conversation) -> Outcome:
        text, lang = request.text, request.lang
        scored = sorted(
            ((name, self.skills[name].score(text, lang)) for name in self.order),
            key=lambda kv: kv[1],
            reverse=True,
        )
        top_name, top_score = scored[0]
        if "playbook" in self.skills and self._officer_question(top_name, text):
            # "how do I explain factoring to…", "客户还没申请，提前要做哪些功课": the officer asks how to do
            # something; nobody is quoting a client. The playbook answers (objection entries included).
            return await self._call(self.skills["playbook"], request, "question", top_score)
        if top_score >= 0.75:
            return await self._call(self.skills[top_name], request, "pattern", top_score)
        ranked = self.similarity.rank(text)
        # Recognisers' middling scores (0.5-0.75) count as evidence; weaker ones are noise.
        merged: dict[str, float] = {name: score for name, score in scored if score >= 0.5}
        for name, sim in ranked:
            merged[name] = max(merged.get(name, 0.0), sim)
        best = sorted(merged.items(), key=lambda kv: kv[1], reverse=True) or [("playbook", 0.0)]
        name, conf = best[0]
        runner_up = best[1][1] if len(best) > 1 else 0.0
        if conf >= self.config.router_threshold and conf - runner_up >= 0.03:
            return await self._call(self.skills[name], request, "similarity", conf)
        if _QUESTION.search(text) and "playbook" in self.skills:
            # An open question nobody claims: the playbook answers it, or says it is not in the playbook.
            return await self._call(self.skills["playbook"], request, "question", conf)
        return self._clarify(request, conv, [n for n, s in best[:3] if s > 0.0], conf)

    @staticmethod
    def _officer_question(top: str, text: str) -> bool:
        """A how-to question in the officer's own voice, not a lookup and no client being quoted.

        Objection-like wording in a question ("how do I explain the reserve…") is the playbook's; a lookup
        skill (alerts, client) yields only to an explicit how-to ("difference between a yellow and a red card").
        """
        if _REPORTED.search(text):
            return False
        if top == "objection":
            return bool(_QUESTION.search(text) or _HOWTO.search(text))
        return top in ("alerts", "client") and bool(_HOWTO.search(text))

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

    def _clarify(self, request: Request, conv: Conversation, names: list[str], conf: float) -> Outcome:
        lang = request.lang
        padded = [*names, "playbook", "objection", "quote"]  # always offer the common destinations
        names = list(dict.fromkeys(n for n in padded if n in self.skills and n not in ("help", "settings")))[:3]
        buttons = [[Button(t(MESSAGES, f"skill.{n}", lang), payload("router", "pick", n)) for n in names]]
        conv.skill, conv.state = "router", {"pending": request.text}
        conv.expires_at = request.now + CONVERSATION_TIMEOUT
        reply = Reply(
            text=t(MESSAGES, "clarify", lang),
            buttons=buttons,
            data={"candidates": names},
            intent="clarify",
        )
        return Outcome("router", "clarify", conf, [reply])

    def _expired(self, request: Request) -> Outcome:
        return Outcome("router", "expired", 1.0, [Reply(text=t(MESSAGES, "button_expired", request.lang))])

    def _too_many(self, caller: Caller, text: str) -> Outcome:
        lang = normalise_lang(caller.language_code) or detect_lang(text, self.config.default_language)
        return Outcome("router", "rate_limited", 1.0, [Reply(text=t(MESSAGES, "too_many", lang), data={"rate_limited": True})])

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
        """Apply the replies' conversation control and remember the client talked about."""
        for reply in outcome.replies:
            if reply.state is Reply.END:
                self._close(conv)
            elif isinstance(reply.state, dict):
                conv.skill, conv.state = outcome.skill, reply.state
                conv.expires_at = now + CONVERSATION_TIMEOUT
            if reply.client_id is not None:
                conv.recent_client_id, conv.recent_client_at = reply.client_id, now
        if conv.skill and conv.skill != "router" and conv.expires_at is not None and conv.expires_at <= now:
            self._close(conv)
