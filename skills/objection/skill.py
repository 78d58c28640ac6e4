"""Objection scripts mid-call: the right card in well under a second, personalised to the client."""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import select

from skills.contract import Button, Command, InlineResult, Officer, Reply, Request, Services, Skill, SkillError, payload
from skills.fmt import esc
from skills.i18n import detect_lang, t
from skills.objection import outcomes, report
from skills.objection import repository as repo
from skills.objection.cards import ALIASES, CATEGORY, alias_of, resolve_alias
from skills.objection.learning import AngleScore
from skills.objection.logic import ClientFacts, Engine, Personal, angles_of, personalise, render_card
from skills.objection.messages import MESSAGES, TIER
from skills.objection.models import ObjectionLog
from skills.objection.phrasings import PHRASINGS
from skills.quote import api as quote_api
from skills.store.clients import find_client_in_text
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

if TYPE_CHECKING:  # scikit-learn loads on the first free-text message, not at start-up
    from skills.objection.recognise import Recogniser, Recognition

__all__ = ["ObjectionSkill"]

log = logging.getLogger(__name__)
_CACHE_SIZE = 256
_NOT_SURE = 0.3  # at or below this (the "belongs to another skill" level) a routed message gets a pick-list


def _delta(now: int, before: int, lang: str) -> str:
    """The change against last month: ↑2, ↓1, =, or "new" when it did not occur then."""
    if before == 0 and now > 0:
        return t(MESSAGES, "rep_new", lang)
    return f"↑{now - before}" if now > before else f"↓{before - now}" if now < before else "="


# The quote skill's pricing engine: every figure on a card is priced exactly as /quote prices it.
_QUOTE_ENGINE = Engine(price=quote_api.price, bank_loan=quote_api.bank_loan, error=quote_api.QuoteInputError)


async def _last_quote_inputs(request: Request, client_id: int) -> tuple[int | None, dict[str, Any] | None]:
    """(quote id, stored inputs) of the client's last saved quote, if there is one."""
    rows = await quote_api.last_quotes(request.db, client_id, 1)
    if not rows:
        return None, None
    return rows[0].id, dict(rows[0].inputs)


