"""Objection scripts mid-call: the right card in well under a second, personalised to the client."""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from skills.contract import Button, Command, InlineResult, Officer, Reply, Request, Services, Skill, SkillError, payload
from skills.fmt import esc
from skills.i18n import detect_lang, t
from skills.objection import repository as repo
from skills.objection.cards import ALIASES, CATEGORY, alias_of, resolve_alias
from skills.objection.logic import ClientFacts, Engine, Personal, personalise, render_card
from skills.objection.messages import MESSAGES
from skills.objection.models import ObjectionLog
from skills.objection.phrasings import PHRASINGS
from skills.objection.recognise import Recogniser, Recognition
from skills.store.clients import find_client_in_text
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

__all__ = ["ObjectionSkill"]

log = logging.getLogger(__name__)
_CACHE_SIZE = 256
_NOT_SURE = 0.3  # at or below this (the "belongs to another skill" level) a routed message gets a pick-list


def _quote_engine() -> Engine | None:
    """The quote skill's pricing functions, if that skill is installed."""
    try:
        from skills.quote.logic import QuoteInputError, bank_loan, price
    except ImportError:
        return None
    return Engine(price=price, bank_loan=bank_loan, error=QuoteInputError)


async def _last_quote_inputs(request: Request, client_id: int) -> tuple[int | None, dict[str, Any] | None]:
    """(quote id, stored inputs) of the client's last saved quote, if the quote skill keeps any."""
    try:
        from skills.quote.repository import last_quotes
    except ImportError:
        return None, None
    rows = await last_quotes(request.db, client_id, 1)
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
        self._book: Any = None
        self._recogniser: Recogniser | None = None
        self._failed = False
        self._cache: OrderedDict[str, Recognition] = OrderedDict()

    # -- loading and recognition -------------------------------------------------------------

    def _load(self) -> Recogniser | None:
        """Load the playbook and train the recogniser once (about half a second)."""
        if self._recogniser is None and not self._failed:
            from knowledge.content import PLAYBOOK_DIR, PlaybookError, load_playbook

            try:
                self._book = load_playbook(self._dir or PLAYBOOK_DIR)
                self._recogniser = Recogniser(self._book)
            except (PlaybookError, ValueError, OSError) as exc:
                log.error("objection cards unavailable: %s", exc)
                self._failed = True
        return self._recogniser

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
        assert self._recogniser is not None
        return self._recogniser.fuse(found, text, services.retriever, lang)

    def _entry(self, card_id: str, lang: str) -> Any:
        return self._book.get(card_id, lang) if self._book is not None else None

    # -- handle ------------------------------------------------------------------------------

    async def handle(self, request: Request, services: Services) -> Reply:
        """Answer /obj, /objections, or an objection typed in free text."""
        if request.command == "objections":
            return await self._top(request)
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
            card_id, lang, facts, inputs, services.config.objection, _quote_engine(), bank_terms=services.config.quote
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
        data: dict[str, Any] = {
            "objection_id": card_id, "alias": alias_of(card_id), "category": CATEGORY.get(card_id, "other"),
            "title": entry.title, "lang": lang, "log_id": row.id, "personalised": personal is not None,
        }  # fmt: skip
        if personal is not None:
            data.update(personal.data)
        return Reply(text=render_card(entry, personal), buttons=self._buttons(card_id, lang, row.id), data=data,
                     intent="card")  # fmt: skip

    def _buttons(self, card_id: str, lang: str, row_id: int, *, angle: int = 1) -> list[list[Button]]:
        return [
            [
                Button(t(MESSAGES, "b.angle", lang), payload(self.name, "angle", card_id, angle, row_id)),
                Button(t(MESSAGES, "b.full", lang), payload(self.name, "full", card_id, row_id)),
            ],
            [
                Button(t(MESSAGES, "b.client", lang), payload(self.name, "client", card_id, row_id, lang)),
                Button(t(MESSAGES, "b.log", lang), payload(self.name, "log", card_id, row_id)),
            ],
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
        """n = 1: the card's own other angle; n ≥ 2: the next-best matching cards for the original message."""
        entry = self._entry(card_id, lang)
        next_button = Button(t(MESSAGES, "b.angle", lang), payload(self.name, "angle", card_id, n + 1, row.id))
        if n <= 1:
            text = t(MESSAGES, "angle_title", lang, title=esc(entry.title)) + "\n" + esc(entry.section("Another angle"))
            buttons = [[next_button, Button(t(MESSAGES, "b.full", lang), payload(self.name, "full", card_id, row.id))]]
            return Reply(text=text, buttons=buttons,
                         data={"objection_id": card_id, "angle": n, "lang": lang, "source": "another_angle"},
                         intent="angle")  # fmt: skip
        ranked = [i for i in (row.alternatives or []) if i != card_id and i in CATEGORY]
        if not ranked:
            ranked = [r for r in entry.related if r.startswith("obj.") and r in CATEGORY]
        if n - 2 >= len(ranked):
            return Reply(text=t(MESSAGES, "no_more_angles", lang),
                         buttons=[[Button(t(MESSAGES, "b.full", lang), payload(self.name, "full", card_id, row.id))]],
                         data={"objection_id": card_id, "angle": n, "lang": lang, "source": None}, intent="angle")  # fmt: skip
        alt = ranked[n - 2]
        reply = await self._render(request, services, alt, lang, row, client)
        reply.text = t(MESSAGES, "angle_next", lang) + "\n" + reply.text
        reply.buttons[0][0] = next_button
        reply.data.update({"angle": n, "source": "next_card", "angle_of": card_id})
        reply.intent = "angle"
        return reply

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
        """The officer's most frequent logged objections this (officer-local) month."""
        lang = await self._lang(request)
        self._load()
        start, end = repo.month_bounds(request.now, request.officer.timezone)
        top = await repo.top_for_officer(request.db, request.officer.id, start, end)
        month = start.astimezone(ZoneInfo(request.officer.timezone)).strftime("%Y-%m")
        if not top:
            return Reply(text=t(MESSAGES, "top_empty", lang), data={"month": month, "top": [], "by_category": {}},
                         intent="objections")  # fmt: skip
        lines = [t(MESSAGES, "top_title", lang, month=month)]
        by_category: dict[str, int] = {}
        for n, (card_id, count) in enumerate(top, 1):
            entry = self._entry(card_id, lang)
            title = entry.title if entry is not None else card_id
            if n <= 10:
                lines.append(t(MESSAGES, "top_line", lang, n=n, title=esc(title), count=count))
            category = CATEGORY.get(card_id, "other")
            by_category[category] = by_category.get(category, 0) + count
        items = " · ".join(
            f"{t(MESSAGES, 'cat.' + c, lang) if 'cat.' + c in MESSAGES else c} {k}"
            for c, k in sorted(by_category.items(), key=lambda kv: -kv[1])
        )
        lines.append(t(MESSAGES, "top_category", lang, items=items))
        return Reply(
            text="\n".join(lines),
            data={"month": month, "top": [{"objection_id": i, "count": c} for i, c in top], "by_category": by_category},
            intent="objections",
        )

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