class ObjectionSkill(Skill):
    """Recognise the client's objection and answer with a short card, buttons and the client's figures."""

    name = "objection"
    yields_to_questions = "question"
    claims_reported_speech = True
    default_choice = 2
    commands = (
        Command("obj", "Objection card: /obj rate (or what the client said)", "异议应对卡：/obj rate（或客户原话）"),
        Command("objections", "Your top objections this month", "本月最常遇到的异议"),
    )
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": (
            "client says 1.2% per month is too expensive",
            "he won't sign a personal guarantee",
            "they don't want the buyer to know",
            "client says your approval is too slow",
            "customer complains about the service fee",
            "she says another factor offered a lower rate",
            "he says they already have a bank line",
            "client thinks factoring makes them look desperate",
            "they refuse to post a margin deposit",
        ),
        "zh": (
            "客户嫌保证金比例太高",
            "客户说利息太贵了",
            "我们不想让买方知道",
            "老板不愿意签个人担保",
            "客户嫌审批太慢",
            "客户说手续费太高",
            "客户说别家利率更低",
            "客户说已经有银行授信了",
            "客户嫌材料太多太麻烦",
        ),
    }
    summary: ClassVar[dict[str, str]] = {
        "en": "Objection cards mid-call: what to say when the client pushes back",
        "zh": "通话中的异议应对：客户有顾虑时怎么回应",
    }

    def __init__(self, playbook_dir: Path | None = None) -> None:
        self._dir = playbook_dir
        self._model_cache: Path | None = None
        self._book: Any = None
        self._recogniser: Recogniser | None = None
        self._failed = False
        self._cache: OrderedDict[str, Recognition] = OrderedDict()
        self._tallies = outcomes.TallyCache()

    # -- loading and recognition -------------------------------------------------------------

    def _load(self) -> Recogniser | None:
        """Load the playbook and train the recogniser once (about half a second)."""
        if self._recogniser is None and not self._failed:
            from knowledge.content import PLAYBOOK_DIR, PlaybookError, load_playbook
            from skills.objection.recognise import Recogniser

            try:
                self._book = load_playbook(self._dir or PLAYBOOK_DIR)
                self._recogniser = Recogniser(self._book, cache=self._model_cache)
            except (PlaybookError, ValueError, OSError) as exc:
                log.error("objection cards unavailable: %s", exc)
                self._failed = True
        return self._recogniser

    def configure(self, services: Services) -> None:
        """Keep the trained recogniser under ``OBJECTION__MODEL_CACHE`` (loaded there without scikit-learn)."""
        self._model_cache = services.config.objection.model_cache

    def warm(self) -> None:
        """Load everything now (the bench and long-running adapters call it at start-up)."""
        rec = self._load()
        if rec is not None:
            rec.recognise("client says the rate is too high")

    def _recognise(self, text: str) -> Recognition | None:
        rec = self._load()
        if rec is None:
            return None
        hit = self._cache.get(text)
        if hit is None:
            hit = rec.recognise(text)
            self._cache[text] = hit
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return hit

    def warm_up(self, services: Services) -> None:
        """Train the recogniser now rather than on the first officer's message."""
        self._recognise("client says the rate is too high")
        self._recognise("客户嫌手续费太高")

    def phrasings(self) -> dict[str, tuple[str, ...]]:
        """The examples plus every card's officer-voice phrasings (the recogniser's own training set)."""
        en = tuple(p for english, _ in PHRASINGS.values() for p in english)
        zh = tuple(p for _, chinese in PHRASINGS.values() for p in chinese)
        return {"en": (*self.examples.get("en", ()), *en), "zh": (*self.examples.get("zh", ()), *zh)}

    def score(self, text: str, lang: str) -> float:
        """Confidence that ``text`` reports a client's objection (the router routes at ≥ 0.75)."""
        found = self._recognise(text)
        return found.confidence if found is not None else 0.0

    def _fused(self, text: str, lang: str, services: Services) -> Recognition | None:
        """The cached recognition, re-ranked with the retriever when the classifier was unsure."""
        found = self._recognise(text)
        cfg = services.config.objection
        if found is None or services.retriever is None or not cfg.use_retriever or len(found.ranked) < 2:
            return found
        if found.probability >= cfg.retriever_margin:
            return found
        if getattr(services.retriever, "loading", False):  # the model loads in the background: answer mid-call now
            return found
        assert self._recogniser is not None
        return self._recogniser.fuse(found, text, services.retriever, lang)

    def _entry(self, card_id: str, lang: str) -> Any:
        return self._book.get(card_id, lang) if self._book is not None else None

    # -- handle ------------------------------------------------------------------------------

    async def handle(self, request: Request, services: Services) -> Reply:
        """Answer /obj, /objections, or an objection typed in free text."""
        if request.command == "objections":
            return await self._top(request)
        if request.state and "remark" in request.state and not request.command:
            return await self._remark(request, services, request.state["remark"])
        lang = await self._lang(request)
        if self._load() is None:
            raise SkillError(t(MESSAGES, "no_playbook", lang))
        aliases = " · ".join(ALIASES)
        text = request.text
        if request.command == "obj":
            args = request.args.strip()
            if not args:
                return Reply(
                    text=t(MESSAGES, "usage", lang, aliases=aliases), data={"objection_id": None}, intent="usage"
                )
            word, _, rest = args.partition(" ")
            card_id = resolve_alias(word)
            if card_id is not None:
                return await self._card(request, services, card_id, lang, text=rest, ranked=[], others=[])
            if len(args.split()) == 1 and len(args) <= 12 and detect_lang(args) == "en":
                raise SkillError(t(MESSAGES, "unknown_alias", lang, word=esc(word), aliases=aliases))
            text = args
            lang = await self._lang(request, text)
        found = self._fused(text, lang, services)
        assert found is not None and found.main is not None
        cfg = services.config.objection
        if request.command != "obj" and (found.confidence <= _NOT_SURE or found.probability < cfg.min_card_score):
            return await self._not_sure(request, found, lang, text)
        return await self._card(
            request, services, found.main, lang, text=text,
            ranked=[i for i, _ in found.ranked[1:4]], others=found.others, confidence=found.confidence,
        )  # fmt: skip

    async def _lang(self, request: Request, text: str | None = None) -> str:
        """The officer's explicit language, else the language the message is written in."""
        row = await request.db.get(OfficerRow, request.officer.id)
        if row is not None and row.language in ("en", "zh"):
            return row.language
        return detect_lang(text if text is not None else request.text, request.lang)

    async def _client(self, request: Request, text: str) -> tuple[Client | None, bool]:
        """The client named in ``text`` (visible to the officer), else the one recently discussed."""
        if text:
            named = await find_client_in_text(request.db, request.officer, text)
            if named is not None:
                return named, True
        if request.recent_client_id is not None:
            client = await request.db.get(Client, request.recent_client_id)
            visible = request.officer.visible_officer_ids()
            if client is not None and (visible is None or client.officer_id in visible):
                return client, False
        return None, False

    async def _personal(
        self, request: Request, services: Services, card_id: str, lang: str, client: Client
    ) -> Personal:
        quote_id, inputs = await _last_quote_inputs(request, client.id)
        facts = ClientFacts(client.id, client.name, client.tier, client.deals_count, client.currency)
        personal = personalise(
            card_id, lang, facts, inputs, services.config.objection, _QUOTE_ENGINE, bank_terms=services.config.quote
        )
        if quote_id is not None and "quote" in personal.data:
            personal.data["quote"]["quote_id"] = quote_id
        return personal

    async def _card(
        self,
        request: Request,
        services: Services,
        card_id: str,
        lang: str,
        *,
        text: str,
        ranked: list[str],
        others: list[str],
        confidence: float = 1.0,
    ) -> Reply:
        client, named = await self._client(request, text)
        row = await repo.add_shown(
            request.db, officer_id=request.officer.id, client_id=client.id if client else None, objection_id=card_id,
            text=text, lang=lang, alternatives=ranked, now=request.now,
        )  # fmt: skip
        reply = await self._render(request, services, card_id, lang, row, client)
        reply.data.update({"alternatives": ranked, "others": others, "confidence": round(confidence, 3)})
        for other in others:
            entry = self._entry(other, lang)
            if entry is not None:
                label = t(MESSAGES, "b.also", lang, title=entry.title)
                reply.buttons.append([Button(label, payload(self.name, "show", other, row.id))])
        if named and client is not None:
            reply.client_id = client.id
        return reply

    async def _render(
        self, request: Request, services: Services, card_id: str, lang: str, row: ObjectionLog, client: Client | None
    ) -> Reply:
        entry = self._entry(card_id, lang)
        if entry is None:
            raise SkillError(t(MESSAGES, "not_found", lang))
        personal = await self._personal(request, services, card_id, lang, client) if client is not None else None
        texts = angles_of(entry)
        order = await self._order(request, services, card_id, list(texts), client)
        lead = order[0].angle if order else "a"
        data: dict[str, Any] = {
            "objection_id": card_id, "alias": alias_of(card_id), "category": CATEGORY.get(card_id, "other"),
            "title": entry.title, "lang": lang, "log_id": row.id, "personalised": personal is not None,
            "angle": lead, "angle_order": [s.angle for s in order], "angle_scores": [s.as_dict() for s in order],
        }  # fmt: skip
        if personal is not None:
            data.update(personal.data)
        text = render_card(entry, personal, respond=texts.get(lead))
        return Reply(text=text, buttons=self._buttons(card_id, lang, row.id, lead=lead), data=data, intent="card")

    async def _order(
        self, request: Request, services: Services, card_id: str, angles: list[str], client: Client | None
    ) -> list[AngleScore]:
        """The card's angles for this client, best first, from the team's 👍/👎 (playbook order without any)."""
        segment = outcomes.segment_of(client)
        params = services.config.objection.learning()
        return await outcomes.angle_order(
            request.db, request.officer.id, card_id, angles, segment, params, cache=self._tallies
        )

    def _buttons(self, card_id: str, lang: str, row_id: int, *, angle: int = 1, lead: str = "a") -> list[list[Button]]:
        return [
            [
                Button(t(MESSAGES, "b.angle", lang), payload(self.name, "angle", card_id, angle, row_id)),
                Button(t(MESSAGES, "b.full", lang), payload(self.name, "full", card_id, row_id)),
            ],
            [
                Button(t(MESSAGES, "b.client", lang), payload(self.name, "client", card_id, row_id, lang)),
                Button(t(MESSAGES, "b.log", lang), payload(self.name, "log", card_id, row_id)),
            ],
            outcomes.outcome_row(card_id, lead, row_id, lang),
        ]

    async def _not_sure(self, request: Request, found: Recognition, lang: str, text: str) -> Reply:
        """A message that may not be an objection: offer the closest cards instead of asserting one."""
        row = await repo.add_shown(
            request.db, officer_id=request.officer.id, client_id=None, objection_id=found.ranked[0][0], text=text,
            lang=lang, alternatives=[i for i, _ in found.ranked[1:4]], now=request.now,
        )  # fmt: skip
        buttons = []
        for card_id, _ in found.ranked[:3]:
            entry = self._entry(card_id, lang)
            if entry is not None:
                buttons.append([Button(entry.title, payload(self.name, "show", card_id, row.id))])
        return Reply(
            text=t(MESSAGES, "not_sure", lang),
            buttons=buttons,
            data={"objection_id": None, "candidates": [i for i, _ in found.ranked[:3]], "confidence": found.confidence},
            intent="not_sure",
        )

    # -- buttons -----------------------------------------------------------------------------

    async def on_button(self, request: Request, services: Services) -> Reply:
        """Another angle, full script, client-ready text (either language), log it, or another card."""
        action, args = request.action
        if self._load() is None:
            raise SkillError(t(MESSAGES, "no_playbook", request.lang))
        if action == "out":
            return await self._outcome(request, services, args)
        try:
            card_id = args[0]
            row_id = int(args[2] if action == "angle" else args[1])
            angle = int(args[1]) if action == "angle" else 0
        except (IndexError, ValueError):
            raise SkillError(t(MESSAGES, "not_found", request.lang)) from None
        row = await repo.get_for_officer(request.db, row_id, request.officer.id)
        if row is None or card_id not in CATEGORY:
            raise SkillError(t(MESSAGES, "not_found", request.lang))
        lang = row.lang if row.lang in ("en", "zh") else request.lang
        if action == "client" and len(args) > 2 and args[2] in ("en", "zh"):
            lang = args[2]
        entry = self._entry(card_id, lang)
        if entry is None:
            raise SkillError(t(MESSAGES, "not_found", lang))
        client = await request.db.get(Client, row.client_id) if row.client_id is not None else None
        if action == "show":
            return await self._render(request, services, card_id, lang, row, client)
        if action == "angle":
            return await self._angle(request, services, card_id, angle, row, lang, client)
        if action == "full":
            text = t(MESSAGES, "full_title", lang, title=esc(entry.title)) + "\n\n" + esc(entry.section("Full script"))
            return Reply(text=text, buttons=self._buttons(card_id, lang, row.id)[1:],
                         data={"objection_id": card_id, "lang": lang, "full_script": entry.section("Full script")},
                         intent="full")  # fmt: skip
        if action == "client":
            other = "zh" if lang == "en" else "en"
            message = entry.section("Client-ready text")
            text = t(MESSAGES, "client_title", lang) + "\n\n" + esc(message)
            buttons = [[Button(t(MESSAGES, "b.client_other", lang), payload(self.name, "client", card_id, row.id, other)),
                        Button(t(MESSAGES, "b.log", lang), payload(self.name, "log", card_id, row.id))]]  # fmt: skip
            return Reply(text=text, buttons=buttons,
                         data={"objection_id": card_id, "lang": lang, "client_text": message}, intent="client_text")  # fmt: skip
        if action == "log":
            return await self._log(request, card_id, row, lang, client)
        raise SkillError(t(MESSAGES, "not_found", lang))

    async def _angle(
        self, request: Request, services: Services, card_id: str, n: int, row: ObjectionLog, lang: str,
        client: Client | None,
    ) -> Reply:  # fmt: skip
        """n < number of angles: the card's next angle in the team's learnt order; then the next-best cards."""
        entry = self._entry(card_id, lang)
        next_button = Button(t(MESSAGES, "b.angle", lang), payload(self.name, "angle", card_id, n + 1, row.id))
        texts = angles_of(entry)
        order = await self._order(request, services, card_id, list(texts), client)
        if 1 <= n < len(order):
            key = order[n].angle
            text = t(MESSAGES, "angle_title", lang, title=esc(entry.title)) + "\n" + esc(texts[key])
            buttons = [[next_button, Button(t(MESSAGES, "b.full", lang), payload(self.name, "full", card_id, row.id))],
                       outcomes.outcome_row(card_id, key, row.id, lang)]  # fmt: skip
            return Reply(text=text, buttons=buttons,
                         data={"objection_id": card_id, "angle": n, "angle_key": key, "lang": lang,
                               "source": "another_angle", "angle_order": [s.angle for s in order]},
                         intent="angle")  # fmt: skip
        k = max(len(order), 1)
        ranked = [i for i in (row.alternatives or []) if i != card_id and i in CATEGORY]
        if not ranked:
            ranked = [r for r in entry.related if r.startswith("obj.") and r in CATEGORY]
        if n - k >= len(ranked) or n < 1:
            return Reply(text=t(MESSAGES, "no_more_angles", lang),
                         buttons=[[Button(t(MESSAGES, "b.full", lang), payload(self.name, "full", card_id, row.id))]],
                         data={"objection_id": card_id, "angle": n, "lang": lang, "source": None}, intent="angle")  # fmt: skip
        alt = ranked[n - k]
        reply = await self._render(request, services, alt, lang, row, client)
        reply.text = t(MESSAGES, "angle_next", lang) + "\n" + reply.text
        reply.buttons[0][0] = next_button
        reply.data.update({"angle": n, "angle_key": reply.data["angle"], "source": "next_card", "angle_of": card_id})
        reply.intent = "angle"
        return reply

    # -- outcomes ----------------------------------------------------------------------------

    async def _outcome(self, request: Request, services: Services, args: list[str]) -> Reply:
        """👍 / 👎 / 💬 under a card, an angle or a playbook answer: ``objection:out:<id>:<angle>:<log>:<w|f|s>``."""
        try:
            card_id, angle, log_id, verdict = args[0], args[1], int(args[2]), outcomes.VERDICTS[args[3]]
        except (IndexError, ValueError, KeyError):
            raise SkillError(t(MESSAGES, "not_found", request.lang)) from None
        if not 0 <= log_id < 2**31:  # objection_log.id is a 32-bit integer: a forged id names no row
            raise SkillError(t(MESSAGES, "not_found", request.lang))
        row = await repo.get_for_officer(request.db, log_id, request.officer.id) if log_id else None
        if log_id and row is None:
            raise SkillError(t(MESSAGES, "not_found", request.lang))
        lang = row.lang if row is not None and row.lang in ("en", "zh") else await self._lang(request)
        entry = self._entry(card_id, lang)
        if entry is None or not (angle == "p" or angle in angles_of(entry)):
            raise SkillError(t(MESSAGES, "not_found", lang))
        if row is not None:
            client = await request.db.get(Client, row.client_id) if row.client_id is not None else None
        else:
            client, _ = await self._client(request, "")
        if verdict == "said":
            state = {"remark": {"card": card_id, "angle": angle, "log": log_id, "lang": lang,
                                "client": client.id if client is not None else None}}  # fmt: skip
            return Reply(text=t(MESSAGES, "ask_remark", lang), state=state, intent="ask_remark",
                         data={"objection_id": card_id, "angle": angle, "awaiting": "remark"})  # fmt: skip
        saved, changed = await outcomes.record(
            request.db, officer_id=request.officer.id, card_id=card_id, angle=angle, verdict=verdict, client=client,
            log_id=log_id, lang=lang, now=request.now,
        )  # fmt: skip
        self._tallies.drop(outcomes.TallyCache.key(request.db, saved.team_key, card_id))
        who = t(MESSAGES, "out_client", lang, name=esc(client.name)) if client is not None else ""
        key = "out_worked" if verdict == "worked" else "out_failed"
        lines = [t(MESSAGES, key, lang, angle=self._angle_name(angle, lang), title=esc(entry.title), client=who)]
        data: dict[str, Any] = {"objection_id": card_id, "angle": angle, "outcome": verdict, "outcome_id": saved.id,
                                "changed": changed, "client_id": client.id if client is not None else None}  # fmt: skip
        if angle != "p":
            order = await self._order(request, services, card_id, list(angles_of(entry)), client)
            data["angle_order"] = [s.angle for s in order]
            data["angle_scores"] = [s.as_dict() for s in order]
            lines.append(t(MESSAGES, "out_lead", lang, segment=self._segment_name(client, lang),
                           angle=self._angle_name(order[0].angle, lang)))  # fmt: skip
        return Reply(text="\n".join(lines), data=data, intent="outcome")

    async def _remark(self, request: Request, services: Services, state: dict[str, Any]) -> Reply | list[Reply]:
        """The officer's answer to "what did the client said?": stored with the card's outcome."""
        lang = state.get("lang") if state.get("lang") in ("en", "zh") else request.lang
        text = request.text.strip()
        if not text:
            return Reply(text=t(MESSAGES, "remark_empty", lang), state=request.state, intent="ask_remark")
        card_id, angle, log_id = str(state.get("card", "")), str(state.get("angle", "")), int(state.get("log") or 0)
        entry = self._entry(card_id, lang) if self._load() is not None else None
        if entry is None:
            raise SkillError(t(MESSAGES, "not_found", lang))
        client = None
        if state.get("client") is not None:
            client = await request.db.get(Client, int(state["client"]))
            visible = request.officer.visible_officer_ids()
            if client is not None and visible is not None and client.officer_id not in visible:
                client = None
        saved, _ = await outcomes.record(
            request.db, officer_id=request.officer.id, card_id=card_id, angle=angle, verdict="said", client=client,
            log_id=log_id, lang=lang, now=request.now, remark=text,
        )  # fmt: skip
        who = t(MESSAGES, "out_client", lang, name=esc(client.name)) if client is not None else ""
        note = Reply(
            text=t(MESSAGES, "remark_saved", lang, title=esc(entry.title), client=who, remark=esc(text[:300])),
            data={"objection_id": card_id, "angle": angle, "outcome": saved.verdict, "outcome_id": saved.id,
                  "remark": text[:2000], "client_id": client.id if client is not None else None},
            intent="remark", state=Reply.END,
        )  # fmt: skip
        found = self._recognise(text)
        if found is None or found.main is None or found.confidence < 0.75:
            return note
        # The client raised a further objection: answer it at once, for the same client.
        request.recent_client_id = client.id if client is not None else request.recent_client_id
        card = await self._card(request, services, found.main, lang, text=text,
                                ranked=[i for i, _ in found.ranked[1:4]], others=[], confidence=found.confidence)  # fmt: skip
        return [note, card]

    @staticmethod
    def _angle_name(key: str, lang: str) -> str:
        if key in ("a", "b", "p"):
            return t(MESSAGES, f"angle.{key}", lang)
        return t(MESSAGES, "angle.n", lang, n="abcdefgh".find(key) + 1)

    @staticmethod
    def _segment_name(client: Client | None, lang: str) -> str:
        if client is None:
            return t(MESSAGES, "segment_team", lang)
        tier = t(TIER, client.tier, lang) if client.tier in TIER else esc(client.tier)
        if client.industry:
            return t(MESSAGES, "segment_industry", lang, tier=tier, industry=esc(client.industry))
        return t(MESSAGES, "segment", lang, tier=tier)

    async def _log(self, request: Request, card_id: str, row: ObjectionLog, lang: str, client: Client | None) -> Reply:
        logged = await repo.mark_logged(request.db, row, card_id, request.now)
        entry = self._entry(card_id, lang)
        if logged is None:
            return Reply(text=t(MESSAGES, "already_logged", lang), data={"objection_id": card_id, "logged": False})
        start, end = repo.month_bounds(request.now, request.officer.timezone)
        counts = dict(await repo.top_for_officer(request.db, request.officer.id, start, end))
        who = t(MESSAGES, "logged_client", lang, name=esc(client.name)) if client is not None else ""
        text = t(MESSAGES, "logged", lang, title=esc(entry.title), client=who, count=counts.get(card_id, 1))
        return Reply(
            text=text,
            data={
                "objection_id": card_id,
                "logged": True,
                "log_id": logged.id,
                "client_id": row.client_id,
                "category": logged.category,
                "month_count": counts.get(card_id, 1),
            },
            intent="logged",
        )

    # -- /objections -------------------------------------------------------------------------

    async def _top(self, request: Request) -> Reply:
        """The month report: top objections with the trend, by tier and industry, per officer, what worked.

        Officers see their own, managers their team, admins everyone; ``me``/``我`` narrows to oneself and
        ``2026-10``/``last``/``上月`` picks the month (officer-local calendar months).
        """
        lang = request.lang  # a bare command has no script to go by: the officer's language
        self._load()
        words = request.args.lower().split()
        tz = request.officer.timezone
        start, end = repo.month_bounds(request.now, tz)
        for word in words:
            if word in ("last", "上月", "上个月", "previous"):
                start, end = repo.month_bounds(start - timedelta(seconds=1), tz)
            elif re.fullmatch(r"\d{4}-\d{1,2}", word):
                year, month_no = (int(x) for x in word.split("-"))
                if not 1 <= month_no <= 12 or not 2000 <= year <= 2100:
                    raise SkillError(t(MESSAGES, "rep_usage", lang))
                start, end = repo.month_bounds(datetime(year, month_no, 15, tzinfo=UTC), tz)
            elif word not in ("me", "我", "mine", "我的", "team", "团队", "all", "全部"):
                raise SkillError(t(MESSAGES, "rep_usage", lang))
        visible = request.officer.visible_officer_ids()
        scope = "me" if request.officer.role.value == "officer" else "team" if visible is not None else "all"
        if any(w in ("me", "我", "mine", "我的") for w in words):
            visible, scope = (request.officer.id,), "me"
        prev_start, _ = repo.month_bounds(start - timedelta(seconds=1), tz)
        rows = await report.logged_rows(request.db, visible, start, end)
        before = await report.logged_rows(request.db, visible, prev_start, start)
        taps = await report.outcome_rows(request.db, visible, start, end)
        rep = report.build_report(rows, before, taps)
        local = ZoneInfo(tz)
        month, prev_month = start.astimezone(local).strftime("%Y-%m"), prev_start.astimezone(local).strftime("%Y-%m")
        data: dict[str, Any] = {
            "month": month, "previous_month": prev_month, "scope": scope,
            "officer_ids": list(visible) if visible is not None else None,
            "top": [{"objection_id": i, "count": c} for i, c in rep.top], "by_category": rep.by_category,
            "trend": [{"objection_id": i, "count": c, "previous": rep.previous.get(i, 0),
                       "delta": c - rep.previous.get(i, 0)} for i, c in rep.top],
            "total": rep.total, "previous_total": rep.previous_total,
            "by_tier": {k: [{"objection_id": i, "count": c} for i, c in v] for k, v in rep.by_tier.items()},
            "by_industry": {k: [{"objection_id": i, "count": c} for i, c in v] for k, v in rep.by_industry.items()},
            "by_officer": {str(k): v for k, v in rep.by_officer.items()},
            "angles": [a.as_dict() for a in rep.angles], "best_by_tier": rep.best_by_tier,
        }  # fmt: skip
        if not rep.top and not rep.angles:
            return Reply(text=t(MESSAGES, "top_empty", lang), data=data, intent="objections")
        title = self._title_of(lang)
        scope_text = (t(MESSAGES, "rep_scope_team", lang, n=len(request.officer.team_ids)) if scope == "team"
                      else t(MESSAGES, f"rep_scope_{scope}", lang))  # fmt: skip
        lines = [t(MESSAGES, "rep_title", lang, month=month, scope=scope_text),
                 t(MESSAGES, "rep_total", lang, n=rep.total, prev_month=prev_month, prev=rep.previous_total,
                   delta=_delta(rep.total, rep.previous_total, lang))]  # fmt: skip
        for n, (card_id, count) in enumerate(rep.top[:8], 1):
            previous = rep.previous.get(card_id, 0)
            lines.append(t(MESSAGES, "rep_line", lang, n=n, title=esc(title(card_id)), count=count,
                           delta=_delta(count, previous, lang)))  # fmt: skip
        if rep.by_category:
            items = " · ".join(f"{t(MESSAGES, 'cat.' + c, lang) if 'cat.' + c in MESSAGES else esc(c)} {k}"
                               for c, k in rep.by_category.items())  # fmt: skip
            lines.append(t(MESSAGES, "top_category", lang, items=items))
        if rep.by_tier:
            lines.append(t(MESSAGES, "rep_tiers", lang))
            for tier, ranked in rep.by_tier.items():
                group = t(TIER, tier, lang) if tier in TIER else esc(tier)
                items = ", ".join(f"{esc(title(i))} ×{c}" for i, c in ranked[:3])
                lines.append(t(MESSAGES, "rep_group_line", lang, group=group, items=items))
        if rep.by_industry:
            lines.append(t(MESSAGES, "rep_industries", lang))
            for industry, ranked in list(rep.by_industry.items())[:4]:
                items = ", ".join(f"{esc(title(i))} ×{c}" for i, c in ranked[:2])
                lines.append(t(MESSAGES, "rep_group_line", lang, group=esc(industry), items=items))
        if rep.angles:
            lines.append(t(MESSAGES, "rep_worked", lang))
            for a in rep.angles[:5]:
                lines.append(t(MESSAGES, "rep_worked_line", lang, title=esc(title(a.card_id)),
                               angle=self._angle_name(a.angle, lang), worked=a.worked, failed=a.failed,
                               rate=f"{a.rate:.0%}"))  # fmt: skip
            for tier, cards in rep.best_by_tier.items():
                for card_id, angle in list(cards.items())[:2]:
                    lines.append(t(MESSAGES, "rep_best", lang, tier=t(TIER, tier, lang) if tier in TIER else esc(tier),
                                   title=esc(title(card_id)), angle=self._angle_name(angle, lang)))  # fmt: skip
        elif rep.top:
            lines.append(t(MESSAGES, "rep_no_taps", lang))
        if scope != "me" and rep.by_officer:
            names = {o.id: o.name for o in (await request.db.scalars(
                select(OfficerRow).where(OfficerRow.id.in_(list(rep.by_officer))))).all()}  # fmt: skip
            items = " · ".join(f"{esc(names.get(o, str(o)))} {k}" for o, k in list(rep.by_officer.items())[:10])
            lines.append(t(MESSAGES, "rep_officers", lang, items=items))
        image = None
        if rep.top:
            from skills.render import render_off_loop

            image = await render_off_loop(_month_chart, rep.top, rep.previous, month, prev_month)
        return Reply(text="\n".join(lines), data=data, intent="objections", image=image,
                     image_name=f"objections-{month}.png")  # fmt: skip

    def _title_of(self, lang: str) -> Callable[[str], str]:
        def title(card_id: str) -> str:
            entry = self._entry(card_id, lang)
            return entry.title if entry is not None else card_id

        return title

    # -- inline mode -------------------------------------------------------------------------

    async def inline(self, query: str, officer: Officer, services: Services) -> list[InlineResult]:
        """Client-ready texts of the three best-matching cards, in the language typed (else the officer's)."""
        query = query.strip()
        if len(query) < 2 or self._load() is None:
            return []
        lang = detect_lang(query, officer.language)
        word = query.split()[0]
        direct = resolve_alias(word) if len(query.split()) == 1 else None
        found = self._fused(query, lang, services)
        ids = [direct] if direct else []
        ids += [i for i, _ in (found.ranked if found else []) if i not in ids]
        results: list[InlineResult] = []
        for card_id in ids[:3]:
            entry = self._entry(card_id, lang)
            if entry is None:
                continue
            message = entry.section("Client-ready text")
            results.append(InlineResult(id=f"{alias_of(card_id)}:{lang}", title=entry.title,
                                        description=message[:120], text=message))  # fmt: skip
        return results


def _month_chart(top: list[tuple[str, int]], previous: dict[str, int], month: str, previous_month: str) -> bytes:
    from skills.objection.report_chart import month_chart  # on the chart thread: matplotlib off the event loop

    return month_chart(top, previous, month, previous_month)
